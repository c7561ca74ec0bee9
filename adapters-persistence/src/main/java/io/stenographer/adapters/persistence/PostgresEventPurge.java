package io.stenographer.adapters.persistence;

import io.stenographer.application.port.out.PurgeEventsPort;
import io.stenographer.application.port.out.PurgePartitionsPort;
import io.stenographer.domain.event.EventId;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.retention.RetentionSubject;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.hibernate.Session;
import org.jboss.logging.Logger;

/**
 * The two paths that remove events from the hot store. They only call the database's
 * {@code stenographer_purge_archived_events} (V8), which deletes nothing but archived, unheld events inside their
 * segment, and {@code stenographer_drop_event_partition} (V15), which drops a month only when every event in it is
 * such an event; the application role holds no DELETE privilege and owns no partition.
 */
@ApplicationScoped
public class PostgresEventPurge implements PurgeEventsPort, PurgePartitionsPort {

    /** check_violation (the function refused) and lock_not_available (the store was too busy to detach). */
    private static final Set<String> KEPT_STATES = Set.of("23514", "55P03");
    private static final Logger LOG = Logger.getLogger(PostgresEventPurge.class);

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

    @Override
    public PurgeCursor cursor(TenantId tenant) {
        return jdbc.first("SELECT next_index, holds_seen FROM purge_cursor WHERE tenant = ?",
                ps -> ps.setString(1, tenant.value()), rs -> new PurgeCursor(rs.getLong(1), rs.getString(2)))
                .orElse(new PurgeCursor(0, null));
    }

    @Override
    public void saveCursor(TenantId tenant, long nextIndex, String holdsSeen) {
        jdbc.update("""
                INSERT INTO purge_cursor (tenant, next_index, holds_seen, updated_at) VALUES (?, ?, ?, now())
                ON CONFLICT (tenant) DO UPDATE SET next_index = greatest(purge_cursor.next_index, excluded.next_index),
                    holds_seen = excluded.holds_seen, updated_at = excluded.updated_at""", ps -> {
            ps.setString(1, tenant.value());
            ps.setLong(2, nextIndex);
            ps.setString(3, holdsSeen);
        });
    }

