package io.stenographer.adapters.persistence;

import io.quarkus.panache.common.Sort;
import io.stenographer.application.port.out.AppendEventsPort;
import io.stenographer.application.port.out.ClientEventIdTaken;
import io.stenographer.application.port.out.LoadEventsPort;
import io.stenographer.application.port.out.SearchEventsPort;
import io.stenographer.domain.event.AuditEvent;
import io.stenographer.domain.event.EventId;
import io.stenographer.domain.event.SealedEvent;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.merkle.Hash;
import io.stenographer.domain.query.ActionFilter;
import io.stenographer.domain.query.EventCriteria;
import io.stenographer.domain.query.EventCursor;
import io.stenographer.domain.query.EventPage;
import io.stenographer.domain.query.PageRequest;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.hibernate.Session;
import org.hibernate.exception.ConstraintViolationException;

/** The PostgreSQL event store: appends and reads, never updates or deletes. */
@ApplicationScoped
public class PostgresEventStore implements AppendEventsPort, LoadEventsPort, SearchEventsPort {

    /** The idempotency keys' own table (V15): unique across every partition of the event store. */
    private static final String CLIENT_EVENT_ID_CONSTRAINT = "event_client_key_uq";

    private final AuditEventRepository repository;
    private final Jdbc jdbc;

    PostgresEventStore(AuditEventRepository repository, Session session) {
        this.repository = repository;
        this.jdbc = new Jdbc(session);
    }

    @Override
    public void append(List<SealedEvent> events) {
        List<AuditEventEntity> rows = new ArrayList<>(events.size());
        for (SealedEvent event : events) {
            rows.add(AuditEventRowMapper.toRow(event));
        }
        try {
            repository.persist(rows);
            // Flush now so a lost idempotency race surfaces here, typed, not at commit.
            repository.flush();
        } catch (ConstraintViolationException e) {
            if (CLIENT_EVENT_ID_CONSTRAINT.equals(e.getConstraintName())) {
                throw new ClientEventIdTaken("a concurrent request recorded the same client event id", e);
            }
            throw e;
        }
    }

    @Override
    public Optional<AuditEvent> findById(EventId id) {
        return repository.findByIdOptional(id.value()).map(AuditEventRowMapper::toDomain);
    }

    @Override
    public Map<String, IdempotencyRecord> findByClientEventIds(TenantId tenant, Collection<String> clientEventIds) {
        Map<UUID, String> keysByEvent = new HashMap<>();
        jdbc.query("SELECT client_event_id, event_id FROM event_client_key"
                + " WHERE tenant = ? AND client_event_id = ANY (?)", ps -> {
                    ps.setString(1, tenant.value());
                    ps.setArray(2, ps.getConnection().createArrayOf("text", clientEventIds.toArray()));
                }, rs -> Map.entry(rs.getObject(2, UUID.class), rs.getString(1)))
                .forEach(key -> keysByEvent.put(key.getKey(), key.getValue()));
        Map<String, IdempotencyRecord> found = new HashMap<>();
        if (keysByEvent.isEmpty()) {
            return found;
        }
        repository.list("id in :ids", Map.<String, Object>of("ids", keysByEvent.keySet())).forEach(row -> {
            AuditEvent event = AuditEventRowMapper.toDomain(row);
            found.put(keysByEvent.remove(row.id), new IdempotencyRecord(event.id(), new Hash(row.leafHash),
                    event.receivedAt(), event.submittedBy(), event.committedContentDigest()));
        });
        // A key outlives its event's purge: the id is still taken, by an event whose content is no longer here.
        keysByEvent.forEach((eventId, key) -> found.put(key, IdempotencyRecord.purged(new EventId(eventId))));
        return found;
    }

