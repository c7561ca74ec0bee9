package io.stenographer.application.service;

import io.stenographer.application.port.in.QueryEventsQuery;
import io.stenographer.application.port.in.QueryEventsUseCase;
import io.stenographer.application.port.out.CatalogSegmentsPort;
import io.stenographer.application.port.out.SearchEventsPort;
import io.stenographer.application.port.out.TransactionRunner;
import io.stenographer.domain.access.Role;
import io.stenographer.domain.event.AuditEvent;
import io.stenographer.domain.event.FieldViolation;
import io.stenographer.domain.event.Timestamps;
import io.stenographer.domain.json.JsonBoolean;
import io.stenographer.domain.json.JsonNumber;
import io.stenographer.domain.json.JsonObject;
import io.stenographer.domain.json.JsonString;
import io.stenographer.domain.json.JsonValue;
import io.stenographer.domain.query.EventCriteria;
import io.stenographer.domain.query.EventCursor;
import io.stenographer.domain.query.EventPage;
import io.stenographer.domain.query.PageRequest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Searches a tenant's events and, in the same transaction, records that the search happened. */
public final class QueryEventsService implements QueryEventsUseCase {

    static final String AUDIT_QUERY = "audit.query";
    /** Archive segments one page with includeArchived reads at most; a page that would need more ends early. */
    static final int MAX_SEGMENTS_PER_PAGE = 4;

    private final SearchEventsPort searchEvents;
    private final CatalogSegmentsPort catalog;
    private final ArchivedEventReader archived;
    private final SelfAudit selfAudit;
    private final TransactionRunner transactions;

    private final StoredIdentifiers identifiers;

    public QueryEventsService(SearchEventsPort searchEvents, CatalogSegmentsPort catalog, ArchivedEventReader archived,
            SelfAudit selfAudit, TransactionRunner transactions, StoredIdentifiers identifiers) {
        this.identifiers = java.util.Objects.requireNonNull(identifiers);
        this.searchEvents = searchEvents;
        this.catalog = catalog;
        this.archived = archived;
        this.selfAudit = selfAudit;
        this.transactions = transactions;
    }

    @Override
    public EventPage query(QueryEventsQuery query) {
        query.caller().require(Role.AUDITOR, query.criteria().tenant());
        // Searched, and recorded in the self-audit event, as the events store it: never a personal id in clear.
        EventCriteria criteria = identifiers.of(query.criteria());
        if (query.includeArchived() && (criteria.sourceApplication() != null || criteria.correlationId() != null)) {
            throw new FieldViolation("includeArchived", "cannot be combined with the sourceApplication or "
                    + "correlationId filters: the archive index does not hold them");
        }
        return transactions.inTransaction(() -> {
            EventPage page = searchEvents.search(criteria, query.page());
            if (query.includeArchived()) {
                page = withArchived(page, criteria, query.page());
            }
            Map<String, JsonValue> metadata = new LinkedHashMap<>();
            metadata.put("filter", describe(criteria));
            metadata.put("limit", new JsonNumber(query.page().limit()));
            metadata.put("paged", new JsonString(query.page().after() == null ? "first" : "next"));
            metadata.put("returned", new JsonNumber(page.events().size()));
            if (query.includeArchived()) {
                metadata.put("includeArchived", JsonBoolean.TRUE);
            }
            selfAudit.record(query.caller(), criteria.tenant(), AUDIT_QUERY, new JsonObject(metadata));
            return page;
        });
    }

    /**
     * Merges the hot page with purged events read back from the archive: both sides come in (occurredAt, id)
     * order after the same cursor, so the first {@code limit} of their union is the true page.
     */
    private EventPage withArchived(EventPage hot, EventCriteria criteria, PageRequest page) {
        List<CatalogSegmentsPort.ArchivedEventRef> refs = catalog.purgedMatching(criteria, page, page.limit() + 1);
        if (refs.isEmpty()) {
            return hot;
        }
        List<CatalogSegmentsPort.ArchivedEventRef> wanted = refs.size() > page.limit()
                ? refs.subList(0, page.limit()) : refs;
        int within = withinSegmentCap(wanted);
        List<AuditEvent> read = archived.read(wanted.subList(0, within));
        Comparator<AuditEvent> order = Comparator.comparing((AuditEvent e) -> e.content().occurredAt())
                .thenComparing(e -> e.id().value());
        List<AuditEvent> merged = new ArrayList<>(hot.events());
        merged.addAll(read);
        merged.sort(order);
        boolean capped = within < wanted.size();
        if (capped) {
            // Archived events after the last one read were not read: the page ends at it, the next starts after it.
            AuditEvent lastRead = read.get(read.size() - 1);
            merged.removeIf(event -> order.compare(event, lastRead) > 0);
        }
        boolean more = capped || hot.next() != null || refs.size() > page.limit() || merged.size() > page.limit();
        List<AuditEvent> events = merged.size() > page.limit() ? merged.subList(0, page.limit()) : merged;
        AuditEvent last = events.get(events.size() - 1);
        return new EventPage(List.copyOf(events), more ? new EventCursor(last.content().occurredAt(), last.id()) : null);
    }

    /**
     * How many of the refs, in order, lie in the first {@link #MAX_SEGMENTS_PER_PAGE} segments they touch. Each
     * segment is read whole and checked (up to 32 MiB), so a filter matching a few events in each of many segments
     * must not read them all for one page.
     */
    private static int withinSegmentCap(List<CatalogSegmentsPort.ArchivedEventRef> refs) {
        Set<String> segments = new HashSet<>();
        for (int i = 0; i < refs.size(); i++) {
            if (segments.add(refs.get(i).segmentKey()) && segments.size() > MAX_SEGMENTS_PER_PAGE) {
                return i;
            }
        }
        return refs.size();
    }

    static JsonObject describe(EventCriteria criteria) {
        Map<String, JsonValue> filter = new LinkedHashMap<>();
        put(filter, "actor", criteria.actorId());
        put(filter, "action", criteria.action() == null ? null : criteria.action().toString());
        put(filter, "resourceType", criteria.resourceType());
        put(filter, "resourceId", criteria.resourceId());
        put(filter, "outcome", criteria.outcome() == null ? null : criteria.outcome().wireName());
        put(filter, "from", criteria.from() == null ? null : Timestamps.format(criteria.from()));
        put(filter, "to", criteria.to() == null ? null : Timestamps.format(criteria.to()));
        put(filter, "sourceApplication", criteria.sourceApplication());
        put(filter, "correlationId", criteria.correlationId());
        return new JsonObject(filter);
    }

    private static void put(Map<String, JsonValue> filter, String name, String value) {
        if (value != null) {
            filter.put(name, new JsonString(value));
        }
    }
}
