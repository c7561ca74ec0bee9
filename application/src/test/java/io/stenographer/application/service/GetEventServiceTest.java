package io.stenographer.application.service;

import static io.stenographer.application.service.fakes.TestDrafts.ACME;
import static io.stenographer.application.service.fakes.TestDrafts.GLOBEX;
import static io.stenographer.application.service.fakes.TestDrafts.auditor;
import static io.stenographer.application.service.fakes.TestDrafts.draft;
import static io.stenographer.application.service.fakes.TestDrafts.writer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stenographer.application.port.in.EventNotFound;
import io.stenographer.application.port.in.GetEventQuery;
import io.stenographer.application.service.fakes.EmptyArchiveCatalog;
import io.stenographer.application.service.fakes.FakeTransactionRunner;
import io.stenographer.application.service.fakes.InMemoryEventStore;
import io.stenographer.application.service.fakes.MutableClock;
import io.stenographer.domain.access.Caller;
import io.stenographer.domain.event.AuditEvent;
import io.stenographer.domain.event.EventId;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.json.JsonObject;
import io.stenographer.domain.json.JsonString;
import java.time.Instant;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class GetEventServiceTest {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00.5Z");
    private static final Instant EARLIER = Instant.parse("2026-02-15T08:00:00Z");

    private final FakeTransactionRunner transactions = new FakeTransactionRunner();
    private final InMemoryEventStore store = new InMemoryEventStore(transactions);
    private final GetEventService service =
            new GetEventService(store, new EmptyArchiveCatalog(), null,
                    new SelfAudit(store, new MutableClock(NOW), new SplittableRandom(5), StoredIdentifiers.AS_GIVEN), transactions);
    private final SplittableRandom ids = new SplittableRandom(13);

    private final AuditEvent acmeEvent = seeded(ACME);
    private final AuditEvent globexEvent = seeded(GLOBEX);

    @Test
    void returnsTheEventAndRecordsTheReadAsOneAuditQueryInTheSameTransaction() {
        AuditEvent found = service.get(new GetEventQuery(auditor("auditor-1", ACME), acmeEvent.id()));

        assertThat(found).isEqualTo(acmeEvent);
        assertThat(transactions.started()).isEqualTo(1);
        assertThat(transactions.committed()).isEqualTo(1);
        assertThat(store.findByIdTransactions()).containsExactly(1);
        assertThat(store.appends()).singleElement().satisfies(append -> {
            assertThat(append.transaction()).isEqualTo(1);
            assertThat(append.events()).singleElement().satisfies(audit -> {
                assertThat(audit.tenant()).isEqualTo(ACME);
                assertThat(audit.content().action().value()).isEqualTo("audit.query");
                assertThat(audit.submittedBy()).isEqualTo("auditor-1");
                assertThat(audit.content().actor().id()).isEqualTo("auditor-1");
                assertThat(audit.content().metadata()).isEqualTo(
                        new JsonObject(Map.of("eventId", new JsonString(acmeEvent.id().toString()))));
            });
        });
        assertThat(store.committed()).hasSize(3);
    }

    @Test
    void theReadIsRecordedInTheTenantOfTheEventRead() {
        Caller both = auditor("auditor-3", ACME, GLOBEX);

        service.get(new GetEventQuery(both, globexEvent.id()));

        assertThat(store.appends().get(0).events().get(0).tenant()).isEqualTo(GLOBEX);
    }

    @Test
    void anEventOfAnotherTenantIsNotFoundAndNothingIsRecorded() {
        assertNotFound(auditor("auditor-1", ACME), globexEvent.id());
    }

    @Test
    void aMissingEventIsNotFound() {
        assertNotFound(auditor("auditor-1", ACME), EventId.newTimeOrdered(EARLIER, ids));
    }

    @Test
    void aWriterOfTheTenantCannotReadEvents() {
        assertNotFound(writer("writer-1", ACME), acmeEvent.id());
    }

    private void assertNotFound(Caller caller, EventId id) {
        assertThatThrownBy(() -> service.get(new GetEventQuery(caller, id)))
                .isInstanceOfSatisfying(EventNotFound.class, e -> assertThat(e.id()).isEqualTo(id));
        assertThat(store.appends()).isEmpty();
        assertThat(store.committed()).containsExactly(acmeEvent, globexEvent);
        assertThat(transactions.committed()).isZero();
    }

    private AuditEvent seeded(TenantId tenant) {
        AuditEvent event = AuditEvent.record(EventId.newTimeOrdered(EARLIER, ids), EARLIER, "writer-1",
                draft(tenant, "case.view", EARLIER, null));
        store.seed(event);
        return event;
    }
}
