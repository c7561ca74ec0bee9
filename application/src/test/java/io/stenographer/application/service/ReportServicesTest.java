package io.stenographer.application.service;

import io.stenographer.application.port.in.CreateReportCommand;
import io.stenographer.application.port.in.GetReportUseCase;
import io.stenographer.application.port.in.ReportNotFound;
import io.stenographer.application.port.in.ReportNotReady;
import io.stenographer.application.port.in.ReportQuery;
import io.stenographer.application.port.in.ReportsQuery;
import io.stenographer.application.port.in.TooManyReports;
import io.stenographer.application.port.out.LoadLogPort;
import io.stenographer.application.port.out.TrackReportJobsPort;
import io.stenographer.application.service.fakes.FakeTransactionRunner;
import io.stenographer.application.service.fakes.InMemoryArchive;
import io.stenographer.application.service.fakes.InMemoryEventStore;
import io.stenographer.application.service.fakes.InMemoryLegalHolds;
import io.stenographer.application.service.fakes.InMemoryReportFiles;
import io.stenographer.application.service.fakes.InMemoryReportStaging;
import io.stenographer.application.service.fakes.MutableClock;
import io.stenographer.domain.access.Caller;
import io.stenographer.domain.access.TenantAccessDenied;
import io.stenographer.domain.checkpoint.Checkpoint;
import io.stenographer.domain.event.FieldViolation;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.log.PublishedCheckpoint;
import io.stenographer.domain.merkle.Hash;
import io.stenographer.domain.report.ReportClaim;
import io.stenographer.domain.report.ReportFileRetention;
import io.stenographer.domain.report.ReportFormat;
import io.stenographer.domain.report.ReportJob;
import io.stenographer.domain.report.ReportParameters;
import io.stenographer.domain.report.ReportStatus;
import io.stenographer.domain.report.ReportType;
import io.stenographer.domain.retention.RetentionPeriod;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import static io.stenographer.application.service.fakes.TestDrafts.ACME;
import static io.stenographer.application.service.fakes.TestDrafts.GLOBEX;
import static io.stenographer.application.service.fakes.TestDrafts.auditor;
import static io.stenographer.application.service.fakes.TestDrafts.writer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Create, status and download with fakes of their ports: limits, pinning, tenants, self-audit. */
class ReportServicesTest {

    private static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");
    private static final ReportParameters PERIOD = ReportParameters.period(NOW.minusSeconds(86_400), NOW);

    private final FakeTransactionRunner transactions = new FakeTransactionRunner();
    private final InMemoryEventStore events = new InMemoryEventStore(transactions);
    private final InMemoryJobs jobs = new InMemoryJobs();
    private final MutableClock clock = new MutableClock(NOW);
    private final SplittableRandom random = new SplittableRandom(1);
    private final SelfAudit selfAudit = new SelfAudit(events, clock, random, StoredIdentifiers.AS_GIVEN);
    private final CreateReportService create = new CreateReportService(jobs, log(Map.of(ACME, 42L)), selfAudit,
            transactions, clock, random, 2, StoredIdentifiers.AS_GIVEN);
    private final InMemoryReportFiles reportFiles = new InMemoryReportFiles(transactions, clock,
            RetentionPeriod.parse("P1D"), jobs, new InMemoryLegalHolds(transactions), id -> true);
    private final ReportFiles fileStore = new ReportFiles(new InMemoryReportStaging(), reportFiles,
            new InMemoryArchive(clock), transactions, clock, 1024,
            new ReportFileRetention(RetentionPeriod.parse("P90D"), RetentionPeriod.parse("P1D")), ReportFiles.FileKeys.NONE);
    private final GetReportService get = new GetReportService(jobs, reportFiles, fileStore, selfAudit, transactions);

    private CreateReportCommand command(Caller caller, TenantId tenant) {
        return new CreateReportCommand(caller, tenant, ReportType.FOIA_EXPORT, ReportFormat.CSV, PERIOD);
    }

    @Test
    void aReportIsQueuedPinnedToTheLatestCheckpointAndItsRequestIsLogged() {
        ReportJob job = create.create(command(auditor("ann", ACME), ACME));
        assertThat(job.status()).isEqualTo(ReportStatus.QUEUED);
        assertThat(job.treeSize()).isEqualTo(42);
        assertThat(job.requestedBy()).isEqualTo("ann");
        assertThat(job.id().version()).isEqualTo(4);
        assertThat(jobs.jobs).containsKey(job.id());
        assertThat(events.committed()).singleElement().satisfies(event -> {
            assertThat(event.content().action().value()).isEqualTo("report.requested");
            assertThat(event.content().actor().id()).isEqualTo("ann");
            assertThat(event.tenant()).isEqualTo(ACME);
        });
        assertThat(events.appends()).singleElement().extracting(InMemoryEventStore.Append::transaction)
                .isEqualTo(jobs.addedIn.get(0));
    }

    @Test
    void aTenantMayHaveOnlySoManyActiveReports() {
        create.create(command(auditor("ann", ACME), ACME));
        ReportJob second = create.create(command(auditor("ann", ACME), ACME));
        assertThatThrownBy(() -> create.create(command(auditor("ann", ACME), ACME)))
                .isInstanceOf(TooManyReports.class).hasMessageContaining("2 reports");
        assertThat(events.committed()).hasSize(2);
        jobs.finish(second.id());
        create.create(command(auditor("ann", ACME), ACME));
        assertThat(jobs.locked).containsOnly(ACME);
    }

