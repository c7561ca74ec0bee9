package io.stenographer.application.port.out;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stenographer.application.port.out.LoadEventsPort.IdempotencyRecord;
import io.stenographer.domain.event.Action;
import io.stenographer.domain.event.Actor;
import io.stenographer.domain.event.ActorType;
import io.stenographer.domain.event.AuditEvent;
import io.stenographer.domain.event.EventDraft;
import io.stenographer.domain.event.EventId;
import io.stenographer.domain.event.Outcome;
import io.stenographer.domain.event.ResourceRef;
import io.stenographer.domain.event.SealedEvent;
import io.stenographer.domain.event.Source;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.json.JsonArray;
import io.stenographer.domain.json.JsonBoolean;
import io.stenographer.domain.json.JsonNull;
import io.stenographer.domain.json.JsonNumber;
import io.stenographer.domain.json.JsonObject;
import io.stenographer.domain.json.JsonString;
import io.stenographer.domain.json.JsonValue;
import io.stenographer.domain.query.ActionFilter;
import io.stenographer.domain.query.EventCriteria;
import io.stenographer.domain.query.EventCursor;
import io.stenographer.domain.query.EventPage;
import io.stenographer.domain.query.PageRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every event store must do, through the ports the services use ({@link AppendEventsPort},
 * {@link LoadEventsPort}, {@link SearchEventsPort}), every call inside {@link TransactionRunner}. A
 * subclass runs it against each store: the PostgreSQL adapter (in {@code bootstrap}) and the in-memory
 * fake the service tests use ({@code InMemoryEventStoreContractTest}), so the fake is held to what
 * PostgreSQL does. Each test writes to its own tenant, so a store may be shared by all tests.
 *
 * <p>Published in the application module's test-jar. Checks only one store can make (its SQL rows, its
 * triggers) belong in that store's subclass.
 */
public abstract class EventStoreContractTest {

    protected static final Instant BASE = Instant.parse("2026-01-10T10:00:00.000001Z");

    /** PostgreSQL orders uuid bytewise, i.e. as two unsigned longs; Java's UUID.compareTo is signed. */
    private static final Comparator<UUID> UUID_ORDER = Comparator
            .comparing(UUID::getMostSignificantBits, Long::compareUnsigned)
            .thenComparing(UUID::getLeastSignificantBits, Long::compareUnsigned);
    private static final Comparator<AuditEvent> KEYSET = Comparator
            .comparing((AuditEvent e) -> e.content().occurredAt())
            .thenComparing(e -> e.id().value(), UUID_ORDER);

    /** The three ports of the store under test and the transactions they run in. */
    public record Store(AppendEventsPort appendEvents, LoadEventsPort loadEvents, SearchEventsPort searchEvents,
            TransactionRunner transactions) {
    }

    private AppendEventsPort appendEvents;
    private LoadEventsPort loadEvents;
    private SearchEventsPort searchEvents;
    private TransactionRunner transactions;

    /** The store under test; called before each test. A store shared by all tests is fine (tenants differ). */
    protected abstract Store store();

    @BeforeEach
    void storeUnderTest() {
        Store store = store();
        appendEvents = store.appendEvents();
        loadEvents = store.loadEvents();
        searchEvents = store.searchEvents();
        transactions = store.transactions();
    }

    private final Random random = new Random();

    // ---------------------------------------------------------------- round trip

    @Test
    void aFullEventRoundTripsUnchangedWithTheSameLeafHash() {
        AuditEvent event = fullEvent(uniqueTenant());

        append(event);
        AuditEvent restored = inTx(() -> loadEvents.findById(event.id())).orElseThrow();

        assertThat(restored).isEqualTo(event);
        assertThat(restored.leafHash()).isEqualTo(event.leafHash());
        assertThat(restored.leafInput()).isEqualTo(event.leafInput());
    }

