package io.stenographer.bootstrap.jobs;

import io.quarkus.scheduler.Scheduled;
import io.stenographer.application.port.in.SweepErasedValuesUseCase;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Deletes, shortly after an erasure, the encrypted values it left for later (docs/PRIVACY.md §4). They are already
 * unreadable; this bounds how long their ciphertext stays. Every instance runs it; the database serialises deletes.
 */
@ApplicationScoped
public class ErasureSweepTrigger {

    private static final Logger LOG = Logger.getLogger(ErasureSweepTrigger.class);
    private static final long MAX_VALUES_PER_RUN = 200_000;

    private final SweepErasedValuesUseCase sweep;

    ErasureSweepTrigger(SweepErasedValuesUseCase sweep) {
        this.sweep = sweep;
    }

    @Scheduled(identity = "erasure-sweep", every = "${stenographer.privacy.sweep-every:5s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweepErasedValues() {
        try {
            long deleted = sweep.sweep(MAX_VALUES_PER_RUN);
            if (deleted > 0) {
                LOG.infof("Deleted the encrypted personal values of %d events of erased data subjects", deleted);
            }
        } catch (RuntimeException e) {
            // The next run retries; the values are unreadable meanwhile (their keys are destroyed).
            LOG.warnf("Sweeping the values of erased data subjects failed: %s", e.getClass().getSimpleName());
        }
    }
}
