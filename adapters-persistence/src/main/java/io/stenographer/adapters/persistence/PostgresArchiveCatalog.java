package io.stenographer.adapters.persistence;

import io.stenographer.application.port.out.ArchiveSegmentsPort.Lock;
import io.stenographer.application.port.out.CatalogSegmentsPort;
import io.stenographer.domain.archive.SegmentManifest;
import io.stenographer.domain.event.EventId;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.merkle.Hash;
import io.stenographer.domain.query.ActionFilter;
import io.stenographer.domain.query.EventCriteria;
import io.stenographer.domain.query.PageRequest;
import io.stenographer.domain.retention.HoldCriteria;
import io.stenographer.domain.retention.RetentionSubject;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.hibernate.Session;

/** Archive segments, the archived-event index, and the purge function, through JDBC. */
@ApplicationScoped
public class PostgresArchiveCatalog implements CatalogSegmentsPort {

    private static final String SEGMENT = """
            SELECT s.manifest, d.deleted_at FROM archive_segment s
            LEFT JOIN archive_segment_deletion d ON d.object_key = s.object_key""";

    private final Jdbc jdbc;

    PostgresArchiveCatalog(Session session) {
        this.jdbc = new Jdbc(session);
    }

    @Override
    public long archivedUpTo(TenantId tenant) {
        return jdbc.query("SELECT coalesce(max(to_index), 0) FROM archive_segment WHERE tenant = ?",
                ps -> ps.setString(1, tenant.value()), rs -> rs.getLong(1)).get(0);
    }

    @Override
    public void recordSegment(SegmentManifest manifest, Lock confirmedLock, Instant confirmedRetainUntil,
            List<ArchivedEvent> events) {
        // The function checks contiguity, the checkpoint, the range root and the events, and copies what each
        // event was about from the event store itself (V8); a forged catalogue row cannot get past it.
        jdbc.call("SELECT stenographer_record_segment(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", ps -> {
            ps.setString(1, manifest.objectKey());
            ps.setString(2, manifest.tenant().value());
            ps.setLong(3, manifest.from());
            ps.setLong(4, manifest.to());
            ps.setString(5, manifest.objectSha256());
            ps.setBytes(6, manifest.rangeRoot().bytes());
            ps.setLong(7, manifest.checkpointTreeSize());
            ps.setString(8, new String(manifest.toCanonicalBytes(), StandardCharsets.UTF_8));
            ps.setTimestamp(9, Timestamp.from(manifest.retainUntil()));
            ps.setTimestamp(10, Timestamp.from(manifest.archivedAt()));
            // The catalogue column (V5) names a write-once lock as S3 does, and takes no other.
            ps.setString(11, confirmedLock == Lock.WRITE_ONCE ? "COMPLIANCE" : confirmedLock.name());
            ps.setTimestamp(12, Timestamp.from(confirmedRetainUntil));
            ps.setArray(13, ps.getConnection().createArrayOf("uuid",
                    events.stream().map(event -> event.id().value()).toArray()));
        });
    }

    @Override
    public Optional<ArchivedSegment> segment(String objectKey) {
        return jdbc.first(SEGMENT + " WHERE s.object_key = ?", ps -> ps.setString(1, objectKey),
                PostgresArchiveCatalog::segment);
    }

    @Override
    public List<ArchivedSegment> liveSegments(TenantId tenant, long fromIndex) {
        return jdbc.query(SEGMENT + " WHERE s.tenant = ? AND s.from_index >= ? AND d.object_key IS NULL"
                + " ORDER BY s.from_index", ps -> {
                    ps.setString(1, tenant.value());
                    ps.setLong(2, fromIndex);
                }, PostgresArchiveCatalog::segment);
    }

    @Override
    public Optional<ArchivedSegment> segmentCovering(TenantId tenant, long index) {
        return jdbc.first(SEGMENT + " WHERE s.tenant = ? AND s.from_index <= ? AND s.to_index > ?", ps -> {
            ps.setString(1, tenant.value());
            ps.setLong(2, index);
            ps.setLong(3, index);
        }, PostgresArchiveCatalog::segment);
    }

    @Override
    public Optional<ArchivedEventRef> archivedEvent(EventId id) {
        return jdbc.first("""
                SELECT tenant, log_index, event_id, leaf_hash, segment_key FROM archived_event WHERE event_id = ?""",
                ps -> ps.setObject(1, id.value()),
                rs -> new ArchivedEventRef(new TenantId(rs.getString(1)), rs.getLong(2),
                        new EventId(rs.getObject(3, UUID.class)), new Hash(rs.getBytes(4)), rs.getString(5)));
    }

    @Override
    public List<ArchivedSegment> segmentsPastRetention(TenantId tenant, Instant now, long fromIndex, int limit) {
        return jdbc.query(SEGMENT + """
                 WHERE s.tenant = ? AND s.retain_until <= ? AND d.object_key IS NULL AND s.from_index >= ?
                ORDER BY s.from_index LIMIT ?""", ps -> {
            ps.setString(1, tenant.value());
            ps.setTimestamp(2, Timestamp.from(now));
            ps.setLong(3, fromIndex);
            ps.setInt(4, limit);
        }, PostgresArchiveCatalog::segment);
    }

