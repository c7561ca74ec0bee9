package io.stenographer.application.port.in;

import java.util.List;

/**
 * The key-encryption key schedule (docs/PRIVACY.md §5): rotate when the current generation is old enough, wrap every
 * live data key again under it, and destroy a retired generation once nothing live is wrapped under it and every
 * backup older than its retirement has expired. Run by the scheduler.
 */
public interface RotateKeyEncryptionKeysUseCase {

    /** What a run did. */
    record RotationRun(boolean rotated, int rewrapped, boolean rewrapComplete, List<String> destroyed,
            boolean skipped) {
    }

    RotationRun run();
}
