package io.stenographer.application.port.out;

import java.util.Optional;

/** A cluster-wide lock, so only one instance runs a given job at a time. */
public interface LockJobPort {

    /** The lock, if no other instance holds it; empty otherwise. Never waits. */
    Optional<JobLock> tryLock(String job);

    interface JobLock extends AutoCloseable {
        @Override
        void close();
    }
}
