package io.stenographer.application.service;

import io.stenographer.application.port.in.RotateKeyEncryptionKeysUseCase;
import io.stenographer.application.port.out.LockJobPort;
import io.stenographer.application.port.out.LockJobPort.JobLock;
import io.stenographer.application.port.out.RotateKeyEncryptionKeysPort;
import io.stenographer.application.port.out.RotateKeyEncryptionKeysPort.Generation;
import io.stenographer.application.service.RewrapDataKeysService.RewrapOutcome;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The key-encryption key schedule. A retired generation is destroyed only when the rewrap is complete (no live data
 * key is wrapped under anything but the current generation) and {@code keepRetiredFor} has passed since it retired:
 * the backups taken while it was current may hold wrapped keys, and until they expire it is what lets a restore
 * read them. Once it is destroyed, every erasure made before those backups expired is complete in them too.
 */
public final class RotateKeyEncryptionKeysService implements RotateKeyEncryptionKeysUseCase {

    static final String JOB = "key-encryption-key-rotation";

    private final RotateKeyEncryptionKeysPort generations;
    private final RewrapDataKeysService rewrap;
    private final LockJobPort locks;
    private final Clock clock;
    private final Duration rotateEvery;
    private final Duration keepRetiredFor;

    public RotateKeyEncryptionKeysService(RotateKeyEncryptionKeysPort generations, RewrapDataKeysService rewrap,
            LockJobPort locks, Clock clock, Duration rotateEvery, Duration keepRetiredFor) {
        this.generations = Objects.requireNonNull(generations);
        this.rewrap = Objects.requireNonNull(rewrap);
        this.locks = Objects.requireNonNull(locks);
        this.clock = Objects.requireNonNull(clock);
        if (rotateEvery.isNegative() || rotateEvery.isZero() || keepRetiredFor.isNegative()) {
            throw new IllegalArgumentException("the rotation period must be positive and the retention not negative");
        }
        this.rotateEvery = rotateEvery;
        this.keepRetiredFor = keepRetiredFor;
    }

    @Override
    public RotationRun run() {
        Optional<JobLock> lock = locks.tryLock(JOB);
        if (lock.isEmpty()) {
            return new RotationRun(false, 0, false, List.of(), true);
        }
        try (JobLock held = lock.get()) {
            Instant now = clock.instant();
            List<Generation> all = generations.generations();
            Generation current = all.get(all.size() - 1);
            boolean rotated = false;
            if (!current.createdAt().plus(rotateEvery).isAfter(now)) {
                generations.rotate();
                rotated = true;
            }
            RewrapOutcome outcome = rewrap.rewrapAll(Integer.MAX_VALUE);
            List<String> destroyed = new ArrayList<>();
            if (outcome.complete()) {
                for (Generation generation : generations.generations()) {
                    if (!generation.destroyed() && generation.retiredAt() != null
                            && !generation.retiredAt().plus(keepRetiredFor).isAfter(now)) {
                        generations.destroy(generation.id());
                        destroyed.add(generation.id());
                    }
                }
            }
            return new RotationRun(rotated, outcome.rewrapped(), outcome.complete(), destroyed, false);
        }
    }
}