    @Test
    void aMinimalEventRoundTripsWithItsAbsentFieldsStillAbsent() {
        TenantId tenant = uniqueTenant();
        EventDraft draft = new EventDraft(tenant, new Actor("bob", ActorType.USER, null), Action.of("login.succeeded"),
                null, null, Outcome.SUCCESS, BASE, new Source("sso", null, null), null, null, null);
        AuditEvent event = AuditEvent.record(newId(), BASE.plusSeconds(1), "writer-2", draft);

        append(event);
        AuditEvent restored = inTx(() -> loadEvents.findById(event.id())).orElseThrow();

        assertThat(restored).isEqualTo(event);
        assertThat(restored.content().resource()).isNull();
        assertThat(restored.content().reason()).isNull();
        assertThat(restored.content().correlationId()).isNull();
        assertThat(restored.content().clientEventId()).isNull();
        assertThat(restored.content().metadata()).isEqualTo(JsonObject.EMPTY);
        assertThat(restored.leafHash()).isEqualTo(event.leafHash());
    }

    @Test
    void anUnknownIdIsNotFound() {
        assertThat(inTx(() -> loadEvents.findById(newId()))).isEmpty();
    }

    // ---------------------------------------------------------------- idempotency keys

    @Test
    void findsWhatWasRecordedUnderEachClientEventIdOfOneTenantOnly() {
        TenantId tenant = uniqueTenant();
        TenantId other = uniqueTenant();
        AuditEvent first = event(tenant, "case.view", BASE, e -> e.key("k-1"));
        AuditEvent second = event(tenant, "case.edit", BASE.plusSeconds(1), e -> e.key("k-2"));
        AuditEvent unkeyed = event(tenant, "case.view", BASE.plusSeconds(2), e -> { });
        AuditEvent otherTenant = event(other, "case.delete", BASE, e -> e.key("k-1"));
        append(first, second, unkeyed);
        append(otherTenant);

        Map<String, IdempotencyRecord> found =
                inTx(() -> loadEvents.findByClientEventIds(tenant, List.of("k-1", "k-2", "k-3")));

        assertThat(found).containsOnlyKeys("k-1", "k-2");
        assertThat(found.get("k-1")).isEqualTo(new IdempotencyRecord(first.id(), first.leafHash(),
                first.receivedAt(), first.submittedBy(), first.committedContentDigest()));
        assertThat(found.get("k-2")).isEqualTo(new IdempotencyRecord(second.id(), second.leafHash(),
                second.receivedAt(), second.submittedBy(), second.committedContentDigest()));
        assertThat(inTx(() -> loadEvents.findByClientEventIds(other, List.of("k-1", "k-2"))))
                .containsOnlyKeys("k-1")
                .hasEntrySatisfying("k-1", record -> assertThat(record.id()).isEqualTo(otherTenant.id()));
        assertThat(inTx(() -> loadEvents.findByClientEventIds(tenant, List.of("nope")))).isEmpty();
    }

    @Test
    void aTakenClientEventIdIsReportedTypedAndNothingOfTheBatchIsStored() {
        TenantId tenant = uniqueTenant();
        AuditEvent winner = event(tenant, "case.view", BASE, e -> e.key("race"));
        append(winner);
        AuditEvent innocent = event(tenant, "case.view", BASE.plusSeconds(1), e -> { });
        AuditEvent loser = event(tenant, "case.edit", BASE, e -> e.key("race"));

        assertThatThrownBy(() -> append(innocent, loser)).isInstanceOf(ClientEventIdTaken.class);

        assertThat(inTx(() -> loadEvents.findById(innocent.id()))).isEmpty();
        assertThat(inTx(() -> loadEvents.findById(loser.id()))).isEmpty();
        assertThat(searchAll(tenant)).containsExactly(winner);
    }

    // ---------------------------------------------------------------- search filters

