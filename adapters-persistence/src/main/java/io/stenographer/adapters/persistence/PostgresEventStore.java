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
        // The conditions are shared with the capped count (PostgresEventCounts), so both read the same matches.
        EventFilter filter = EventFilter.of(criteria, page.after());
        // One extra row tells whether another page exists without a count query.
        List<AuditEventEntity> rows;
        // Every filter has an index ending in (occurred_at, id), so each monthly partition can return its rows in
        // keyset order and a Merge Append stops after one page. With a tenant estimated small (a generic plan) and
        // months that are still empty, PostgreSQL may prefer to read every match and sort it instead: a deep page of
        // a time range read 5,000 buffers that way (docs/QUERY-PLANS.md, finding 5). A sort is never needed here.
        jdbc.call("SET LOCAL enable_sort = off", statement -> { });
        try {
            rows = repository.find(filter.hql(), Sort.by("occurredAt").and("id"), filter.values())
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