    @Test
    void callersNeedTheAuditorRoleForTheTenantAndALogWithACheckpoint() {
        assertThatThrownBy(() -> create.create(command(auditor("ann", GLOBEX), ACME)))
                .isInstanceOf(TenantAccessDenied.class);
        assertThatThrownBy(() -> create.create(command(writer("w", ACME), ACME)))
                .isInstanceOf(TenantAccessDenied.class);
        assertThatThrownBy(() -> create.create(command(auditor("ann", GLOBEX), GLOBEX)))
                .isInstanceOf(FieldViolation.class).extracting("field").isEqualTo("tenant");
        assertThat(jobs.jobs).isEmpty();
        assertThat(events.committed()).isEmpty();
    }

    @Test
    void reportsOfOtherTenantsAreNotFoundAndOnlyFinishedOnesDownload() throws Exception {
        ReportJob job = create.create(command(auditor("ann", ACME), ACME));
        assertThatThrownBy(() -> get.status(new ReportQuery(auditor("eve", GLOBEX), job.id()))).isInstanceOf(ReportNotFound.class);
        assertThatThrownBy(() -> get.status(new ReportQuery(writer("w", ACME), job.id()))).isInstanceOf(ReportNotFound.class);
        assertThatThrownBy(() -> get.status(new ReportQuery(auditor("ann", ACME), UUID.randomUUID())))
                .isInstanceOf(ReportNotFound.class);
        assertThatThrownBy(() -> get.download(new ReportQuery(auditor("ann", ACME), job.id()),
                GetReportUseCase.Part.whole())).isInstanceOf(ReportNotReady.class);
        jobs.finish(job.id());
        fileStore.write(ACME, job.id(), ReportFormat.CSV, java.util.Optional.empty(), out -> out.write(("content of " + job.id()).getBytes()));
        var download = get.download(new ReportQuery(auditor("bob", ACME), job.id()), GetReportUseCase.Part.whole());
        assertThat(new String(download.content().open().readAllBytes())).isEqualTo("content of " + job.id());
        assertThat(events.committed()).extracting(e -> e.content().action().value())
                .containsExactly("report.requested", "report.downloaded");
        assertThat(events.committed().get(1).content().actor().id()).isEqualTo("bob");
        assertThat(get.recent(new ReportsQuery(auditor("bob", ACME), ACME, 10))).extracting(view -> view.job().id())
                .containsExactly(job.id());
        assertThatThrownBy(() -> get.recent(new ReportsQuery(auditor("eve", GLOBEX), ACME, 10))).isInstanceOf(TenantAccessDenied.class);
        assertThatThrownBy(() -> get.recent(new ReportsQuery(auditor("bob", ACME), ACME, 0))).isInstanceOf(FieldViolation.class);
    }

    private static LoadLogPort log(Map<TenantId, Long> sizes) {
        return (LoadLogPort) Proxy.newProxyInstance(LoadLogPort.class.getClassLoader(), new Class<?>[] {LoadLogPort.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("latestCheckpoint")) {
                        TenantId tenant = (TenantId) args[0];
                        return Optional.ofNullable(sizes.get(tenant)).map(size -> checkpoint(tenant, size));
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    private static PublishedCheckpoint checkpoint(TenantId tenant, long size) {
        Checkpoint body = Checkpoint.of("test/" + tenant, size, new Hash(new byte[32]));
        return new PublishedCheckpoint(tenant, body, body.body() + "\n— test AAAA\n", NOW);
    }

    /** Requests and status in memory, recording the transaction of each write. */
    private final class InMemoryJobs implements TrackReportJobsPort {
        final Map<UUID, ReportJob> jobs = new LinkedHashMap<>();
        final List<Integer> addedIn = new ArrayList<>();
        final List<TenantId> locked = new ArrayList<>();

        void finish(UUID id) {
            ReportJob j = jobs.get(id);
            jobs.put(id, new ReportJob(j.id(), j.tenant(), j.type(), j.format(), j.parameters(), j.requestedBy(),
                    j.requestedAt(), j.treeSize(), ReportStatus.SUCCEEDED, NOW, NOW, 1L, 10L, new Hash(new byte[32]),
                    null));
        }

        @Override
        public void lockTenant(TenantId tenant) {
            assertThat(transactions.current()).isPositive();
            locked.add(tenant);
        }

        @Override
        public long active(TenantId tenant) {
            return jobs.values().stream().filter(j -> j.tenant().equals(tenant) && !j.status().finished()).count();
        }

        @Override
        public void add(ReportJob job) {
            addedIn.add(transactions.current());
            jobs.put(job.id(), job);
        }

        @Override
        public Optional<ReportJob> find(UUID id) {
            return Optional.ofNullable(jobs.get(id));
        }

        @Override
        public List<ReportJob> recent(TenantId tenant, int limit) {
            return jobs.values().stream().filter(j -> j.tenant().equals(tenant)).limit(limit).toList();
        }

        @Override
        public void lockClaims() {
        }

        @Override
        public Optional<ReportClaim> claimNext(String instance, Instant now, Instant staleBefore,
                int maxRunningPerTenant, int maxAttempts, Set<UUID> excluded) {
            return Optional.empty();
        }

        @Override
        public List<ReportClaim> abandoned(Instant staleBefore, int maxAttempts) {
            return List.of();
        }

        @Override
        public boolean heartbeat(ReportClaim claim, Instant at) {
            return false;
        }

        @Override
        public boolean markSucceeded(ReportClaim claim, Instant at, long eventCount, long contentBytes,
                Hash contentSha256) {
            return false;
        }

        @Override
        public boolean markFailed(ReportClaim claim, Instant at, String error) {
            return false;
        }
    }
}
