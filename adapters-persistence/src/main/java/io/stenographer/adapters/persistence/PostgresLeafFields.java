package io.stenographer.adapters.persistence;

import io.stenographer.application.port.out.LoadLeafFieldsPort;
import io.stenographer.application.port.out.StoreUnavailable;
import io.stenographer.domain.event.EventId;
import io.stenographer.domain.event.StoredEventFields;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.log.LogLeaf;
import io.stenographer.domain.merkle.Hash;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.postgresql.PGConnection;

/**
 * Leaves with their events' columns as stored, for verification: one {@code COPY ... TO STDOUT (FORMAT binary)} of
 * the whole range on an autocommit connection, so the rows arrive as one snapshot at the speed PostgreSQL can send
 * them, with no per-row driver mapping. Nothing is validated or mapped into an event here: a row costs its read and
 * its hash, and an altered column reaches the verifier as it is.
 */
@ApplicationScoped
public class PostgresLeafFields implements LoadLeafFieldsPort {

    /** COPY takes no bind parameters: the tenant is written into the statement, so only the domain's form is let in. */
    private static final Pattern TENANT_LITERAL = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    /**
     * Walks the leaves in index order and looks each event up by its key: rows stream out as they are found. Left to
     * itself the planner merge-joins on the event id and then sorts a whole log by index on disk before the first
     * row (half the speed at 1M leaves, and nothing to overlap with); {@code OFFSET 0} keeps the lookup a per-leaf
     * subquery. The archive index is looked up only for a leaf whose event row is gone (purged after archiving),
     * the only case its hash is used in.
     */
    private static final String LEAVES_WITH_FIELDS =
            "COPY (SELECT l.leaf_index, l.event_id, l.leaf_hash, CASE WHEN e.id IS NULL THEN (SELECT a.leaf_hash"
            + " FROM archived_event a WHERE a.tenant = l.tenant AND a.log_index = l.leaf_index"
            + " AND a.event_id = l.event_id) END, e.*"
            + " FROM log_leaf l LEFT JOIN LATERAL (SELECT " + AuditEventRowMapper.COLUMNS
            + " FROM audit_event e WHERE e.id = l.event_id OFFSET 0) e ON true"
            + " WHERE l.tenant = '%s' AND l.leaf_index >= %d AND l.leaf_index < %d ORDER BY l.leaf_index)"
            + " TO STDOUT (FORMAT binary)";
    private static final int FIELDS = 4 + AuditEventRowMapper.COLUMNS.split(",").length;

    private final DataSource dataSource;

    PostgresLeafFields(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public void streamLeavesWithFields(TenantId tenant, long from, long to, int maxRows, long maxBytes,
            LeafRanges ranges) {
        if (!TENANT_LITERAL.matcher(tenant.value()).matches()) {
            throw new IllegalArgumentException("tenant id outside the domain's form");
        }
        if (from < 0 || to < from || maxRows < 1 || maxBytes < 1) {
            throw new IllegalArgumentException("bad range [" + from + ", " + to + ") or limits");
        }
        if (from == to) {
            return;
        }
        String sql = String.format(LEAVES_WITH_FIELDS, tenant.value(), from, to);
        try (Connection connection = dataSource.getConnection();
                BinaryCopyRows copy = new BinaryCopyRows(connection.unwrap(PGConnection.class).getCopyAPI()
                        .copyOut(sql))) {
            stream(tenant, from, to, maxRows, maxBytes, copy, ranges);
        } catch (SQLException e) {
            if (ConnectionFailures.isConnectionFailure(e) || ConnectionFailures.find(e).isPresent()) {
                throw new StoreUnavailable("database unavailable (SQLState " + e.getSQLState() + ")", e);
            }
            throw new IllegalStateException("reading leaves failed (SQLState " + e.getSQLState() + ")", e);
        }
    }

    /** Cuts the rows into consecutive ranges; indices without a row fall inside a range like any other. */
    private static void stream(TenantId tenant, long from, long to, int maxRows, long maxBytes, BinaryCopyRows copy,
            LeafRanges ranges) throws SQLException {
        long rangeStart = from;
        long bytesAtRangeStart = 0;
        List<LeafFields> rows = new ArrayList<>();
        while (copy.next(FIELDS)) {
            LeafFields row = row(tenant, copy);
            long index = row.leaf().index();
            long rangeEnd = rangeEnd(from, to, rangeStart, maxRows);
            while (index >= rangeEnd) {
                if (!ranges.next(rangeStart, rangeEnd, rows)) {
                    return;
                }
                rows = new ArrayList<>();
                rangeStart = rangeEnd;
                bytesAtRangeStart = copy.bytesRead();
                rangeEnd = rangeEnd(from, to, rangeStart, maxRows);
            }
            rows.add(row);
            if (copy.bytesRead() - bytesAtRangeStart >= maxBytes && index + 1 < to) {
                if (!ranges.next(rangeStart, index + 1, rows)) {
                    return;
                }
                rows = new ArrayList<>();
                rangeStart = index + 1;
                bytesAtRangeStart = copy.bytesRead();
            }
        }
        while (rangeStart < to) {
            long rangeEnd = rangeEnd(from, to, rangeStart, maxRows);
            if (!ranges.next(rangeStart, rangeEnd, rows)) {
                return;
            }
            rows = new ArrayList<>();
            rangeStart = rangeEnd;
        }
    }

    /** A range ends at the next multiple of {@code maxRows} from {@code from} (or at {@code to}); the byte bound may end it earlier. */
    private static long rangeEnd(long from, long to, long rangeStart, int maxRows) {
        return Math.min(to, rangeStart - Math.floorMod(rangeStart - from, maxRows) + maxRows);
    }

    private static LeafFields row(TenantId tenant, BinaryCopyRows copy) throws SQLException {
        long index = copy.int8();
        UUID eventId = copy.uuid();
        LogLeaf leaf = new LogLeaf(tenant, index, new EventId(eventId), new Hash(copy.bytes()));
        byte[] archived = copy.bytes();
        Hash archivedLeafHash = archived == null ? null : new Hash(archived);
        UUID id = copy.uuid();
        // The AuditEventRowMapper.COLUMNS after the id, in their order; all are read, as the row format requires.
        StoredEventFields fields = new StoredEventFields(id, copy.text(), copy.timestamp(), copy.text(), copy.text(),
                copy.text(), copy.text(), copy.text(), copy.text(), copy.text(), copy.text(), copy.text(),
                copy.timestamp(), copy.text(), copy.text(), copy.text(), copy.text(), copy.text(), copy.text(),
                copy.text());
        return new LeafFields(leaf, id == null ? null : fields, archivedLeafHash);
    }
}
