package io.stenographer.bootstrap.reports;

import io.quarkus.runtime.StartupEvent;
import io.stenographer.adapters.persistence.PostgresJobRuns;
import io.stenographer.adapters.persistence.PostgresLegalHolds;
import io.stenographer.adapters.persistence.PostgresMerkleLog;
import io.stenographer.adapters.persistence.PostgresReportFiles;
import io.stenographer.adapters.persistence.PostgresReportJobs;
import io.stenographer.adapters.reports.LocalReportStaging;
import io.stenographer.application.port.in.RunReportFilePurgeUseCase;
import io.stenographer.application.port.out.ArchiveSegmentsPort;
import io.stenographer.application.port.out.StageReportFilesPort;
import io.stenographer.application.port.out.TransactionRunner;
import io.stenographer.application.service.JobRuns;
import io.stenographer.application.service.PurgeReportFilesService;
import io.stenographer.application.service.ReportFiles;
import io.stenographer.application.service.SelfAudit;
import io.stenographer.domain.report.ReportFileRetention;
import io.stenographer.domain.retention.RetentionPeriod;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Report files in the store every instance reads (docs/REPORTS.md, "Report files"): small ones in the database, large
 * ones in the archive store; this instance's reports directory is scratch space only. Also their retention and the
 * job that purges them.
 */
@ApplicationScoped
public class ReportFilesConfiguration {

    private static final Logger LOG = Logger.getLogger(ReportFilesConfiguration.class);

    /** The retention of report files, checked at start-up: below the configured minimum the service does not start. */
    @Produces
    @Singleton
    ReportFileRetention reportFileRetention(
            @ConfigProperty(name = "stenographer.reports.files.retention") String retention,
            @ConfigProperty(name = "stenographer.reports.files.minimum-retention") String minimum) {
        try {
            return new ReportFileRetention(RetentionPeriod.parse("stenographer.reports.files.retention", retention),
                    RetentionPeriod.parse("stenographer.reports.files.minimum-retention", minimum));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("invalid report-file retention in configuration: " + e.getMessage(), e);
        }
    }

    @Produces
    @ApplicationScoped
    StageReportFilesPort reportStaging(@ConfigProperty(name = "stenographer.reports.dir") Path directory)
            throws IOException {
        return new LocalReportStaging(directory);
    }

    /** Also the {@code StoreReportFilesPort} the report generator writes through. */
    @Produces
    @ApplicationScoped
    ReportFiles reportFiles(StageReportFilesPort staging, PostgresReportFiles catalog, ArchiveSegmentsPort archive,
            TransactionRunner transactions, Clock clock, ReportFileRetention retention,
            io.stenographer.application.service.PersonalDataVault vault,
            @ConfigProperty(name = "stenographer.reports.files.inline-max-bytes") long inlineMaxBytes) {
        // A report with personal data is stored encrypted under its own key (docs/PRIVACY.md).
        return new ReportFiles(staging, catalog, archive, transactions, clock, inlineMaxBytes, retention,
                vault.reportFileKeys());
    }

    @Produces
    @ApplicationScoped
    RunReportFilePurgeUseCase reportFilePurge(PostgresReportFiles purge, PostgresReportJobs reports,
            ArchiveSegmentsPort archive, PostgresLegalHolds holds, PostgresMerkleLog log, SelfAudit selfAudit,
            JobRuns jobRuns, TransactionRunner transactions, Clock clock, ReportFileRetention retention) {
        return new PurgeReportFilesService(purge, reports, archive, holds, log, selfAudit, jobRuns, transactions, clock,
                retention);
    }

    /**
     * Checks the retention against the database's own floor once the service runs: a retention below it is allowed
     * (the database simply keeps files until the floor), but said loudly, since the purge will be refused until then.
     */
    void compareWithTheDatabaseFloor(@Observes StartupEvent started, ReportFileRetention retention,
            PostgresReportFiles files, TransactionRunner transactions) {
        try {
            RetentionPeriod floor = transactions.inTransaction(files::retentionFloor);
            if (retention.keepFor().isShorterThan(floor)) {
                LOG.warnf("stenographer.reports.files.retention is %s, shorter than the database's floor for report"
                        + " files (%s, report_file_retention_floor): files are kept until the floor has passed",
                        retention.keepFor().iso(), floor.iso());
            }
        } catch (RuntimeException e) {
            LOG.warnf("the database's floor for report files could not be read at start-up: %s", e.getMessage());
        }
    }
}
