package io.stenographer.bootstrap.jobs;

import io.quarkus.scheduler.Scheduled;
import io.stenographer.application.port.in.VerifyLogUseCase;
import io.stenographer.domain.log.VerificationReport;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Scheduled verification of every tenant's log: incremental often, full less often. Results are stored and recorded
 * as events. The two schedules never run at once on an instance; one that comes while the other runs is skipped.
 */
@ApplicationScoped
public class VerificationTrigger {

    private static final Logger LOG = Logger.getLogger(VerificationTrigger.class);

    private final VerifyLogUseCase verifyLog;
    private final AtomicBoolean running = new AtomicBoolean();

    VerificationTrigger(VerifyLogUseCase verifyLog) {
        this.verifyLog = verifyLog;
    }

    @Scheduled(cron = "${stenographer.log.verify-cron}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void verifyIncrementally() {
        verifyAll(false);
    }

    @Scheduled(cron = "${stenographer.log.full-verify-cron}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void verifyFully() {
        verifyAll(true);
    }

    private void verifyAll(boolean full) {
        if (!running.compareAndSet(false, true)) {
            LOG.warnf("%s verification skipped: another verification is still running",
                    full ? "full" : "incremental");
            return;
        }
        try {
            for (VerificationReport report : verifyLog.verifyAll(full)) {
                if (report.ok()) {
                    LOG.infof("log %s verified (%s): %d leaves, %d events and %d checkpoints checked", report.tenant(),
                            report.full() ? "full" : "from leaf " + report.leavesCheckedFrom(), report.treeSize(),
                            report.eventsChecked(), report.checkpointsChecked());
                } else {
                    LOG.errorf("LOG VERIFICATION FAILED for %s: %d findings, first: %s", report.tenant(),
                            report.findings().size(), report.findings().get(0).message());
                }
            }
        } finally {
            running.set(false);
        }
    }
}