    @Test
    void everyFilterSelectsExactlyTheMatchingEventsOfTheTenantInKeysetOrder() {
        TenantId tenant = uniqueTenant();
        TenantId other = uniqueTenant();
        List<AuditEvent> events = new ArrayList<>();
        String[] actors = {"alice", "bob", "carol"};
        String[] actions = {"case.view", "case.export", "person.view", "cases.view", "case.note.add"};
        String[] types = {"case", "person"};
        String[] apps = {"portal", "batch"};
        for (int i = 0; i < 30; i++) {
            int n = i;
            events.add(event(tenant, actions[i % actions.length], BASE.plusSeconds(60L * (29 - i)), e -> e
                    .actor(actors[n % actors.length])
                    .resource(types[n % types.length], "R-" + (n % 4))
                    .outcome(Outcome.values()[n % 3])
                    .app(apps[n % apps.length])
                    .correlation(n % 5 == 0 ? "corr-a" : n % 5 == 1 ? "corr-b" : null)));
        }
        // Shuffled appends: the order must come from the query, not from insertion.
        List<AuditEvent> shuffled = new ArrayList<>(events);
        Collections.shuffle(shuffled, random);
        append(shuffled.toArray(AuditEvent[]::new));
        // A twin in another tenant that matches every filter and must never show up.
        append(event(other, "case.view", BASE, e -> e.actor("alice").resource("case", "R-0")
                .outcome(Outcome.SUCCESS).app("portal").correlation("corr-a")));

        Instant from = BASE.plusSeconds(60L * 10);
        Instant to = BASE.plusSeconds(60L * 20);
        Map<String, Case> cases = new LinkedHashMap<>();
        cases.put("none", new Case(EventCriteria.allOf(tenant), e -> true));
        cases.put("actor", new Case(criteria(tenant).actor("bob").build(),
                e -> e.content().actor().id().equals("bob")));
        cases.put("exact action", new Case(criteria(tenant).action("case.view").build(),
                e -> e.content().action().value().equals("case.view")));
        cases.put("action prefix", new Case(criteria(tenant).action("case.*").build(),
                e -> e.content().action().value().startsWith("case.")));
        cases.put("resource type", new Case(criteria(tenant).resourceType("person").build(),
                e -> e.content().resource().type().equals("person")));
        cases.put("resource", new Case(criteria(tenant).resourceType("case").resourceId("R-2").build(),
                e -> e.content().resource().type().equals("case") && e.content().resource().id().equals("R-2")));
        cases.put("outcome", new Case(criteria(tenant).outcome(Outcome.DENIED).build(),
                e -> e.content().outcome() == Outcome.DENIED));
        cases.put("from", new Case(criteria(tenant).from(from).build(),
                e -> !e.content().occurredAt().isBefore(from)));
        cases.put("to", new Case(criteria(tenant).to(to).build(),
                e -> e.content().occurredAt().isBefore(to)));
        cases.put("from/to", new Case(criteria(tenant).from(from).to(to).build(),
                e -> !e.content().occurredAt().isBefore(from) && e.content().occurredAt().isBefore(to)));
        cases.put("source application", new Case(criteria(tenant).app("batch").build(),
                e -> e.content().source().application().equals("batch")));
        cases.put("correlation id", new Case(criteria(tenant).correlation("corr-a").build(),
                e -> "corr-a".equals(e.content().correlationId())));
        cases.put("all at once", new Case(criteria(tenant).actor("alice").action("case.*").resourceType("case")
                .resourceId("R-0").outcome(Outcome.SUCCESS).from(BASE).to(BASE.plusSeconds(60L * 30)).app("portal")
                .correlation("corr-a").build(),
                e -> e.content().actor().id().equals("alice") && e.content().action().value().startsWith("case.")
                        && e.content().resource().equals(new ResourceRef("case", "R-0"))
                        && e.content().outcome() == Outcome.SUCCESS
                        && e.content().source().application().equals("portal")
                        && "corr-a".equals(e.content().correlationId())));

        cases.forEach((name, c) -> {
            List<AuditEvent> expected = events.stream().filter(c.matches()).sorted(KEYSET).toList();
            EventPage page = inTx(() -> searchEvents.search(c.criteria(), PageRequest.first(100)));
            assertThat(page.events()).as(name).isNotEmpty().containsExactlyElementsOf(expected);
            assertThat(page.next()).as(name).isNull();
        });
        // Boundaries: from is inclusive, to exclusive.
        assertThat(inTx(() -> searchEvents.search(criteria(tenant).from(from).to(from.plusNanos(1_000)).build(),
                PageRequest.first(10))).events()).singleElement()
                .satisfies(e -> assertThat(e.content().occurredAt()).isEqualTo(from));
        assertThat(inTx(() -> searchEvents.search(criteria(tenant).from(from.minusNanos(1_000)).to(from).build(),
                PageRequest.first(10))).events()).isEmpty();
    }

