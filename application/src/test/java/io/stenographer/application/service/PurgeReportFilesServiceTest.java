package io.stenographer.application.service;

import static io.stenographer.application.service.fakes.TestDrafts.ACME;
import static io.stenographer.application.service.fakes.TestDrafts.auditor;
import static io.stenographer.application.service.fakes.TestDrafts.caller;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stenographer.application.port.in.JobRun;
import io.stenographer.application.port.in.ReportFilesTenantOutcome;
import io.stenographer.application.port.in.RunJobCommand;
import io.stenographer.application.port.out.LoadLogPort;
import io.stenographer.application.service.fakes.FakeTransactionRunner;
import io.stenographer.application.service.fakes.InMemoryArchive;
import io.stenographer.application.service.fakes.InMemoryEventStore;
import io.stenographer.application.service.fakes.InMemoryJobLocks;
import io.stenographer.application.service.fakes.InMemoryJobRuns;
import io.stenographer.application.service.fakes.InMemoryLegalHolds;
import io.stenographer.application.service.fakes.InMemoryReportFiles;
import io.stenographer.application.service.fakes.InMemoryReportStaging;
import io.stenographer.application.service.fakes.MutableClock;
import io.stenographer.domain.access.Role;
import io.stenographer.domain.access.TenantAccessDenied;
import io.stenographer.domain.event.AuditEvent;
import io.stenographer.domain.json.CanonicalJson;
import io.stenographer.domain.report.ReportFile;
import io.stenographer.domain.report.ReportFileRetention;
import io.stenographer.domain.report.ReportFormat;
import io.stenographer.domain.report.ReportJob;
import io.stenographer.domain.retention.HoldCriteria;
import io.stenographer.domain.retention.HoldId;
import io.stenographer.domain.retention.LegalHold;
import io.stenographer.domain.retention.RetentionPeriod;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The report-file purge with fakes of its ports: expired files go (bytes in the database, objects in the archive
 * store) with one event each; a hold over the report's period, the store's lock and the database's floor keep them.
 */
class PurgeReportFilesServiceTest {

    private static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");
    private static final int INLINE_MAX = 64;

    private final FakeTransactionRunner transactions = new FakeTransactionRunner();
    private final MutableClock clock = new MutableClock(NOW);
    private final SplittableRandom random = new SplittableRandom(7);
    private final InMemoryEventStore events = new InMemoryEventStore(transactions);
    private final InMemoryLegalHolds holds = new InMemoryLegalHolds(transactions);
    private final ReportFileFixtures.Reports reports = new ReportFileFixtures.Reports();
    private final ReportFileRetention retention = new ReportFileRetention(RetentionPeriod.parse("P30D"),
            RetentionPeriod.parse("P1D"));
    private final InMemoryReportFiles catalog = new InMemoryReportFiles(transactions, clock,
            RetentionPeriod.parse("P1D"), reports.port(), holds, this::purgeEventPending);
    private final InMemoryArchive archive = new InMemoryArchive(clock);
    private final ReportFiles files = new ReportFiles(new InMemoryReportStaging(), catalog, archive, transactions,
            clock, INLINE_MAX, retention, ReportFiles.FileKeys.NONE);
    private final InMemoryJobRuns runs = new InMemoryJobRuns(transactions);
    private final PurgeReportFilesService purge = service(catalog);

    private PurgeReportFilesService service(InMemoryReportFiles port) {
        return new PurgeReportFilesService(port, reports.port(), archive, holds, log(), new SelfAudit(events, clock,
                random, StoredIdentifiers.AS_GIVEN), new JobRuns(runs, new InMemoryJobLocks(), transactions, clock, random), transactions, clock,
                retention);
    }

    /** The function's check for the purge's event: appended in the transaction that calls it. */
    private boolean purgeEventPending(UUID reportId) {
        return events.appends().stream().filter(a -> a.transaction() == transactions.current())
                .flatMap(a -> a.events().stream())
                .anyMatch(e -> e.content().action().value().equals("report.file.purged")
                        && e.content().resource().id().equals(reportId.toString()));
    }