    @Override
    public EventPage search(EventCriteria criteria, PageRequest page) {
        StringBuilder where = new StringBuilder("tenant = :tenant");
        Map<String, Object> params = new HashMap<>();
        params.put("tenant", criteria.tenant().value());
        if (criteria.actorId() != null) {
            where.append(" and actorId = :actorId");
            params.put("actorId", criteria.actorId());
        }
        ActionFilter action = criteria.action();
        if (action != null && action.prefix()) {
            // Every action has at least two segments, so 'case.*' is exactly "first segment = case": an
            // equality that audit_event_action_namespace_ix (V3) serves in (occurred_at, id) order. A range
            // on action could only be served by sorting the namespace, and that is the plan PostgreSQL
            // caches as generic after a few searches (docs/QUERY-PLANS.md).
            String stem = action.value();
            int firstDot = stem.indexOf('.');
            where.append(" and function('split_part', action, '.', 1) = :actionNamespace");
            params.put("actionNamespace", stem.substring(0, firstDot));
            if (firstDot < stem.length() - 1) {
                // A deeper stem ('case.note.*') narrows inside the namespace, deliberately not as an
                // indexable range, so no plan trades the ordered namespace scan for a sort.
                where.append(" and left(action, :actionStemLength) = :actionStem");
                params.put("actionStemLength", stem.length());
                params.put("actionStem", stem);
            }
        } else if (action != null) {
            where.append(" and action = :action");
            params.put("action", action.value());
        }
        if (criteria.resourceType() != null) {
            where.append(" and resourceType = :resourceType");
            params.put("resourceType", criteria.resourceType());
        }
        if (criteria.resourceId() != null) {
            where.append(" and resourceId = :resourceId");
            params.put("resourceId", criteria.resourceId());
        }
        if (criteria.outcome() != null) {
            where.append(" and outcome = :outcome");
            params.put("outcome", criteria.outcome().wireName());
        }
        if (criteria.from() != null) {
            where.append(" and occurredAt >= :from");
            params.put("from", criteria.from());
        }
        if (criteria.to() != null) {
            where.append(" and occurredAt < :to");
            params.put("to", criteria.to());
        }
        if (criteria.sourceApplication() != null) {
            where.append(" and sourceApplication = :sourceApplication");
            params.put("sourceApplication", criteria.sourceApplication());
        }
        if (criteria.correlationId() != null) {
            where.append(" and correlationId = :correlationId");
            params.put("correlationId", criteria.correlationId());
        }
        EventCursor after = page.after();
        if (after != null) {
            // A row-value comparison is an index condition on every (..., occurred_at, id) index, so a
            // page starts at the cursor; the equivalent OR form is only a filter and rereads all before it.
            where.append(" and (occurredAt, id) > (:afterTime, :afterId)");
            params.put("afterTime", after.occurredAt());
            params.put("afterId", after.id().value());
        }
        // One extra row tells whether another page exists without a count query.
        List<AuditEventEntity> rows;
        // Every filter has an index ending in (occurred_at, id), so each monthly partition can return its rows in
        // keyset order and a Merge Append stops after one page. With a tenant estimated small (a generic plan) and
        // months that are still empty, PostgreSQL may prefer to read every match and sort it instead: a deep page of
        // a time range read 5,000 buffers that way (docs/QUERY-PLANS.md, finding 5). A sort is never needed here.
        jdbc.call("SET LOCAL enable_sort = off", statement -> { });
        try {
            rows = repository.find(where.toString(), Sort.by("occurredAt").and("id"), params)
                    .range(0, page.limit())
                    .list();
        } finally {
            jdbc.call("SET LOCAL enable_sort = on", statement -> { });
        }
        List<AuditEvent> events = new ArrayList<>(Math.min(rows.size(), page.limit()));
        for (int i = 0; i < Math.min(rows.size(), page.limit()); i++) {
            events.add(AuditEventRowMapper.toDomain(rows.get(i)));
        }
        EventCursor next = null;
        if (rows.size() > page.limit()) {
            AuditEvent last = events.get(events.size() - 1);
            next = new EventCursor(last.content().occurredAt(), last.id());
        }
        return new EventPage(events, next);
    }
}
