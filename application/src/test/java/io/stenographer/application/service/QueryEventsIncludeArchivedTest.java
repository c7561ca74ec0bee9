package io.stenographer.application.service;

import static io.stenographer.application.service.fakes.TestDrafts.ACME;
import static io.stenographer.application.service.fakes.TestDrafts.GLOBEX;
import static io.stenographer.application.service.fakes.TestDrafts.auditor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stenographer.application.port.in.QueryEventsQuery;
import io.stenographer.application.service.fakes.FakeTransactionRunner;
import io.stenographer.application.service.fakes.InMemoryArchive;
import io.stenographer.application.service.fakes.InMemoryArchiveCatalog;
import io.stenographer.application.service.fakes.InMemoryEventStore;
import io.stenographer.application.service.fakes.InMemoryLog;
import io.stenographer.application.service.fakes.MutableClock;
import io.stenographer.application.service.fakes.TestEvents;
import io.stenographer.application.service.fakes.TestSegments;
import io.stenographer.domain.access.Caller;
import io.stenographer.domain.event.AuditEvent;
import io.stenographer.domain.event.FieldViolation;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.json.JsonBoolean;
import io.stenographer.domain.json.JsonNumber;
import io.stenographer.domain.query.ActionFilter;
import io.stenographer.domain.query.EventCriteria;
import io.stenographer.domain.query.EventCursor;
import io.stenographer.domain.query.EventPage;
import io.stenographer.domain.query.PageRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class QueryEventsIncludeArchivedTest {

    private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
    private static final Instant RECEIVED = NOW.minus(Duration.ofDays(60));
    private static final EventCriteria CASES = new EventCriteria(ACME, null, ActionFilter.parse("case.*"), null, null,
            null, null, null, null, null);

    private final SplittableRandom random = new SplittableRandom(5);
    private final MutableClock clock = new MutableClock(NOW);
    private final FakeTransactionRunner transactions = new FakeTransactionRunner();
    private final InMemoryEventStore hotStore = new InMemoryEventStore(transactions);
    private final InMemoryLog log = new InMemoryLog(transactions);
    private final InMemoryArchiveCatalog catalog = new InMemoryArchiveCatalog(transactions, log);
    private final InMemoryArchive archive = new InMemoryArchive(clock);
    private final QueryEventsService service = new QueryEventsService(hotStore, catalog,
            new ArchivedEventReader(catalog, archive, log), new SelfAudit(hotStore, clock, new SplittableRandom(3), StoredIdentifiers.AS_GIVEN),
            transactions, StoredIdentifiers.AS_GIVEN);
    private final Caller auditor = auditor("auditor", ACME);
    /** Every ACME case event, hot or purged, in (occurredAt, id) order. */
    private final List<AuditEvent> expected;

    QueryEventsIncludeArchivedTest() {
        // Index order differs from occurredAt order; purged and hot events alternate in occurredAt order.
        int[] minutes = {5, 1, 4, 2, 6, 3};
        List<AuditEvent> acme = new ArrayList<>();
        for (int m : minutes) {
            AuditEvent event = TestEvents.event(ACME, "case.view", "C-" + m,
                    RECEIVED.minus(Duration.ofMinutes(10 - m)), RECEIVED, random);
            log.append(event);
            acme.add(event);
        }
        AuditEvent globex = TestEvents.event(GLOBEX, "case.view", "C-1", RECEIVED.minusSeconds(30), RECEIVED, random);
        log.append(globex);
        TestSegments segments = new TestSegments(transactions, log, archive, catalog);
        segments.archive(ACME, 0, 6, NOW.plus(Duration.ofDays(365)), NOW);
        segments.archive(GLOBEX, 0, 1, NOW.plus(Duration.ofDays(365)), NOW);
        transactions.inTransaction(() -> {
            catalog.purge(ACME, List.of(acme.get(1).id(), acme.get(2).id(), acme.get(4).id()));
            return catalog.purge(GLOBEX, List.of(globex.id()));
        });
        hotStore.seed(acme.get(0), acme.get(3), acme.get(5));
        expected = acme.stream().sorted(Comparator.comparing((AuditEvent e) -> e.content().occurredAt())
                .thenComparing(e -> e.id().value())).toList();
    }

    private EventPage query(PageRequest page) {
        return service.query(new QueryEventsQuery(auditor, CASES, page, true));
    }

    @Test
    void pagingThroughMergesHotAndPurgedEventsInOccurredAtOrderWithoutGapsOrRepeats() {
        List<AuditEvent> seen = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        EventCursor cursor = null;
        do {
            EventPage page = query(new PageRequest(cursor, 2));
            seen.addAll(page.events());
            sizes.add(page.events().size());
            cursor = page.next();
        } while (cursor != null && sizes.size() < 10);

        assertThat(sizes).containsExactly(2, 2, 2);
        assertThat(seen).containsExactlyElementsOf(expected);
    }

    @Test
    void aFirstPageHoldsTheFirstEventsOfTheUnionAndACursorAtTheLastOfThem() {
        EventPage page = query(PageRequest.first(4));

        assertThat(page.events()).containsExactlyElementsOf(expected.subList(0, 4));
        assertThat(page.next()).isEqualTo(new EventCursor(expected.get(3).content().occurredAt(),
                expected.get(3).id()));
        assertThat(hotStore.appends()).singleElement().satisfies(append -> {
            var metadata = append.events().get(0).content().metadata();
            assertThat(metadata.get("returned")).isEqualTo(new JsonNumber(4));
            assertThat(metadata.get("includeArchived")).isEqualTo(JsonBoolean.TRUE);
        });
    }

    @Test
    void aPageLargeEnoughForEverythingHasNoCursor() {
        EventPage page = query(PageRequest.first(10));

        assertThat(page.events()).containsExactlyElementsOf(expected);
        assertThat(page.next()).isNull();
    }

    @Test
    void withoutIncludeArchivedOnlyHotEventsAreReturned() {
        EventPage page = service.query(new QueryEventsQuery(auditor, CASES, PageRequest.first(10)));

        assertThat(page.events()).hasSize(3).allMatch(e -> log.isHot(e.id()));
    }

    @Test
    void includeArchivedIsRefusedWithSourceApplicationOrCorrelationIdFilters() {
        for (EventCriteria criteria : List.of(
                new EventCriteria(ACME, null, null, null, null, null, null, null, "portal", null),
                new EventCriteria(ACME, null, null, null, null, null, null, null, null, "corr-1"))) {
            assertThatThrownBy(() -> service.query(new QueryEventsQuery(auditor, criteria, PageRequest.first(10),
                    true))).isInstanceOf(FieldViolation.class).hasMessageContaining("includeArchived");
        }
        assertThat(hotStore.searches()).isEmpty();
        assertThat(hotStore.appends()).isEmpty();
    }

    @Test
    void anotherTenantsPurgedEventsNeverAppear() {
        Caller globexAuditor = auditor("auditor", GLOBEX);
        EventCriteria acmeOnly = EventCriteria.allOf(TenantId.of("acme"));

        EventPage page = service.query(new QueryEventsQuery(auditor, acmeOnly, PageRequest.first(100), true));

        assertThat(page.events()).allMatch(e -> e.tenant().equals(ACME));
        assertThat(service.query(new QueryEventsQuery(globexAuditor, EventCriteria.allOf(GLOBEX),
                PageRequest.first(100), true)).events()).singleElement()
                .satisfies(e -> assertThat(e.tenant()).isEqualTo(GLOBEX));
    }

    @Test
    void aPageNeedingMoreArchiveSegmentsThanAllowedEndsAtTheLastEventItReadAndTheNextGoesOn() {
        TenantId initech = TenantId.of("initech");
        int count = QueryEventsService.MAX_SEGMENTS_PER_PAGE + 2;
        List<AuditEvent> purged = new ArrayList<>();
        TestSegments segments = new TestSegments(transactions, log, archive, catalog);
        for (int i = 0; i < count; i++) {
            AuditEvent event = TestEvents.event(initech, "case.view", "C-" + i, RECEIVED.plusSeconds(i), RECEIVED,
                    random);
            log.append(event);
            purged.add(event);
            segments.archive(initech, i, i + 1, NOW.plus(Duration.ofDays(365)), NOW); // one segment each
        }
        // One hot event after them all, which the first page must not take past the events it did not read.
        AuditEvent hot = TestEvents.event(initech, "case.view", "C-hot", RECEIVED.plusSeconds(count), RECEIVED,
                random);
        log.append(hot);
        hotStore.seed(hot);
        transactions.inTransaction(() -> catalog.purge(initech, purged.stream().map(AuditEvent::id).toList()));
        Caller initechAuditor = auditor("auditor", initech);
        EventCriteria all = new EventCriteria(initech, null, ActionFilter.parse("case.*"), null, null, null, null,
                null, null, null); // not the audit.query events the pages themselves add

        EventPage first = service.query(new QueryEventsQuery(initechAuditor, all, PageRequest.first(100), true));
        EventPage second = service.query(new QueryEventsQuery(initechAuditor, all,
                new PageRequest(first.next(), 100), true));

        assertThat(first.events()).containsExactlyElementsOf(
                purged.subList(0, QueryEventsService.MAX_SEGMENTS_PER_PAGE));
        assertThat(first.next()).isNotNull();
        List<AuditEvent> rest = new ArrayList<>(purged.subList(QueryEventsService.MAX_SEGMENTS_PER_PAGE, count));
        rest.add(hot);
        assertThat(second.events()).containsExactlyElementsOf(rest);
        assertThat(second.next()).isNull();
    }
}
