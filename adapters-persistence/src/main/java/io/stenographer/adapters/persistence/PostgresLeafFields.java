package io.stenographer.adapters.persistence;

import io.stenographer.application.port.out.LoadLeafFieldsPort;
import io.stenographer.domain.event.EventId;
import io.stenographer.domain.event.StoredEventFields;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.log.LogLeaf;
import io.stenographer.domain.merkle.Hash;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.hibernate.Session;

/**
 * Leaves with their events' columns as stored, for verification: nothing is validated or mapped into an event here,
 * so a row costs its read and its hash, and an altered column reaches the verifier as it is.
 */
@ApplicationScoped
public class PostgresLeafFields implements LoadLeafFieldsPort {

    private static final String LEAVES_WITH_FIELDS =
            "SELECT l.tenant, l.leaf_index, l.event_id, l.leaf_hash, a.leaf_hash, " + AuditEventRowMapper.COLUMNS
            + " FROM log_leaf l LEFT JOIN audit_event e ON e.id = l.event_id"
            + " LEFT JOIN archived_event a ON a.tenant = l.tenant AND a.log_index = l.leaf_index"
            + " AND a.event_id = l.event_id"
            + " WHERE l.tenant = ? AND l.leaf_index >= ? AND l.leaf_index < ? ORDER BY l.leaf_index";

    private final Jdbc jdbc;

    PostgresLeafFields(Session session) {
        this.jdbc = new Jdbc(session);
    }

    @Override
    public List<LeafFields> leavesWithFields(TenantId tenant, long from, long to) {
        return jdbc.query(LEAVES_WITH_FIELDS, ps -> {
            ps.setString(1, tenant.value());
            ps.setLong(2, from);
            ps.setLong(3, to);
            ps.setFetchSize(1_000);
        }, rs -> {
            LogLeaf leaf = new LogLeaf(new TenantId(rs.getString(1)), rs.getLong(2),
                    new EventId(rs.getObject(3, UUID.class)), new Hash(rs.getBytes(4)));
            byte[] archived = rs.getBytes(5);
            Hash archivedLeafHash = archived == null ? null : new Hash(archived);
            UUID id = rs.getObject(6, UUID.class);
            return new LeafFields(leaf, id == null ? null : fields(rs, id), archivedLeafHash);
        });
    }

    /** The {@link AuditEventRowMapper#COLUMNS} after the id, in their order. */
    private static StoredEventFields fields(ResultSet rs, UUID id) throws SQLException {
        return new StoredEventFields(id, rs.getString(7), instant(rs.getTimestamp(8)), rs.getString(9),
                rs.getString(10), rs.getString(11), rs.getString(12), rs.getString(13), rs.getString(14),
                rs.getString(15), rs.getString(16), rs.getString(17), instant(rs.getTimestamp(18)), rs.getString(19),
                rs.getString(20), rs.getString(21), rs.getString(22), rs.getString(23), rs.getString(24));
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
