package io.stenographer.bootstrap.jobs;

import io.quarkus.scheduler.Scheduled;
import io.stenographer.application.port.in.RotateKeyEncryptionKeysUseCase;
import io.stenographer.application.port.in.RotateKeyEncryptionKeysUseCase.RotationRun;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * The key-encryption key schedule (docs/PRIVACY.md §5): once a day, rotate when due, rewrap, and destroy retired
 * generations whose backups have expired. One instance runs it at a time (a job lock).
 */
@ApplicationScoped
public class KeyRotationTrigger {

    private static final Logger LOG = Logger.getLogger(KeyRotationTrigger.class);

    private final RotateKeyEncryptionKeysUseCase rotation;

    KeyRotationTrigger(RotateKeyEncryptionKeysUseCase rotation) {
        this.rotation = rotation;
    }

    @Scheduled(identity = "key-encryption-key-rotation", cron = "${stenographer.privacy.kek-rotation-cron}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void rotateWhenDue() {
        try {
            RotationRun run = rotation.run();
            if (run.rotated() || run.rewrapped() > 0 || !run.destroyed().isEmpty()) {
                LOG.infof("Key-encryption keys: rotated %s, %d data keys rewrapped (complete: %s), generations"
                        + " destroyed %s", run.rotated(), run.rewrapped(), run.rewrapComplete(), run.destroyed());
            }
        } catch (RuntimeException e) {
            LOG.errorf("The key-encryption key schedule failed; it runs again tomorrow: %s", e.toString());
        }
    }
}
