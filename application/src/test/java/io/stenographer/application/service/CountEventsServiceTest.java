package io.stenographer.application.service;

import static io.stenographer.application.service.fakes.TestDrafts.ACME;
import static io.stenographer.application.service.fakes.TestDrafts.GLOBEX;
import static io.stenographer.application.service.fakes.TestDrafts.auditor;
import static io.stenographer.application.service.fakes.TestDrafts.caller;
import static io.stenographer.application.service.fakes.TestDrafts.draft;
import static io.stenographer.application.service.fakes.TestDrafts.writer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stenographer.application.port.in.CountEventsQuery;
import io.stenographer.application.port.in.CountEventsUseCase.EventCount;
import io.stenographer.application.service.fakes.FakeTransactionRunner;
import io.stenographer.application.service.fakes.InMemoryEventStore;
import io.stenographer.domain.access.Caller;
import io.stenographer.domain.access.Role;
import io.stenographer.domain.access.TenantAccessDenied;
import io.stenographer.domain.event.AuditEvent;
import io.stenographer.domain.event.EventId;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.query.ActionFilter;
import io.stenographer.domain.query.EventCriteria;
import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CountEventsServiceTest {

    private static final Instant EARLIER = Instant.parse("2026-02-15T08:00:00Z");

    private final FakeTransactionRunner transactions = new FakeTransactionRunner();
    private final InMemoryEventStore store = new InMemoryEventStore(transactions);
    private final CountEventsService service = new CountEventsService(store, transactions,
            StoredIdentifiers.AS_GIVEN);
    private final SplittableRandom ids = new SplittableRandom(5);

    @Test
    void countsTheMatchesOfTheSearchInOneTransactionAndRecordsNothing() {
        seed(ACME, "case.view", 3);
        seed(ACME, "case.edit", 2);
        seed(GLOBEX, "case.view", 4);

        EventCount count = service.count(new CountEventsQuery(auditor("auditor-1", ACME),
                new EventCriteria(ACME, null, ActionFilter.parse("case.view"), null, null, null, null, null, null,
                        null), 100));

        assertThat(count).isEqualTo(new EventCount(3, false));
        assertThat(transactions.started()).isEqualTo(1);
        assertThat(transactions.committed()).isEqualTo(1);
        assertThat(store.appends()).isEmpty();
    }

    @Test
    void exactlyTheCapIsAnExactCountAndOneMoreIsMoreThanTheCap() {
        seed(ACME, "case.view", 5);
        Caller auditor = auditor("auditor-1", ACME);

        assertThat(service.count(new CountEventsQuery(auditor, EventCriteria.allOf(ACME), 5)))
                .isEqualTo(new EventCount(5, false));
        assertThat(service.count(new CountEventsQuery(auditor, EventCriteria.allOf(ACME), 4)))
                .isEqualTo(new EventCount(4, true));
        assertThat(service.count(new CountEventsQuery(auditor, EventCriteria.allOf(ACME), 6)))
                .isEqualTo(new EventCount(5, false));
    }

    @Test
    void noMatchIsZero() {
        assertThat(service.count(new CountEventsQuery(auditor("auditor-1", ACME), EventCriteria.allOf(ACME), 10)))
                .isEqualTo(new EventCount(0, false));
    }

    @Test
    void onlyAnAuditorOfTheTenantMayCountAsOnlyOneMaySearch() {
        seed(ACME, "case.view", 1);
        for (Caller refused : new Caller[] {auditor("auditor-2", GLOBEX), writer("writer-1", ACME),
                caller("admin-1", Role.COMPLIANCE_ADMIN, ACME)}) {
            assertThatThrownBy(() -> service.count(new CountEventsQuery(refused, EventCriteria.allOf(ACME), 10)))
                    .isInstanceOf(TenantAccessDenied.class);
        }
        assertThat(transactions.started()).isZero();
    }

    @Test
    void theCapIsBounded() {
        Caller auditor = auditor("auditor-1", ACME);
        assertThatThrownBy(() -> new CountEventsQuery(auditor, EventCriteria.allOf(ACME), 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CountEventsQuery(auditor, EventCriteria.allOf(ACME), 100_001))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private void seed(TenantId tenant, String action, int count) {
        for (int i = 0; i < count; i++) {
            Instant at = EARLIER.plusSeconds(i);
            store.seed(AuditEvent.record(EventId.newTimeOrdered(at, ids), at, "writer-1",
                    draft(tenant, action, at, null)));
        }
    }
}
