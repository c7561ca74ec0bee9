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
import io.stenographer.application.port.in.GetEventUseCase;
import io.stenographer.application.port.in.QueryEventsUseCase;
import io.stenographer.application.port.in.RecordEventsUseCase;
import io.stenographer.application.port.out.TransactionRunner;
import io.stenographer.application.service.GetEventService;
import io.stenographer.application.service.QueryEventsService;
import io.stenographer.application.service.RecordEventsService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import io.quarkus.runtime.Startup;
import jakarta.inject.Singleton;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.random.RandomGenerator;
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

    @Produces
    @ApplicationScoped
    RecordEventsUseCase recordEvents(PostgresEventStore store, TransactionRunner transactions, Clock clock,
            RandomGenerator random,
            @ConfigProperty(name = "stenographer.ingest.max-future-skew", defaultValue = "PT5M")
            Duration maxFutureSkew) {
        return new RecordEventsService(store, store, transactions, clock, random, maxFutureSkew);
    }

    @Produces
    @ApplicationScoped
    QueryEventsUseCase queryEvents(PostgresEventStore store, TransactionRunner transactions, Clock clock,
            RandomGenerator random) {
        return new QueryEventsService(store, store, transactions, clock, random);
    }

    @Produces
    @ApplicationScoped
    GetEventUseCase getEvent(PostgresEventStore store, TransactionRunner transactions, Clock clock,
            RandomGenerator random) {
        return new GetEventService(store, store, transactions, clock, random);
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
    VerifyLogUseCase verifyLog(PostgresMerkleLog log, PostgresEventStore store, PostgresVerificationRuns runs,
            SignCheckpointPort signer, TransactionRunner transactions, Clock clock, RandomGenerator random,
            LogOrigins origins) {
        return new VerifyLogService(log, store, runs, signer, transactions, clock, random, origins);
    }

    @Produces
    @ApplicationScoped
    ExportLogUseCase exportLog(PostgresMerkleLog log, PostgresEventStore store, SignCheckpointPort signer,
            TransactionRunner transactions, Clock clock, RandomGenerator random) {
        return new ExportLogService(log, store, signer, transactions, clock, random);
    }

    // --- Reports (issue 5) ------------------------------------------------------------------------

    @Produces
    @ApplicationScoped
    CreateReportUseCase createReport(PostgresReportJobs jobs, PostgresMerkleLog log, PostgresEventStore store,
            TransactionRunner transactions, Clock clock, RandomGenerator random,
            @ConfigProperty(name = "stenographer.reports.max-active-per-tenant") int maxActive) {
        return new CreateReportService(jobs, log, store, transactions, clock, random, maxActive);
    }

    @Produces
    @ApplicationScoped
    ReportFilesPort reportFiles(@ConfigProperty(name = "stenographer.reports.dir") Path directory) {
        return new LocalReportFiles(directory);
    }

    @Produces
    @ApplicationScoped
    GetReportUseCase getReport(PostgresReportJobs jobs, ReportFilesPort files, PostgresEventStore store,
            TransactionRunner transactions, Clock clock, RandomGenerator random) {
        return new GetReportService(jobs, files, store, transactions, clock, random);
    }

    @Produces
    @ApplicationScoped
    GenerateReportsUseCase generateReports(PostgresReportJobs jobs, PostgresMerkleLog log, PostgresEventStore store,
            ReportFilesPort files, SignCheckpointPort signer, TransactionRunner transactions, Clock clock,
            RandomGenerator random,
            @ConfigProperty(name = "stenographer.reports.max-events") long maxEvents,
            @ConfigProperty(name = "stenographer.reports.pdf-max-event-rows") long pdfMaxRows) {
        return new GenerateReportsService(jobs, log, store, files, new PdfReportRenderer(), signer,
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