    @Test
    void aPrefixFilterMatchesWholeSegmentsOnly() {
        TenantId tenant = uniqueTenant();
        Map<String, AuditEvent> byAction = new LinkedHashMap<>();
        for (String action : List.of("case.view", "case.sub", "case.sub.add", "case.sub.x.y", "case.subs.add",
                "case.subx.add", "cases.x", "casea.b", "case-x.y", "case_x.y", "cas.e", "case0.y", "b.case.view",
                "person.case")) {
            byAction.put(action, event(tenant, action, BASE, e -> { }));
        }
        append(byAction.values().toArray(AuditEvent[]::new));

        assertThat(actions(tenant, "case.*")).containsExactlyInAnyOrder(
                "case.view", "case.sub", "case.sub.add", "case.sub.x.y", "case.subs.add", "case.subx.add");
        // The stem itself ('case.sub') is not under 'case.sub.*', nor are siblings sharing its letters.
        assertThat(actions(tenant, "case.sub.*")).containsExactlyInAnyOrder("case.sub.add", "case.sub.x.y");
        assertThat(actions(tenant, "cases.*")).containsExactly("cases.x");
        assertThat(actions(tenant, "case.view")).containsExactly("case.view");
        assertThat(actions(tenant, "case.vie.*")).isEmpty();
    }

    // ---------------------------------------------------------------- keyset paging

    @Test
    void keysetPagesWalkEveryEventOnceInOccurredAtThenIdOrderAcrossTies() {
        TenantId tenant = uniqueTenant();
        List<AuditEvent> events = new ArrayList<>();
        // Five events share one instant, with ids chosen to straddle the signed/unsigned boundary.
        Instant tie = BASE.plusSeconds(30);
        for (String id : List.of("ffffffff-ffff-7fff-bfff-ffffffffffff", "00000000-0000-7000-8000-000000000001",
                "80000000-0000-7000-8000-000000000000", "7fffffff-ffff-7fff-bfff-ffffffffffff",
                UUID.randomUUID().toString())) {
            events.add(event(new EventId(UUID.fromString(id)), tenant, "case.view", tie, e -> { }));
        }
        for (int i = 0; i < 20; i++) {
            // Pairs of events sharing an instant, spread before and after the big tie.
            events.add(event(tenant, "case.view", BASE.plusSeconds(i / 2 * 6L), e -> { }));
        }
        List<AuditEvent> shuffled = new ArrayList<>(events);
        Collections.shuffle(shuffled, random);
        append(shuffled.toArray(AuditEvent[]::new));
        List<AuditEvent> expected = events.stream().sorted(KEYSET).toList();

        for (int limit : List.of(1, 4, 5, 7, 25, 26)) {
            List<EventPage> pages = pages(EventCriteria.allOf(tenant), limit);
            List<AuditEvent> walked = pages.stream().flatMap(p -> p.events().stream()).toList();
            assertThat(walked).as("limit %d", limit).containsExactlyElementsOf(expected);
            assertThat(pages).as("limit %d", limit).hasSize(Math.max(1, (expected.size() + limit - 1) / limit));
            for (int i = 0; i < pages.size() - 1; i++) {
                AuditEvent last = pages.get(i).events().get(limit - 1);
                assertThat(pages.get(i).next()).isEqualTo(new EventCursor(last.content().occurredAt(), last.id()));
            }
            assertThat(pages.get(pages.size() - 1).next()).isNull();
        }
    }

    @Test
    void keysetPagesOfAFilteredSearchStayInsideTheFilter() {
        TenantId tenant = uniqueTenant();
        List<AuditEvent> events = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            int n = i;
            events.add(event(tenant, n % 2 == 0 ? "case.view" : "person.view", BASE.plusSeconds(n / 3),
                    e -> e.actor(n % 3 == 0 ? "dana" : "erin")));
        }
        append(events.toArray(AuditEvent[]::new));
        EventCriteria criteria = criteria(tenant).actor("erin").action("case.*").build();
        List<AuditEvent> expected = events.stream()
                .filter(e -> e.content().actor().id().equals("erin")
                        && e.content().action().value().equals("case.view"))
                .sorted(KEYSET).toList();

