package io.stenographer.bootstrap.archive;

import io.stenographer.adapters.archive.LocalDirectoryArchive;
import io.stenographer.adapters.persistence.PostgresArchiveCatalog;
import io.stenographer.adapters.persistence.PostgresEventStore;
import io.stenographer.adapters.persistence.PostgresJobLock;
import io.stenographer.adapters.persistence.PostgresJobRuns;
import io.stenographer.adapters.persistence.PostgresMerkleLog;
import io.stenographer.application.port.in.GetEventUseCase;
import io.stenographer.application.port.in.JobRunsUseCase;
import io.stenographer.application.port.in.QueryEventsUseCase;
import io.stenographer.application.port.in.RunArchiveJobUseCase;
import io.stenographer.application.port.in.RunPurgeJobUseCase;
import io.stenographer.application.port.out.ArchiveSegmentsPort;
import io.stenographer.application.port.out.LegalHoldChangesPort;
import io.stenographer.application.port.out.LegalHoldsPort;
import io.stenographer.application.port.out.TransactionRunner;
import io.stenographer.application.service.ActiveRetentionPolicies;
import io.stenographer.application.service.ArchiveEventsService;
import io.stenographer.application.service.ArchiveLegalHolds;
import io.stenographer.application.service.ArchivedEventReader;
import io.stenographer.application.service.GetEventService;
import io.stenographer.application.service.JobRunsService;
import io.stenographer.application.service.PurgeEventsService;
import io.stenographer.application.service.QueryEventsService;
import io.stenographer.application.service.SelfAudit;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import java.nio.file.Path;
import java.time.Clock;
import java.util.random.RandomGenerator;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The composition root for archival, purge and reading events back: the archive store chosen by
 * configuration, and the services that use it.
 */
@ApplicationScoped
public class ArchiveConfiguration {

    private static final Logger LOG = Logger.getLogger(ArchiveConfiguration.class);

    @Produces
    @ApplicationScoped
    ArchiveSegmentsPort archive(ArchiveSettings settings) {
        return switch (settings.store()) {
            case "local" -> new LocalDirectoryArchive(Path.of(settings.localDir()));
            case "s3" -> S3ArchiveFactory.create(settings);
            default -> throw new IllegalStateException("stenographer.archive.store must be 'local' or 's3', was '"
                    + settings.store() + "'");
        };
    }

    /** The S3 client holds connections; release them on shutdown. */
    void closeArchive(@Disposes ArchiveSegmentsPort archive) throws Exception {
        if (archive instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }

    @Produces
    @ApplicationScoped
    ArchivedEventReader archivedEvents(PostgresArchiveCatalog catalog, ArchiveSegmentsPort archive,
            PostgresMerkleLog log) {
        return new ArchivedEventReader(catalog, archive, log);
    }

    @Produces
    @ApplicationScoped
    GetEventUseCase getEvent(PostgresEventStore store, PostgresArchiveCatalog catalog, ArchivedEventReader archived,
            SelfAudit selfAudit, TransactionRunner transactions) {
        return new GetEventService(store, catalog, archived, selfAudit, transactions);
    }

    @Produces
    @ApplicationScoped
    QueryEventsUseCase queryEvents(PostgresEventStore store, PostgresArchiveCatalog catalog,
            ArchivedEventReader archived, SelfAudit selfAudit, TransactionRunner transactions) {
        return new QueryEventsService(store, catalog, archived, selfAudit, transactions);
    }

    @Produces
    @ApplicationScoped
    RunArchiveJobUseCase archiveJob(PostgresMerkleLog log, PostgresArchiveCatalog catalog,
            ArchiveSegmentsPort archive, ActiveRetentionPolicies policies, LegalHoldsPort holds,
            SelfAudit selfAudit, PostgresJobRuns runs, PostgresJobLock locks, TransactionRunner transactions,
            Clock clock, RandomGenerator random, ArchiveSettings settings, ArchiveMetrics metrics) {
        return new ArchiveEventsService(log, catalog, archive, policies, holds, selfAudit, runs, locks, transactions,
                clock, random, settings.maxEventsPerSegment(), settings.maxSegmentsPerRun(), metrics);
    }

    @Produces
    @ApplicationScoped
    RunPurgeJobUseCase purgeJob(PostgresArchiveCatalog catalog, ArchiveSegmentsPort archive,
            ActiveRetentionPolicies policies, LegalHoldsPort holds, PostgresMerkleLog log, SelfAudit selfAudit,
            PostgresJobRuns runs, PostgresJobLock locks, TransactionRunner transactions, Clock clock,
            RandomGenerator random, ArchiveSettings settings, ArchiveMetrics metrics) {
        return new PurgeEventsService(catalog, catalog, archive, policies, holds, log, selfAudit, runs, locks,
                transactions, clock, random, settings.purgeBatchSize(), metrics);
    }

    @Produces
    @ApplicationScoped
    JobRunsUseCase jobRuns(PostgresJobRuns runs, TransactionRunner transactions) {
        return new JobRunsService(runs, transactions);
    }

    @Produces
    @ApplicationScoped
    LegalHoldChangesPort archiveLegalHolds(PostgresArchiveCatalog catalog, ArchiveSegmentsPort archive,
            LegalHoldsPort holds) {
        return new ArchiveLegalHolds(catalog, archive, holds, LOG::warn);
    }
}