    private static LoadLogPort log() {
        return (LoadLogPort) Proxy.newProxyInstance(LoadLogPort.class.getClassLoader(), new Class<?>[] {LoadLogPort.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("tenantsWithLogs")) {
                        return List.of(ACME);
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    private ReportJob generated(int size, Instant from, Instant to) throws Exception {
        byte[] content = "r".repeat(size).getBytes(StandardCharsets.US_ASCII);
        ReportJob job = reports.succeeded(ACME, ReportFormat.JSON, from, to, clock.instant(), content);
        files.write(ACME, job.id(), ReportFormat.JSON, java.util.Optional.empty(), out -> out.write(content));
        return job;
    }

    private ReportFile file(ReportJob job) {
        return catalog.committed().get(job.id());
    }

    private static RunJobCommand byAdmin(boolean dryRun) {
        return RunJobCommand.manual(caller("carol", Role.COMPLIANCE_ADMIN, ACME), List.of(ACME), dryRun);
    }

    private ReportFilesTenantOutcome outcome(JobRun run) {
        assertThat(run.error()).isNull();
        assertThat(run.status()).isEqualTo(JobRun.Status.SUCCEEDED);
        return (ReportFilesTenantOutcome) run.outcome().tenants().get(ACME);
    }

    private List<AuditEvent> purgedEvents() {
        return events.committed().stream().filter(e -> e.content().action().value().equals("report.file.purged"))
                .toList();
    }

    @Test
    void expiredFilesArePurgedFromBothStoresEachWithItsEventAndTheRecordStays() throws Exception {
        ReportJob small = generated(10, NOW.minusSeconds(7200), NOW.minusSeconds(3600));
        ReportJob large = generated(INLINE_MAX * 2, NOW.minusSeconds(7200), NOW.minusSeconds(3600));
        clock.advance(Duration.ofDays(20));
        ReportJob young = generated(10, NOW.minusSeconds(7200), NOW.minusSeconds(3600));
        clock.advance(Duration.ofDays(10));

        JobRun dry = purge.run(byAdmin(true));
        assertThat(outcome(dry).filesWouldPurge()).isEqualTo(2);
        assertThat(purgedEvents()).isEmpty();
        assertThat(file(small).purged()).isFalse();

        JobRun run = purge.run(byAdmin(false));
        ReportFilesTenantOutcome outcome = outcome(run);
        assertThat(outcome.filesPurged()).isEqualTo(2);
        assertThat(outcome.bytesPurged()).isEqualTo(10 + INLINE_MAX * 2);
        assertThat(run.job()).isEqualTo(JobRun.Job.REPORT_FILES);
        assertThat(run.outcome().eventsTotal()).isEqualTo(2);
        assertThat(file(small).purgedAt()).isEqualTo(clock.instant());
        assertThat(file(large).purged()).isTrue();
        assertThat(file(large).sha256()).as("the record stays").isNotNull();
        assertThat(file(young).purged()).isFalse();
        assertThat(archive.deleted()).containsExactly(file(large).archiveKey());
        assertThat(purgedEvents()).hasSize(2).allSatisfy(event -> {
            assertThat(event.content().actor().id()).isEqualTo("carol");
            assertThat(event.content().resource().type()).isEqualTo("report");
            assertThat(CanonicalJson.canonicalize(event.content().metadata())).contains(run.id().toString())
                    .contains("\"retention\":\"P30D\"");
        });
        assertThat(events.committed()).anySatisfy(e -> assertThat(e.content().action().value())
                .isEqualTo("report.file-purge.run"));
        // A second run finds nothing more to do.
        assertThat(outcome(purge.run(byAdmin(false))).filesPurged()).isZero();
    }

    @Test
    void aHoldOverTheReportsPeriodKeepsItsFileAndOneOverAnotherPeriodDoesNot() throws Exception {
        ReportJob held = generated(10, NOW.minusSeconds(7200), NOW.minusSeconds(3600));
        ReportJob free = generated(10, NOW.minusSeconds(86_400 * 10L), NOW.minusSeconds(86_400 * 9L));
        // A hold naming an actor only: its other criteria are not compared, its period overlaps the first report's.
        holds.seed(LegalHold.place(HoldId.newTimeOrdered(NOW, random), ACME, new HoldCriteria("someone", null, null,
                null, NOW.minusSeconds(86_400), null), "case-1", "litigation", "counsel", NOW));
        clock.advance(Duration.ofDays(31));

        ReportFilesTenantOutcome outcome = outcome(purge.run(byAdmin(false)));
        assertThat(outcome.filesHeld()).isEqualTo(1);
        assertThat(outcome.filesPurged()).isEqualTo(1);
        assertThat(file(held).purged()).isFalse();
        assertThat(file(free).purged()).isTrue();
        assertThat(catalog.purgeCalls()).as("a held file never reaches the database function")
                .containsExactly(free.id());
    }

    @Test
    void whatTheArchiveOrTheDatabaseRefusesStaysWithoutAnEvent() throws Exception {
        ReportJob locked = generated(INLINE_MAX * 2, NOW.minusSeconds(7200), NOW.minusSeconds(3600));
        archive.extendLock(file(locked).archiveKey(), NOW.plusSeconds(86_400 * 60L));
        clock.advance(Duration.ofDays(31));

        ReportFilesTenantOutcome outcome = outcome(purge.run(byAdmin(false)));
        assertThat(outcome.filesLocked()).isEqualTo(1);
        assertThat(file(locked).purged()).as("the whole purge rolled back").isFalse();
        assertThat(purgedEvents()).isEmpty();

        // A database whose own floor (owner-set) is longer than the configured retention keeps the file.
        InMemoryReportFiles strictDatabase = new InMemoryReportFiles(transactions, clock,
                RetentionPeriod.parse("P1Y"), reports.port(), holds, this::purgeEventPending);
        ReportFiles strictFiles = new ReportFiles(new InMemoryReportStaging(), strictDatabase, archive, transactions,
                clock, INLINE_MAX, retention, ReportFiles.FileKeys.NONE);
        ReportJob young = reports.succeeded(ACME, ReportFormat.CSV, NOW, NOW.plusSeconds(1), clock.instant(),
                new byte[] {1});
        strictFiles.write(ACME, young.id(), ReportFormat.CSV, java.util.Optional.empty(), out -> out.write(1));
        clock.advance(Duration.ofDays(31));
        ReportFilesTenantOutcome refused = outcome(service(strictDatabase).run(byAdmin(false)));
        assertThat(refused.filesBelowFloor()).isEqualTo(1);
        assertThat(strictDatabase.committed().get(young.id()).purged()).isFalse();
        assertThat(purgedEvents()).isEmpty();
    }

    @Test
    void aManualRunNeedsAComplianceAdminOfTheTenantAndScheduledRunsCoverEveryTenant() throws Exception {
        assertThatThrownBy(() -> purge.run(RunJobCommand.manual(auditor("ann", ACME), List.of(ACME), false)))
                .isInstanceOf(TenantAccessDenied.class);
        generated(10, NOW.minusSeconds(7200), NOW.minusSeconds(3600));
        clock.advance(Duration.ofDays(31));
        JobRun scheduled = purge.run(RunJobCommand.scheduled());
        assertThat(outcome(scheduled).filesPurged()).isEqualTo(1);
        assertThat(runs.all()).extracting(JobRun::job).containsOnly(JobRun.Job.REPORT_FILES);
    }
}
