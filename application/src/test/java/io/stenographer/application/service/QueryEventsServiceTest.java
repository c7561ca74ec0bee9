package io.stenographer.application.service;

import static io.stenographer.application.service.fakes.TestDrafts.ACME;
import static io.stenographer.application.service.fakes.TestDrafts.GLOBEX;
import static io.stenographer.application.service.fakes.TestDrafts.auditor;
import static io.stenographer.application.service.fakes.TestDrafts.draft;
import static io.stenographer.application.service.fakes.TestDrafts.writer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stenographer.application.port.in.QueryEventsQuery;
import io.stenographer.application.service.fakes.EmptyArchiveCatalog;
import io.stenographer.application.service.fakes.FakeTransactionRunner;
import io.stenographer.application.service.fakes.InMemoryEventStore;
import io.stenographer.application.service.fakes.MutableClock;
import io.stenographer.domain.access.Caller;
import io.stenographer.domain.access.TenantAccessDenied;
import io.stenographer.domain.event.ActorType;
import io.stenographer.domain.event.AuditEvent;
import io.stenographer.domain.event.EventId;
import io.stenographer.domain.event.Outcome;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.json.JsonNumber;
import io.stenographer.domain.json.JsonObject;
import io.stenographer.domain.json.JsonString;
import io.stenographer.domain.json.JsonValue;
import io.stenographer.domain.query.ActionFilter;
import io.stenographer.domain.query.EventCriteria;
import io.stenographer.domain.query.EventCursor;
import io.stenographer.domain.query.EventPage;
import io.stenographer.domain.query.PageRequest;
import java.time.Instant;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class QueryEventsServiceTest {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00.123456789Z");
    private static final Instant NOW_MICROS = Instant.parse("2026-03-01T12:00:00.123456Z");
    private static final Instant EARLIER = Instant.parse("2026-02-15T08:00:00Z");

    private final FakeTransactionRunner transactions = new FakeTransactionRunner();
    private final InMemoryEventStore store = new InMemoryEventStore(transactions);
    private final QueryEventsService service =
            new QueryEventsService(store, new EmptyArchiveCatalog(), null,
                    new SelfAudit(store, new MutableClock(NOW), new SplittableRandom(3), StoredIdentifiers.AS_GIVEN), transactions,
                    StoredIdentifiers.AS_GIVEN);
    private final SplittableRandom ids = new SplittableRandom(11);

    private final AuditEvent acmeView = seeded(ACME, "case.view", EARLIER);
    private final AuditEvent acmeEdit = seeded(ACME, "case.edit", EARLIER.plusSeconds(1));
    private final AuditEvent globexView = seeded(GLOBEX, "case.view", EARLIER);

    @Test
    void returnsThePageAndRecordsExactlyOneAuditQueryWithTheFilterInTheSameTransaction() {
        Caller auditor = auditor("auditor-1", ACME);
        EventCriteria criteria = new EventCriteria(ACME, "alice", ActionFilter.parse("case.*"), "case", "C-1",
                Outcome.SUCCESS, Instant.parse("2026-02-01T00:00:00Z"), Instant.parse("2026-03-01T00:00:00Z"),
                "portal", "corr-1");

        EventPage page = service.query(new QueryEventsQuery(auditor, criteria, PageRequest.first(25)));

        assertThat(page.events()).containsExactly(acmeView, acmeEdit);
        assertThat(transactions.started()).isEqualTo(1);
        assertThat(transactions.committed()).isEqualTo(1);
        assertThat(store.searches()).singleElement().satisfies(search -> {
            assertThat(search.transaction()).isEqualTo(1);
            assertThat(search.criteria()).isEqualTo(criteria);
            assertThat(search.page()).isEqualTo(PageRequest.first(25));
        });
        assertThat(store.appends()).singleElement().satisfies(append -> {
            assertThat(append.transaction()).isEqualTo(1);
            assertThat(append.events()).hasSize(1);
        });
        AuditEvent audit = store.appends().get(0).events().get(0);
        assertThat(audit.tenant()).isEqualTo(ACME);
        assertThat(audit.content().action().value()).isEqualTo("audit.query");
        assertThat(audit.content().actor().id()).isEqualTo("auditor-1");
        assertThat(audit.content().actor().type()).isEqualTo(ActorType.USER);
        assertThat(audit.submittedBy()).isEqualTo("auditor-1");
        assertThat(audit.content().outcome()).isEqualTo(Outcome.SUCCESS);
        assertThat(audit.content().source().application()).isEqualTo("stenographer");
        assertThat(audit.content().resource()).isNull();
        assertThat(audit.content().occurredAt()).isEqualTo(NOW_MICROS);
        assertThat(audit.receivedAt()).isEqualTo(NOW_MICROS);
        assertThat(audit.content().metadata()).isEqualTo(object(Map.of(
                "filter", object(Map.of(
                        "actor", new JsonString("alice"),
                        "action", new JsonString("case.*"),
                        "resourceType", new JsonString("case"),
                        "resourceId", new JsonString("C-1"),
                        "outcome", new JsonString("success"),
                        "from", new JsonString("2026-02-01T00:00:00.000000Z"),
                        "to", new JsonString("2026-03-01T00:00:00.000000Z"),
                        "sourceApplication", new JsonString("portal"),
                        "correlationId", new JsonString("corr-1"))),
                "limit", new JsonNumber(25),
                "paged", new JsonString("first"),
                "returned", new JsonNumber(2))));
        assertThat(store.committed()).contains(audit);
    }

    @Test
    void anUnfilteredQueryRecordsAnEmptyFilterAndANextPageIsMarkedAsSuch() {
        Caller auditor = auditor("auditor-1", ACME);
        EventCursor cursor = new EventCursor(acmeView.content().occurredAt(), acmeView.id());

        EventPage page = service.query(
                new QueryEventsQuery(auditor, EventCriteria.allOf(ACME), new PageRequest(cursor, 10)));

        assertThat(page.events()).containsExactly(acmeEdit);
        JsonObject metadata = store.appends().get(0).events().get(0).content().metadata();
        assertThat(metadata.get("filter")).isEqualTo(JsonObject.EMPTY);
        assertThat(metadata.get("paged")).isEqualTo(new JsonString("next"));
        assertThat(metadata.get("returned")).isEqualTo(new JsonNumber(1));
    }

    @Test
    void eachQueryIsAuditedSeparately() {
        Caller auditor = auditor("auditor-1", ACME);
        QueryEventsQuery query = new QueryEventsQuery(auditor, EventCriteria.allOf(ACME), PageRequest.first(100));

        service.query(query);
        EventPage second = service.query(query);

        assertThat(transactions.started()).isEqualTo(2);
        assertThat(store.appends()).extracting(InMemoryEventStore.Append::transaction).containsExactly(1, 2);
        // The first query's audit event is itself part of the tenant's log now.
        assertThat(second.events()).hasSize(3)
                .anyMatch(e -> e.content().action().value().equals("audit.query"));
    }

    @Test
    void anAuditorOfAnotherTenantIsRefusedBeforeAnythingRuns() {
        assertDenied(auditor("auditor-2", GLOBEX));
    }

    @Test
    void aWriterOfTheTenantMayNotQuery() {
        assertDenied(writer("writer-1", ACME));
    }

    private void assertDenied(Caller caller) {
        QueryEventsQuery query = new QueryEventsQuery(caller, EventCriteria.allOf(ACME), PageRequest.first(10));

        assertThatThrownBy(() -> service.query(query)).isInstanceOf(TenantAccessDenied.class);
        assertThat(transactions.started()).isZero();
        assertThat(store.searches()).isEmpty();
        assertThat(store.appends()).isEmpty();
        assertThat(store.committed()).containsExactly(acmeView, acmeEdit, globexView);
    }

    private AuditEvent seeded(TenantId tenant, String action, Instant occurredAt) {
        AuditEvent event = AuditEvent.record(EventId.newTimeOrdered(occurredAt, ids), occurredAt, "writer-1",
                draft(tenant, action, occurredAt, null));
        store.seed(event);
        return event;
    }

    private static JsonObject object(Map<String, JsonValue> members) {
        return new JsonObject(members);
    }
}
