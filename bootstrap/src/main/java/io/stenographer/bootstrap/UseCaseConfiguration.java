package io.stenographer.bootstrap;

import io.stenographer.adapters.persistence.PostgresEventStore;
import io.stenographer.adapters.persistence.PostgresMerkleLog;
import io.stenographer.adapters.persistence.PostgresVerificationRuns;
import io.stenographer.application.port.in.ExportLogUseCase;
import io.stenographer.application.port.in.VerifyLogUseCase;
import io.stenographer.application.service.ExportLogService;
import io.stenographer.application.service.VerifyLogService;
import io.stenographer.application.port.in.IntegrateEventsUseCase;
import io.stenographer.application.port.in.LogProofsUseCase;
import io.stenographer.application.port.out.SignCheckpointPort;
import io.stenographer.application.service.IntegrateEventsService;
import io.stenographer.application.service.LogProofsService;
import io.stenographer.bootstrap.signing.FileSigningKey;
import io.stenographer.domain.log.LogOrigins;
import java.nio.file.Path;
import io.stenographer.application.port.in.RecordEventsUseCase;
import io.stenographer.application.port.out.TransactionRunner;
import io.stenographer.application.service.RecordEventsService;
import io.stenographer.application.service.SelfAudit;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import io.quarkus.runtime.Startup;
import jakarta.inject.Singleton;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.random.RandomGenerator;
import io.stenographer.adapters.persistence.PostgresLegalHolds;
import io.stenographer.adapters.persistence.PostgresRetentionPolicies;
import io.stenographer.application.port.in.ManageLegalHoldsUseCase;
import io.stenographer.application.port.in.ManageRetentionPoliciesUseCase;
import io.stenographer.application.port.out.LegalHoldChangesPort;
import io.stenographer.application.service.ActiveRetentionPolicies;
import io.stenographer.application.service.ManageLegalHoldsService;
import io.stenographer.application.service.ManageRetentionPoliciesService;
import io.stenographer.domain.event.Timestamps;
import io.stenographer.domain.retention.PolicyId;
import io.stenographer.domain.retention.PolicyMatcher;
import io.stenographer.domain.retention.RetentionPeriod;
import io.stenographer.domain.retention.RetentionPolicies;
import io.stenographer.domain.retention.RetentionPolicy;
import jakarta.enterprise.inject.Instance;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import io.stenographer.adapters.persistence.PostgresReportJobs;
import io.stenographer.adapters.reports.LocalReportFiles;
import io.stenographer.adapters.reports.PdfReportRenderer;
import io.stenographer.application.port.in.CreateReportUseCase;
import io.stenographer.application.port.in.GenerateReportsUseCase;
import io.stenographer.application.port.in.GetReportUseCase;
import io.stenographer.application.port.out.ReportFilesPort;
import io.stenographer.application.port.out.SignReportManifestPort;
import io.stenographer.application.service.CreateReportService;
import io.stenographer.application.service.GenerateReportsService;
import io.stenographer.application.service.GetReportService;

/**
 * The composition root: the one place where services meet their adapters. Services stay plain Java;
 * only this class knows they run inside Quarkus.
 */
@ApplicationScoped
public class UseCaseConfiguration {

    @Produces
    @ApplicationScoped
    Clock clock() {
        return Clock.systemUTC();
    }

    /** Event ids carry 74 random bits; a CSPRNG keeps them unguessable. */
    @Produces
    @ApplicationScoped
    RandomGenerator random() {
        return new SecureRandom();
    }

    /** The one recorder of Stenographer's own use, shared by every service that audits itself. */
    @Produces
    @ApplicationScoped
    SelfAudit selfAudit(PostgresEventStore store, Clock clock, RandomGenerator random) {
        return new SelfAudit(store, clock, random);
    }

    @Produces
    @ApplicationScoped
    RecordEventsUseCase recordEvents(PostgresEventStore store, TransactionRunner transactions, Clock clock,
            RandomGenerator random,
            @ConfigProperty(name = "stenographer.ingest.max-future-skew", defaultValue = "PT5M")
            Duration maxFutureSkew) {
        return new RecordEventsService(store, store, transactions, clock, random, maxFutureSkew);
    }

    @Produces
    @Singleton
    LogOrigins logOrigins(@ConfigProperty(name = "stenographer.log.origin-prefix") String prefix) {
        return new LogOrigins(prefix);
    }

    /** Loaded at start-up, so a missing or exposed key stops the service before it accepts events. */
    @Produces
    @ApplicationScoped
    @Startup
    SignCheckpointPort checkpointSigner(
            @ConfigProperty(name = "stenographer.log.signing-key-file") Path keyFile,
            @ConfigProperty(name = "stenographer.log.key-name") String keyName,
            @ConfigProperty(name = "stenographer.log.generate-signing-key", defaultValue = "false") boolean generate) {
        return FileSigningKey.load(keyFile, keyName, generate);
    }

    @Produces
    @ApplicationScoped
    IntegrateEventsUseCase integrateEvents(PostgresMerkleLog log, SignCheckpointPort signer,
            TransactionRunner transactions, Clock clock, LogOrigins origins,
            @ConfigProperty(name = "stenographer.log.max-leaves-per-round", defaultValue = "20000") int maxLeaves) {
        return new IntegrateEventsService(log, log, log, signer, transactions, clock, origins, maxLeaves);
    }