        List<AuditEvent> walked = pages(criteria, 3).stream().flatMap(p -> p.events().stream()).toList();

        assertThat(expected).hasSize(8);
        assertThat(walked).containsExactlyElementsOf(expected);
    }

    @Test
    void aCursorBetweenRowsContinuesStrictlyAfterIt() {
        TenantId tenant = uniqueTenant();
        AuditEvent a = event(new EventId(UUID.fromString("00000000-0000-7000-8000-000000000010")), tenant,
                "case.view", BASE, e -> { });
        AuditEvent b = event(new EventId(UUID.fromString("00000000-0000-7000-8000-000000000030")), tenant,
                "case.view", BASE, e -> { });
        AuditEvent c = event(tenant, "case.view", BASE.plus(Duration.ofNanos(1_000)), e -> { });
        append(a, b, c);
        // A cursor id that is not stored anywhere, between a and b at the same instant.
        EventCursor between = new EventCursor(BASE,
                new EventId(UUID.fromString("00000000-0000-7000-8000-000000000020")));

        EventPage page = inTx(() -> searchEvents.search(EventCriteria.allOf(tenant), new PageRequest(between, 10)));

        assertThat(page.events()).containsExactly(b, c);
        assertThat(page.next()).isNull();
    }

    // ---------------------------------------------------------------- helpers

    /** An event with every field set, metadata that canonicalisation reorders, and text beyond ASCII. */
    protected static AuditEvent fullEvent(TenantId tenant) {
        JsonObject metadata = object(
                "zeta", new JsonNumber(1),
                "alpha", object(
                        "list", new JsonArray(List.of(new JsonNumber(-0.5), new JsonString("two"), JsonBoolean.TRUE,
                                JsonNull.INSTANCE, object("deep", object("x", new JsonNumber(1e21))))),
                        "empty", JsonObject.EMPTY),
                "text", new JsonString("caf\u00e9 \u20ac \ud83d\ude00 \"quoted\" \\ line\nbreak"),
                "big", new JsonNumber(12345678901234.0));
        EventDraft draft = new EventDraft(tenant, new Actor("alice@example.org", ActorType.SERVICE, "Alice \u00c5berg"),
                Action.of("case.export"), new ResourceRef("case", "C-2026/0001"), "court order 17 \u00a7 3",
                Outcome.DENIED, Instant.parse("2026-01-10T09:59:58.123456Z"),
                new Source("portal", "2001:db8::ff00:42:8329", "Mozilla/5.0 (X11)"), "corr-" + UUID.randomUUID(),
                metadata, "client-" + UUID.randomUUID());
        return AuditEvent.record(EventId.newTimeOrdered(Instant.now(), new Random()),
                Instant.parse("2026-01-10T10:00:00.654321Z"), "writer-1", draft);
    }

    private record Case(EventCriteria criteria, Predicate<AuditEvent> matches) {
    }

    private List<String> actions(TenantId tenant, String filter) {
        EventCriteria criteria = new EventCriteria(tenant, null, ActionFilter.parse(filter), null, null, null, null,
                null, null, null);
        return inTx(() -> searchEvents.search(criteria, PageRequest.first(100))).events().stream()
                .map(e -> e.content().action().value()).toList();
    }

    private List<EventPage> pages(EventCriteria criteria, int limit) {
        List<EventPage> pages = new ArrayList<>();
        EventCursor after = null;
        do {
            PageRequest request = new PageRequest(after, limit);
            EventPage page = inTx(() -> searchEvents.search(criteria, request));
            pages.add(page);
            after = page.next();
            assertThat(pages).as("runaway paging").hasSizeLessThan(1_000);
        } while (after != null);
        return pages;
    }

    private List<AuditEvent> searchAll(TenantId tenant) {
        return inTx(() -> searchEvents.search(EventCriteria.allOf(tenant), PageRequest.first(1000))).events();
    }

    protected final void append(AuditEvent... events) {
        inTx(() -> {
            appendEvents.append(Arrays.stream(events).map(SealedEvent::of).toList());
            return null;
        });
    }

    protected final <T> T inTx(Supplier<T> work) {
        return transactions.inTransaction(work);
    }

    private EventId newId() {
        return EventId.newTimeOrdered(Instant.now(), random);
    }

    private AuditEvent event(TenantId tenant, String action, Instant occurredAt,
            Consumer<DraftBuilder> customise) {
        return event(newId(), tenant, action, occurredAt, customise);
    }

    private static AuditEvent event(EventId id, TenantId tenant, String action, Instant occurredAt,
            Consumer<DraftBuilder> customise) {
        DraftBuilder builder = new DraftBuilder(tenant, action, occurredAt);
        customise.accept(builder);
        return AuditEvent.record(id, occurredAt.plusSeconds(2), "writer-1", builder.build());
    }

    protected static TenantId uniqueTenant() {
        return TenantId.of("ct-" + UUID.randomUUID().toString().substring(0, 13));
    }

    private static JsonObject object(Object... nameValuePairs) {
        Map<String, JsonValue> members = new LinkedHashMap<>();
        for (int i = 0; i < nameValuePairs.length; i += 2) {
            members.put((String) nameValuePairs[i], (JsonValue) nameValuePairs[i + 1]);
        }
        return new JsonObject(members);
    }

    private static CriteriaBuilder criteria(TenantId tenant) {
        return new CriteriaBuilder(tenant);
    }

    /** Test data with every field settable. */
    private static final class DraftBuilder {
        private final TenantId tenant;
        private final String action;
        private final Instant occurredAt;
        private String actor = "alice";
        private ResourceRef resource = new ResourceRef("case", "C-1");
        private Outcome outcome = Outcome.SUCCESS;
        private String app = "portal";
        private String correlation;
        private String key;

        DraftBuilder(TenantId tenant, String action, Instant occurredAt) {
            this.tenant = tenant;
            this.action = action;
            this.occurredAt = occurredAt;
        }

        DraftBuilder actor(String value) {
            actor = value;
            return this;
        }

        DraftBuilder resource(String type, String id) {
            resource = new ResourceRef(type, id);
            return this;
        }

        DraftBuilder outcome(Outcome value) {
            outcome = value;
            return this;
        }

        DraftBuilder app(String value) {
            app = value;
            return this;
        }

        DraftBuilder correlation(String value) {
            correlation = value;
            return this;
        }

        DraftBuilder key(String value) {
            key = value;
            return this;
        }

        EventDraft build() {
            return new EventDraft(tenant, new Actor(actor, ActorType.USER, null), Action.of(action), resource, null,
                    outcome, occurredAt, new Source(app, null, null), correlation,
                    new JsonObject(Map.of("n", new JsonNumber(1))), key);
        }
    }

    private static final class CriteriaBuilder {
        private final TenantId tenant;
        private String actor;
        private ActionFilter action;
        private String resourceType;
        private String resourceId;
        private Outcome outcome;
        private Instant from;
        private Instant to;
        private String app;
        private String correlation;

        CriteriaBuilder(TenantId tenant) {
            this.tenant = tenant;
        }

        CriteriaBuilder actor(String value) {
            actor = value;
            return this;
        }

        CriteriaBuilder action(String value) {
            action = ActionFilter.parse(value);
            return this;
        }

        CriteriaBuilder resourceType(String value) {
            resourceType = value;
            return this;
        }

        CriteriaBuilder resourceId(String value) {
            resourceId = value;
            return this;
        }

        CriteriaBuilder outcome(Outcome value) {
            outcome = value;
            return this;
        }

        CriteriaBuilder from(Instant value) {
            from = value;
            return this;
        }

        CriteriaBuilder to(Instant value) {
            to = value;
            return this;
        }

        CriteriaBuilder app(String value) {
            app = value;
            return this;
        }

        CriteriaBuilder correlation(String value) {
            correlation = value;
            return this;
        }

        EventCriteria build() {
            return new EventCriteria(tenant, actor, action, resourceType, resourceId, outcome, from, to, app,
                    correlation);
        }
    }
}