    @Override
    public Set<String> liveSegmentsMatching(TenantId tenant, HoldCriteria criteria) {
        StringBuilder sql = new StringBuilder("""
                SELECT DISTINCT a.segment_key FROM archived_event a
                WHERE a.tenant = ?
                  AND NOT EXISTS (SELECT 1 FROM archive_segment_deletion d WHERE d.object_key = a.segment_key)""");
        List<Object> params = new ArrayList<>();
        params.add(tenant.value());
        if (criteria.actorId() != null) {
            sql.append(" AND a.actor_id = ?");
            params.add(criteria.actorId());
        }
        if (criteria.resourceType() != null) {
            sql.append(" AND a.resource_type = ?");
            params.add(criteria.resourceType());
        }
        if (criteria.resourceId() != null) {
            sql.append(" AND a.resource_id = ?");
            params.add(criteria.resourceId());
        }
        if (criteria.actionPattern() != null) {
            ActionFilter action = ActionFilter.parse(criteria.actionPattern());
            if (action.prefix()) {
                sql.append(" AND left(a.action, ?) = ?");
                params.add(action.value().length());
            } else {
                sql.append(" AND a.action = ?");
            }
            params.add(action.value());
        }
        if (criteria.from() != null) {
            sql.append(" AND a.occurred_at >= ?");
            params.add(Timestamp.from(criteria.from()));
        }
        if (criteria.to() != null) {
            sql.append(" AND a.occurred_at < ?");
            params.add(Timestamp.from(criteria.to()));
        }
        return new LinkedHashSet<>(jdbc.query(sql.toString(), ps -> {
            for (int i = 0; i < params.size(); i++) {
                ps.setObject(i + 1, params.get(i));
            }
        }, rs -> rs.getString(1)));
    }

    @Override
    public List<RetentionSubject> subjectsOf(String objectKey) {
        return jdbc.query("""
                SELECT tenant, actor_id, action, resource_type, resource_id, occurred_at, received_at
                FROM archived_event WHERE segment_key = ? ORDER BY log_index""",
                ps -> ps.setString(1, objectKey),
                rs -> new RetentionSubject(new TenantId(rs.getString(1)), rs.getString(2), rs.getString(3),
                        rs.getString(4), rs.getString(5), rs.getTimestamp(6).toInstant(),
                        rs.getTimestamp(7).toInstant()));
    }

    @Override
    public long eventsStillHot(String objectKey) {
        return jdbc.query("""
                SELECT count(*) FROM archived_event a JOIN audit_event e ON e.id = a.event_id
                WHERE a.segment_key = ?""", ps -> ps.setString(1, objectKey), rs -> rs.getLong(1)).get(0);
    }

    @Override
    public void recordSegmentDeletion(String objectKey, Instant deletedAt, UUID jobRunId) {
        // Refused before the segment's retain-until and while a hold covers one of its events (V8).
        jdbc.call("SELECT stenographer_record_segment_deletion(?, ?, ?)", ps -> {
            ps.setString(1, objectKey);
            ps.setTimestamp(2, Timestamp.from(deletedAt));
            ps.setObject(3, jobRunId);
        });
    }

    @Override
    public List<ArchivedEventRef> purgedMatching(EventCriteria criteria, PageRequest page, int limit) {
        StringBuilder sql = new StringBuilder("SELECT a.tenant, a.log_index, a.event_id, a.leaf_hash, a.segment_key"
                + " FROM archived_event a WHERE a.tenant = ?"
                + " AND NOT EXISTS (SELECT 1 FROM audit_event e WHERE e.id = a.event_id)");
        List<Object> params = new ArrayList<>();
        params.add(criteria.tenant().value());
        filter(sql, params, "a.actor_id = ?", criteria.actorId());
        if (criteria.action() != null) {
            if (criteria.action().prefix()) {
                sql.append(" AND left(a.action, ?) = ?");
                params.add(criteria.action().value().length());
            } else {
                sql.append(" AND a.action = ?");
            }
            params.add(criteria.action().value());
        }
        filter(sql, params, "a.resource_type = ?", criteria.resourceType());
        filter(sql, params, "a.resource_id = ?", criteria.resourceId());
        filter(sql, params, "a.outcome = ?", criteria.outcome() == null ? null : criteria.outcome().wireName());
        filter(sql, params, "a.occurred_at >= ?", criteria.from() == null ? null : Timestamp.from(criteria.from()));
        filter(sql, params, "a.occurred_at < ?", criteria.to() == null ? null : Timestamp.from(criteria.to()));
        if (page.after() != null) {
            sql.append(" AND (a.occurred_at, a.event_id) > (?, ?)");
            params.add(Timestamp.from(page.after().occurredAt()));
            params.add(page.after().id().value());
        }
        sql.append(" ORDER BY a.occurred_at, a.event_id LIMIT ?");
        params.add(limit);
        return jdbc.query(sql.toString(), ps -> {
            for (int i = 0; i < params.size(); i++) {
                ps.setObject(i + 1, params.get(i));
            }
        }, rs -> new ArchivedEventRef(new TenantId(rs.getString(1)), rs.getLong(2),
                new EventId(rs.getObject(3, UUID.class)), new Hash(rs.getBytes(4)), rs.getString(5)));
    }

    private static void filter(StringBuilder sql, List<Object> params, String condition, Object value) {
        if (value != null) {
            sql.append(" AND ").append(condition);
            params.add(value);
        }
    }

    private static ArchivedSegment segment(ResultSet rs) throws SQLException {
        Timestamp deleted = rs.getTimestamp(2);
        return new ArchivedSegment(SegmentManifest.parse(rs.getString(1).getBytes(StandardCharsets.UTF_8)),
                deleted == null ? null : deleted.toInstant());
    }
}
