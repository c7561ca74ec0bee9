package io.stenographer.application.service.fakes;

import io.stenographer.application.port.out.LockJobPort;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/** Cluster-wide job locks; a lock can be held by "another instance". */
public final class InMemoryJobLocks implements LockJobPort {

    private final Set<String> held = new HashSet<>();
    private int acquired;
    private int released;

    /** Another instance holds the job's lock. */
    public void holdElsewhere(String job) {
        held.add(job);
    }

    @Override
    public Optional<JobLock> tryLock(String job) {
        if (!held.add(job)) {
            return Optional.empty();
        }
        acquired++;
        return Optional.of(() -> {
            held.remove(job);
            released++;
        });
    }

    public boolean isHeld(String job) {
        return held.contains(job);
    }

    public int acquired() {
        return acquired;
    }

    public int released() {
        return released;
    }
}
