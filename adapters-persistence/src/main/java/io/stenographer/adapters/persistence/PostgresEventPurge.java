package io.stenographer.adapters.persistence;

import io.stenographer.application.port.out.PurgeEventsPort;
import io.stenographer.domain.event.EventId;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.retention.RetentionSubject;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Array;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.UUID;
import org.hibernate.Session;

/**
 * The one path that removes events from the hot store. It only calls the database's
 * {@code stenographer_purge_archived_events}, which deletes nothing but archived, unheld events inside their
 * segment (V8); the application role holds no DELETE privilege.
 */
@ApplicationScoped
public class PostgresEventPurge implements PurgeEventsPort {

    private final Jdbc jdbc;

    PostgresEventPurge(Session session) {
        this.jdbc = new Jdbc(session);
    }

    @Override
    public List<PurgeCandidate> purgeCandidates(TenantId tenant, long fromIndex, int limit) {
        return jdbc.query("""
                SELECT a.log_index, a.event_id, a.actor_id, a.action, a.resource_type, a.resource_id,
                       a.occurred_at, a.received_at
                FROM archived_event a JOIN audit_event e ON e.id = a.event_id
                WHERE a.tenant = ? AND a.log_index >= ?
                ORDER BY a.log_index LIMIT ?""", ps -> {
            ps.setString(1, tenant.value());
            ps.setLong(2, fromIndex);
            ps.setInt(3, limit);
        }, rs -> new PurgeCandidate(rs.getLong(1), new EventId(rs.getObject(2, UUID.class)),
                new RetentionSubject(tenant, rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
                        rs.getTimestamp(7).toInstant(), rs.getTimestamp(8).toInstant())));
    }

    @Override
    public List<Long> purge(TenantId tenant, List<EventId> events) {
        if (events.isEmpty()) {
            return List.of();
        }
        return jdbc.query("SELECT purged_log_index FROM stenographer_purge_archived_events(?, ?) ORDER BY 1",
                (PreparedStatement ps) -> {
                    ps.setString(1, tenant.value());
                    Array ids = ps.getConnection().createArrayOf("uuid",
                            events.stream().map(EventId::value).toArray());
                    ps.setArray(2, ids);
                }, rs -> rs.getLong(1));
    }
}