    @Override
    public Revisits revisits(TenantId tenant, boolean held, Instant upTo, RevisitKey after, int limit) {
        // Keyset on purge_deferred_revisit_ix; the event itself is looked up by id, pruned to its partition.
        List<RevisitRow> rows = jdbc.query("""
                SELECT d.log_index, d.event_id, e.id IS NOT NULL, a.actor_id, a.action, a.resource_type,
                       a.resource_id, a.occurred_at, a.received_at, d.revisit_at
                FROM (SELECT log_index, event_id, revisit_at FROM purge_deferred
                      WHERE tenant = ? AND held = ? AND revisit_at <= ? AND (revisit_at, log_index) > (?, ?)
                      ORDER BY revisit_at, log_index LIMIT ?) d
                JOIN archived_event a ON a.tenant = ? AND a.log_index = d.log_index AND a.event_id = d.event_id
                LEFT JOIN audit_event e ON e.id = d.event_id AND e.tenant = ?
                ORDER BY d.revisit_at, d.log_index""", ps -> {
            ps.setString(1, tenant.value());
            ps.setBoolean(2, held);
            ps.setTimestamp(3, Timestamp.from(upTo == null ? Instant.parse("9999-12-31T00:00:00Z") : upTo));
            ps.setTimestamp(4, Timestamp.from(after.revisitAt()));
            ps.setLong(5, after.index());
            ps.setInt(6, limit);
            ps.setString(7, tenant.value());
            ps.setString(8, tenant.value());
        }, rs -> new RevisitRow(new PurgeCandidate(rs.getLong(1), new EventId(rs.getObject(2, UUID.class)),
                new RetentionSubject(tenant, rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7),
                        rs.getTimestamp(8).toInstant(), rs.getTimestamp(9).toInstant())), rs.getBoolean(3),
                new RevisitKey(rs.getTimestamp(10).toInstant(), rs.getLong(1))));
        List<PurgeCandidate> hot = new ArrayList<>();
        List<Long> gone = new ArrayList<>();
        for (RevisitRow row : rows) {
            if (row.inHotStore()) {
                hot.add(row.candidate());
            } else {
                gone.add(row.candidate().index());
            }
        }
        return new Revisits(hot, gone, rows.isEmpty() ? null : rows.get(rows.size() - 1).key());
    }

    private record RevisitRow(PurgeCandidate candidate, boolean inHotStore, RevisitKey key) {
    }

    @Override
    public void defer(TenantId tenant, List<Deferral> deferrals) {
        jdbc.batch("""
                INSERT INTO purge_deferred (tenant, log_index, event_id, revisit_at, held) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (tenant, log_index) DO UPDATE SET revisit_at = excluded.revisit_at, held = excluded.held
                """, deferrals, (ps, deferral) -> {
            ps.setString(1, tenant.value());
            ps.setLong(2, deferral.index());
            ps.setObject(3, deferral.id().value());
            ps.setTimestamp(4, Timestamp.from(deferral.revisitAt()));
            ps.setBoolean(5, deferral.held());
        });
    }

    @Override
    public void forget(TenantId tenant, List<Long> indices) {
        if (indices.isEmpty()) {
            return;
        }
        jdbc.update("DELETE FROM purge_deferred WHERE tenant = ? AND log_index = ANY (?)", ps -> {
            ps.setString(1, tenant.value());
            ps.setArray(2, ps.getConnection().createArrayOf("bigint", indices.toArray()));
        });
    }

    @Override
    public List<HotPartition> partitionsEndedBefore(Instant now) {
        return jdbc.query("""
                SELECT p.name, p.from_id, p.to_id, p.received_to FROM event_partition p
                WHERE p.received_to <= ? AND NOT EXISTS (SELECT 1 FROM event_partition_drop d WHERE d.name = p.name)
                ORDER BY p.received_to""", ps -> ps.setTimestamp(1, Timestamp.from(now)),
                rs -> new HotPartition(rs.getString(1),
                        rs.getObject(2) == null ? null : new EventId(rs.getObject(2, UUID.class)),
                        new EventId(rs.getObject(3, UUID.class)), rs.getTimestamp(4).toInstant()));
    }

    @Override
    public List<PartitionKind> kindsOf(HotPartition partition) {
        // One pass over the partition, pruned to it by the id range.
        return jdbc.query("""
                SELECT e.tenant, e.action, e.resource_type, max(e.received_at), count(*)
                FROM audit_event e
                WHERE e.id >= ? AND e.id < ?
                GROUP BY e.tenant, e.action, e.resource_type""", ps -> {
            ps.setObject(1, partition.fromId() != null ? partition.fromId().value() : new UUID(0, 0));
            ps.setObject(2, partition.toId().value());
        }, rs -> new PartitionKind(new TenantId(rs.getString(1)), rs.getString(2), rs.getString(3),
                rs.getTimestamp(4).toInstant(), rs.getLong(5)));
    }

    @Override
    public List<PartitionEvent> eventsOf(HotPartition partition, EventId after, int limit) {
        // The id range prunes the scan to the one partition; archived events are found by their unique event id.
        String lower = after != null ? "e.id > ?" : "e.id >= ?";
        return jdbc.query("""
                SELECT e.id, e.tenant, e.actor_id, e.action, e.resource_type, e.resource_id, e.occurred_at,
                       e.received_at, a.event_id IS NOT NULL
                FROM audit_event e LEFT JOIN archived_event a ON a.event_id = e.id AND a.tenant = e.tenant
                """ + "WHERE " + lower + " AND e.id < ? ORDER BY e.id LIMIT ?", ps -> {
            UUID first = partition.fromId() != null ? partition.fromId().value() : new UUID(0, 0);
            ps.setObject(1, after != null ? after.value() : first);
            ps.setObject(2, partition.toId().value());
            ps.setInt(3, limit);
        }, rs -> new PartitionEvent(new EventId(rs.getObject(1, UUID.class)),
                new RetentionSubject(new TenantId(rs.getString(2)), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getString(6), rs.getTimestamp(7).toInstant(),
                        rs.getTimestamp(8).toInstant()),
                rs.getBoolean(9)));
    }

    @Override
    public List<PurgedRange> drop(HotPartition partition) {
        try {
            return jdbc.query("SELECT purged_tenant, first_index, last_index FROM stenographer_drop_event_partition(?)",
                    ps -> ps.setString(1, partition.name()),
                    rs -> new PurgedRange(new TenantId(rs.getString(1)), rs.getLong(2), rs.getLong(3)));
        } catch (RuntimeException e) {
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause instanceof SQLException sql && KEPT_STATES.contains(sql.getSQLState())) {
                    LOG.infof("partition %s of the event store kept: %s", partition.name(), sql.getMessage());
                    throw new PartitionKept("partition " + partition.name() + " kept: " + sql.getMessage(), e);
                }
            }
            throw e;
        }
    }
}
