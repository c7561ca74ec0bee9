package io.stenographer.bootstrap.reports;

import io.stenographer.adapters.persistence.PostgresMerkleLog;
import io.stenographer.adapters.persistence.PostgresReportFiles;
import io.stenographer.adapters.persistence.PostgresReportJobs;
import io.stenographer.adapters.reports.LocalReportSpool;
import io.stenographer.adapters.reports.PdfReportRenderer;
import io.stenographer.application.port.in.CreateReportUseCase;
import io.stenographer.application.port.in.GenerateReportsUseCase;
import io.stenographer.application.port.in.GetReportUseCase;
import io.stenographer.application.port.out.DeriveReportSecretPort;
import io.stenographer.application.port.out.RenderReportPort;
import io.stenographer.application.port.out.SignReportManifestPort;
import io.stenographer.application.port.out.SpoolReportEventsPort;
import io.stenographer.application.port.out.StoreReportFilesPort;
import io.stenographer.application.port.out.TransactionRunner;
import io.stenographer.application.service.ArchivedEventReader;
import io.stenographer.application.service.CreateReportService;
import io.stenographer.application.service.GenerateReportsService;
import io.stenographer.application.service.GetReportService;
import io.stenographer.application.service.ReportFiles;
import io.stenographer.application.service.SelfAudit;
import io.stenographer.application.service.TenantKeySets;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.random.RandomGenerator;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Compliance and FOIA reports (docs/REPORTS.md): requests, the worker, and downloads. */
@ApplicationScoped
public class ReportsConfiguration {

    @Produces
    @ApplicationScoped
    CreateReportUseCase createReport(PostgresReportJobs jobs, PostgresMerkleLog log, SelfAudit selfAudit,
            TransactionRunner transactions, Clock clock, RandomGenerator random,
            @ConfigProperty(name = "stenographer.reports.max-active-per-tenant") int maxActive,
            io.stenographer.application.service.PersonalDataVault vault) {
        return new CreateReportService(jobs, log, selfAudit, transactions, clock, random, maxActive,
                vault::storedForm);
    }

    @Produces
    @ApplicationScoped
    SpoolReportEventsPort reportSpools(@ConfigProperty(name = "stenographer.reports.dir") Path directory)
            throws IOException {
        return new LocalReportSpool(directory);
    }

    @Produces
    @ApplicationScoped
    GetReportUseCase getReport(PostgresReportJobs jobs, PostgresReportFiles catalog, ReportFiles files,
            SelfAudit selfAudit, TransactionRunner transactions) {
        return new GetReportService(jobs, catalog, files, selfAudit, transactions);
    }

    @Produces
    @ApplicationScoped
    GenerateReportsUseCase generateReports(PostgresReportJobs jobs, PostgresMerkleLog log,
            ArchivedEventReader archived, SelfAudit selfAudit, StoreReportFilesPort files,
            SpoolReportEventsPort spools, TenantKeySets keySets,
            SignReportManifestPort manifestSigner, TransactionRunner transactions, Clock clock,
            DeriveReportSecretPort secrets, io.stenographer.application.service.PersonalDataVault vault,
            @ConfigProperty(name = "stenographer.reports.fonts-dir") Path fontsDirectory,
            @ConfigProperty(name = "stenographer.reports.max-events") long maxEvents,
            @ConfigProperty(name = "stenographer.reports.pdf-max-event-rows") long pdfMaxRows,
            @ConfigProperty(name = "stenographer.reports.takeover-after") Duration takeoverAfter,
            @ConfigProperty(name = "stenographer.reports.max-attempts") int maxAttempts,
            @ConfigProperty(name = "stenographer.reports.max-running-per-tenant") int maxRunningPerTenant,
            @ConfigProperty(name = "stenographer.reports.dir") Path reportsDirectory) throws IOException {
        RenderReportPort pdfRenderer = PdfReportRenderer.loadingFontsFrom(fontsDirectory,
                reportsDirectory.resolve(".staging").resolve("pdf"));
        return new GenerateReportsService(jobs, log, archived, selfAudit, files, spools, pdfRenderer, keySets,
                manifestSigner, transactions, clock, secrets, maxEvents, pdfMaxRows,
                // A new id at every start: a restarted instance takes over its own earlier claims like any other.
                new GenerateReportsService.Claiming(UUID.randomUUID().toString(), takeoverAfter, maxAttempts,
                        maxRunningPerTenant), vault);
    }
}