    @Produces
    @ApplicationScoped
    LogProofsUseCase logProofs(PostgresMerkleLog log, SignCheckpointPort signer, TransactionRunner transactions) {
        return new LogProofsService(log, signer, transactions);
    }

    @Produces
    @ApplicationScoped
    VerifyLogUseCase verifyLog(PostgresMerkleLog log, SelfAudit selfAudit, PostgresVerificationRuns runs,
            SignCheckpointPort signer, TransactionRunner transactions, Clock clock, LogOrigins origins) {
        return new VerifyLogService(log, selfAudit, runs, signer, transactions, clock, origins);
    }

    @Produces
    @ApplicationScoped
    ExportLogUseCase exportLog(PostgresMerkleLog log, SelfAudit selfAudit, SignCheckpointPort signer,
            TransactionRunner transactions) {
        return new ExportLogService(log, selfAudit, signer, transactions);
    }

    // --- Retention policies and legal holds (docs/RETENTION.md) ---------------------------------------

    /**
     * The configured policies for all tenants: the mandatory default. Checked at start-up, so an invalid
     * period or a missing legal basis stops the service instead of archiving under a wrong rule.
     */
    @Produces
    @Singleton
    @Startup
    RetentionPolicies configuredRetentionPolicies(
            @ConfigProperty(name = "stenographer.retention.default.archive-after") String archiveAfter,
            @ConfigProperty(name = "stenographer.retention.default.retain-for") String retainFor,
            @ConfigProperty(name = "stenographer.retention.default.legal-basis") String legalBasis,
            Clock clock) {
        try {
            return RetentionPolicies.onlyDefault(RetentionPolicy.create(PolicyId.of("default"), 1, PolicyMatcher.ANY,
                    RetentionPeriod.parse("stenographer.retention.default.archive-after", archiveAfter),
                    RetentionPeriod.parse("stenographer.retention.default.retain-for", retainFor),
                    legalBasis, "configuration", Timestamps.truncate(clock.instant())));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("invalid default retention policy in configuration: " + e.getMessage(), e);
        }
    }

    /** What archive and purge jobs resolve events against, inside their own transactions. */
    @Produces
    @Singleton
    ActiveRetentionPolicies activeRetentionPolicies(PostgresRetentionPolicies stored, RetentionPolicies configured) {
        return new ActiveRetentionPolicies(stored, configured);
    }

    @Produces
    @ApplicationScoped
    ManageRetentionPoliciesUseCase manageRetentionPolicies(PostgresRetentionPolicies stored,
            ActiveRetentionPolicies active, SelfAudit selfAudit, TransactionRunner transactions, Clock clock) {
        return new ManageRetentionPoliciesService(stored, active, selfAudit, transactions, clock);
    }

    /** Every bean implementing {@link LegalHoldChangesPort} (e.g. the archive's legal-hold sync) is told of changes. */
    @Produces
    @ApplicationScoped
    ManageLegalHoldsUseCase manageLegalHolds(PostgresLegalHolds holds, Instance<LegalHoldChangesPort> listeners,
            SelfAudit selfAudit, TransactionRunner transactions, Clock clock, RandomGenerator random) {
        return new ManageLegalHoldsService(holds, listeners.stream().toList(), selfAudit, transactions, clock,
                random);
    }

    // --- Reports (issue 5) ------------------------------------------------------------------------

    @Produces
    @ApplicationScoped
    CreateReportUseCase createReport(PostgresReportJobs jobs, PostgresMerkleLog log, SelfAudit selfAudit,
            TransactionRunner transactions, Clock clock, RandomGenerator random,
            @ConfigProperty(name = "stenographer.reports.max-active-per-tenant") int maxActive) {
        return new CreateReportService(jobs, log, selfAudit, transactions, clock, random, maxActive);
    }

    @Produces
    @ApplicationScoped
    ReportFilesPort reportFiles(@ConfigProperty(name = "stenographer.reports.dir") Path directory) {
        return new LocalReportFiles(directory);
    }

    @Produces
    @ApplicationScoped
    GetReportUseCase getReport(PostgresReportJobs jobs, ReportFilesPort files, SelfAudit selfAudit,
            TransactionRunner transactions) {
        return new GetReportService(jobs, files, selfAudit, transactions);
    }

    @Produces
    @ApplicationScoped
    GenerateReportsUseCase generateReports(PostgresReportJobs jobs, PostgresMerkleLog log,
            io.stenographer.application.service.ArchivedEventReader archived, SelfAudit selfAudit,
            ReportFilesPort files, SignCheckpointPort signer, TransactionRunner transactions, Clock clock,
            RandomGenerator random,
            @ConfigProperty(name = "stenographer.reports.max-events") long maxEvents,
            @ConfigProperty(name = "stenographer.reports.pdf-max-event-rows") long pdfMaxRows) {
        return new GenerateReportsService(jobs, log, archived, selfAudit, files, new PdfReportRenderer(), signer,
                manifestSigner(signer), transactions, clock, random, maxEvents, pdfMaxRows);
    }

    /** The checkpoint key also signs report manifests; the bean is a client proxy of SignCheckpointPort. */
    private static SignReportManifestPort manifestSigner(SignCheckpointPort signer) {
        Object key = io.quarkus.arc.ClientProxy.unwrap(signer);
        if (!(key instanceof SignReportManifestPort manifests)) {
            throw new IllegalStateException("the checkpoint key " + key.getClass().getName()
                    + " cannot sign report manifests");
        }
        return manifests;
    }
}
