package io.stenographer.application.service;

import io.stenographer.application.port.in.ArchiveTenantOutcome;
import io.stenographer.application.port.in.JobOutcome;
import io.stenographer.application.port.in.JobRun;
import io.stenographer.application.port.in.JobRunQuery;
import io.stenographer.application.port.in.JobRunsQuery;
import io.stenographer.application.service.fakes.FakeTransactionRunner;
import io.stenographer.application.service.fakes.InMemoryJobRuns;
import io.stenographer.domain.access.Caller;
import io.stenographer.domain.access.Role;
import io.stenographer.domain.access.TenantAccessDenied;
import io.stenographer.domain.event.TenantId;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import static io.stenographer.application.service.fakes.TestDrafts.ACME;
import static io.stenographer.application.service.fakes.TestDrafts.GLOBEX;
import static io.stenographer.application.service.fakes.TestDrafts.auditor;
import static io.stenographer.application.service.fakes.TestDrafts.caller;
import static io.stenographer.application.service.fakes.TestDrafts.writer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JobRunsServiceTest {

    private static final Instant T = Instant.parse("2026-06-01T00:00:00Z");
    private static final TenantId INITECH = TenantId.of("initech");

    private final FakeTransactionRunner transactions = new FakeTransactionRunner();
    private final InMemoryJobRuns runs = new InMemoryJobRuns(transactions);
    private final JobRunsService service = new JobRunsService(runs, transactions);

    private static final ArchiveTenantOutcome ACME_ARCHIVED = archived(3, null);
    private final JobRun shared = run(List.of(ACME, GLOBEX), new JobOutcome(orderedMap(
            ACME, ACME_ARCHIVED, GLOBEX, archived(0, "globex bucket is gone")), 3L, "PartialFailure"),
            "globex: globex bucket is gone");
    private final JobRun globexOnly = run(List.of(GLOBEX), JobOutcome.NONE, null);
    private final JobRun acmeOnly = run(List.of(ACME), new JobOutcome(null, 1L, null), null);

    JobRunsServiceTest() {
        runs.seed(shared);
        runs.seed(globexOnly);
        runs.seed(acmeOnly);
    }

    private static ArchiveTenantOutcome archived(long events, String error) {
        return new ArchiveTenantOutcome(events, List.of(), null, 0, 0, 0, error);
    }

    private static Map<TenantId, JobOutcome.TenantOutcome> orderedMap(TenantId first, JobOutcome.TenantOutcome one,
            TenantId second, JobOutcome.TenantOutcome two) {
        Map<TenantId, JobOutcome.TenantOutcome> map = new LinkedHashMap<>();
        map.put(first, one);
        map.put(second, two);
        return map;
    }

    private static JobRun run(List<TenantId> tenants, JobOutcome details, String error) {
        return new JobRun(UUID.randomUUID(), JobRun.Job.ARCHIVE, JobRun.Trigger.SCHEDULE, "stenographer.scheduler",
                tenants, false, error == null ? JobRun.Status.SUCCEEDED : JobRun.Status.FAILED, T, T.plusSeconds(5),
                details, error);
    }

    @Test
    void aCallerSeesOnlyRunsTouchingItsTenantsWithOtherTenantsDetailsRemoved() {
        Caller admin = caller("counsel", Role.COMPLIANCE_ADMIN, ACME);

        List<JobRun> visible = service.recent(new JobRunsQuery(admin, 10));

        assertThat(visible).extracting(JobRun::id).containsExactly(acmeOnly.id(), shared.id());
        assertThat(visible.get(0)).isEqualTo(acmeOnly);
        JobRun mine = visible.get(1);
        assertThat(mine.tenants()).containsExactly(ACME);
        assertThat(mine.outcome()).isEqualTo(new JobOutcome(Map.of(ACME, ACME_ARCHIVED), null, null));
        assertThat(mine.error()).isEqualTo("failed; see the per-tenant details").doesNotContain("globex");
        assertThat(mine.status()).isEqualTo(JobRun.Status.FAILED);
    }

    @Test
    void aCallerOfEveryTenantOfARunSeesItWhole() {
        assertThat(service.find(new JobRunQuery(auditor("auditor", ACME, GLOBEX), shared.id()))).contains(shared);
    }

    @Test
    void findingAnotherTenantsRunFindsNothingAndTheLimitIsApplied() {
        Caller admin = caller("counsel", Role.COMPLIANCE_ADMIN, ACME);

        assertThat(service.find(new JobRunQuery(admin, globexOnly.id()))).isEmpty();
        assertThat(service.recent(new JobRunsQuery(caller("x", Role.COMPLIANCE_ADMIN, INITECH), 10))).isEmpty();
        assertThat(service.recent(new JobRunsQuery(admin, 1))).extracting(JobRun::id).containsExactly(acmeOnly.id());
    }

    @Test
    void anotherTenantsManyRunsDoNotPushACallersOwnOutOfItsList() {
        for (int i = 0; i < 600; i++) {
            runs.seed(run(List.of(GLOBEX), JobOutcome.NONE, null)); // e.g. manual dry runs, each recorded
        }

        assertThat(service.recent(new JobRunsQuery(caller("counsel", Role.COMPLIANCE_ADMIN, ACME), 10)))
                .extracting(JobRun::id).containsExactly(acmeOnly.id(), shared.id());
    }

    @Test
    void aWriterMayNotListRuns() {
        assertThatThrownBy(() -> service.recent(new JobRunsQuery(writer("writer", ACME), 10))).isInstanceOf(TenantAccessDenied.class);
        assertThat(transactions.started()).isZero();
    }
}
