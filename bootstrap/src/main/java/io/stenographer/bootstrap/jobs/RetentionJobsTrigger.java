package io.stenographer.bootstrap.jobs;

import io.quarkus.scheduler.Scheduled;
import io.stenographer.application.port.in.JobRun;
import io.stenographer.application.port.in.RunArchiveJobUseCase;
import io.stenographer.application.port.in.RunJobCommand;
import io.stenographer.application.port.in.RunPurgeJobUseCase;
import io.stenographer.application.port.in.RunReportFilePurgeUseCase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Locale;
import org.jboss.logging.Logger;

/**
 * Runs the archive, purge and report-file purge jobs on their crons. Every instance fires; the jobs' cluster-wide lock lets
 * one of them work and records the others as skipped.
 */
@ApplicationScoped
public class RetentionJobsTrigger {

    private static final Logger LOG = Logger.getLogger(RetentionJobsTrigger.class);

    private final RunArchiveJobUseCase archiveJob;
    private final RunPurgeJobUseCase purgeJob;
    private final RunReportFilePurgeUseCase reportFilesJob;

    RetentionJobsTrigger(RunArchiveJobUseCase archiveJob, RunPurgeJobUseCase purgeJob,
            RunReportFilePurgeUseCase reportFilesJob) {
        this.archiveJob = archiveJob;
        this.purgeJob = purgeJob;
        this.reportFilesJob = reportFilesJob;
    }

    @Scheduled(identity = "archive", cron = "${stenographer.archive.cron}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void archive() {
        report(archiveJob.run(RunJobCommand.scheduled()));
    }

    @Scheduled(identity = "purge", cron = "${stenographer.purge.cron}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void purge() {
        report(purgeJob.run(RunJobCommand.scheduled()));
    }

    @Scheduled(identity = "report-files", cron = "${stenographer.reports.files.purge-cron}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void purgeReportFiles() {
        report(reportFilesJob.run(RunJobCommand.scheduled()));
    }

    private static void report(JobRun run) {
        String job = run.job().name().toLowerCase(Locale.ROOT);
        switch (run.status()) {
            case FAILED -> LOG.errorf("%s run %s failed: %s", job, run.id(), run.error());
            case SKIPPED -> LOG.debugf("%s run %s skipped: %s", job, run.id(), run.error());
            default -> LOG.infof("%s run %s %s in %d ms", job, run.id(), run.status().name().toLowerCase(
                    Locale.ROOT), run.duration() == null ? 0 : run.duration().toMillis());
        }
    }
}
