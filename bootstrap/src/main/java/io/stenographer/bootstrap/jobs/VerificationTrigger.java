package io.stenographer.bootstrap.jobs;

import io.quarkus.scheduler.Scheduled;
import io.stenographer.application.port.in.VerifyLogUseCase;
import io.stenographer.domain.log.VerificationReport;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/** Scheduled full verification of every tenant's log; results are stored and recorded as events. */
@ApplicationScoped
public class VerificationTrigger {

    private static final Logger LOG = Logger.getLogger(VerificationTrigger.class);

    private final VerifyLogUseCase verifyLog;

    VerificationTrigger(VerifyLogUseCase verifyLog) {
        this.verifyLog = verifyLog;
    }

    @Scheduled(cron = "${stenographer.log.verify-cron}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void verifyAll() {
        for (VerificationReport report : verifyLog.verifyAll()) {
            if (report.ok()) {
                LOG.infof("log %s verified: %d leaves, %d checkpoints", report.tenant(), report.treeSize(),
                        report.checkpointsChecked());
            } else {
                LOG.errorf("LOG VERIFICATION FAILED for %s: %d findings, first: %s", report.tenant(),
                        report.findings().size(), report.findings().get(0).message());
            }
        }
    }
}
