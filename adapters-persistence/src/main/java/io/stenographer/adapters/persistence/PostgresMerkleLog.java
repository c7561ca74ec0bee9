package io.stenographer.adapters.persistence;

import io.stenographer.application.port.out.AppendLogPort;
import io.stenographer.application.port.out.LoadLogPort;
import io.stenographer.application.port.out.LoadPendingEventsPort;
import io.stenographer.domain.checkpoint.Checkpoint;
import io.stenographer.domain.checkpoint.SignedNote;
import io.stenographer.domain.event.EventId;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.log.LogIntegrityViolation;
import io.stenographer.domain.log.LogLeaf;
import io.stenographer.domain.log.NodeRef;
import io.stenographer.domain.log.PublishedCheckpoint;
import io.stenographer.domain.merkle.Hash;
import io.stenographer.domain.merkle.MerkleFrontier.CompletedSubtree;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.IntStream;
import org.hibernate.Session;

/**
 * The Merkle log in PostgreSQL, through plain JDBC on the transaction's own connection: the
 * sequencer writes thousands of small rows per round, which JDBC batches far better than entities.
 */
@ApplicationScoped
public class PostgresMerkleLog implements LoadPendingEventsPort, AppendLogPort, LoadLogPort {

    private static final String PENDING_TENANTS = """
            WITH RECURSIVE pending AS (
                (SELECT tenant FROM integration_queue ORDER BY tenant LIMIT 1)
                UNION ALL
                SELECT (SELECT q.tenant FROM integration_queue q WHERE q.tenant > pending.tenant
                        ORDER BY q.tenant LIMIT 1)
                FROM pending WHERE pending.tenant IS NOT NULL)
            SELECT tenant FROM pending WHERE tenant IS NOT NULL LIMIT ?""";

    private final Jdbc jdbc;

    PostgresMerkleLog(Session session) {
        this.jdbc = new Jdbc(session);
    }

    @Override
    public List<TenantId> tenantsWithPendingEvents(int max) {
        return jdbc.query(PENDING_TENANTS, ps -> ps.setInt(1, max), rs -> new TenantId(rs.getString(1)));
    }

    @Override
    public boolean tryLockSequencer(TenantId tenant) {
        return jdbc.query("SELECT pg_try_advisory_xact_lock(hashtext('stenographer.sequencer'), hashtext(?))",
                ps -> ps.setString(1, tenant.value()), rs -> rs.getBoolean(1)).get(0);
    }

    @Override
    public List<PendingLeaf> pendingLeaves(TenantId tenant, int limit) {
        return jdbc.query("""
                SELECT event_id, leaf_hash, received_at FROM integration_queue
                WHERE tenant = ? ORDER BY ingest_seq LIMIT ? FOR UPDATE SKIP LOCKED""",
                ps -> {
                    ps.setString(1, tenant.value());
                    ps.setInt(2, limit);
                },
                rs -> new PendingLeaf(new EventId(rs.getObject(1, UUID.class)), new Hash(rs.getBytes(2)),
                        rs.getTimestamp(3).toInstant()));
    }

    @Override
    public void appendLeaves(TenantId tenant, long firstIndex, List<PendingLeaf> leaves,
            List<CompletedSubtree> subtrees) {
        List<Integer> positions = IntStream.range(0, leaves.size()).boxed().toList();
        jdbc.batch("INSERT INTO log_leaf (tenant, leaf_index, event_id, leaf_hash) VALUES (?, ?, ?, ?)", positions,
                (ps, position) -> {
                    PendingLeaf leaf = leaves.get(position);
                    ps.setString(1, tenant.value());
                    ps.setLong(2, firstIndex + position);
                    ps.setObject(3, leaf.eventId().value());
                    ps.setBytes(4, leaf.leafHash().bytes());
                });
        // Leaf hashes live in log_leaf; only the inner nodes go to merkle_subtree.
        List<CompletedSubtree> nodes = subtrees.stream().filter(subtree -> subtree.level() != 0).toList();
        jdbc.batch("INSERT INTO merkle_subtree (tenant, level, node_index, hash) VALUES (?, ?, ?, ?)", nodes,
                (ps, subtree) -> {
                    ps.setString(1, tenant.value());
                    ps.setShort(2, (short) subtree.level());
                    ps.setLong(3, subtree.index());
                    ps.setBytes(4, subtree.hash().bytes());
                });
        UUID[] ids = leaves.stream().map(leaf -> leaf.eventId().value()).toArray(UUID[]::new);
        int removed = jdbc.update("DELETE FROM integration_queue WHERE event_id = ANY (?)",
                ps -> ps.setArray(1, ps.getConnection().createArrayOf("uuid", ids)));
        if (removed != ids.length) {
            throw new LogIntegrityViolation("integration queue changed under the sequencer lock");
        }
    }

    @Override
    public void appendCheckpoint(PublishedCheckpoint checkpoint) {
        jdbc.update("""
                INSERT INTO log_checkpoint (tenant, tree_size, root_hash, signed_note, published_at)
                VALUES (?, ?, ?, ?, ?)""", ps -> {
            ps.setString(1, checkpoint.tenant().value());
            ps.setLong(2, checkpoint.treeSize());
            ps.setBytes(3, checkpoint.checkpoint().rootHash().bytes());
            ps.setString(4, checkpoint.signedNote());
            ps.setTimestamp(5, Timestamp.from(checkpoint.publishedAt()));
        });
    }

    @Override
    public long treeSize(TenantId tenant) {
        return jdbc.query("SELECT COALESCE(max(leaf_index) + 1, 0) FROM log_leaf WHERE tenant = ?",
                ps -> ps.setString(1, tenant.value()), rs -> rs.getLong(1)).get(0);
    }

    @Override
    public long leafCount(TenantId tenant) {
        return jdbc.query("SELECT count(*) FROM log_leaf WHERE tenant = ?",
                ps -> ps.setString(1, tenant.value()), rs -> rs.getLong(1)).get(0);
    }

    @Override
    public List<EventId> eventsOutsideTheLog(TenantId tenant, int limit) {
        return jdbc.query("""
                SELECT e.id FROM audit_event e
                WHERE e.tenant = ?
                  AND NOT EXISTS (SELECT 1 FROM log_leaf l WHERE l.event_id = e.id)
                  AND NOT EXISTS (SELECT 1 FROM integration_queue q WHERE q.event_id = e.id)
                ORDER BY e.ingest_seq LIMIT ?""", ps -> {
            ps.setString(1, tenant.value());
            ps.setInt(2, limit);
        }, rs -> new EventId(rs.getObject(1, UUID.class)));
    }

    @Override
    public List<TenantId> tenantsWithLogs() {
        return jdbc.query("""
                WITH RECURSIVE logs AS (
                    (SELECT tenant FROM log_checkpoint ORDER BY tenant LIMIT 1)
                    UNION ALL
                    SELECT (SELECT c.tenant FROM log_checkpoint c WHERE c.tenant > logs.tenant
                            ORDER BY c.tenant LIMIT 1)
                    FROM logs WHERE logs.tenant IS NOT NULL)
                SELECT tenant FROM logs WHERE tenant IS NOT NULL""", ps -> { }, rs -> new TenantId(rs.getString(1)));
    }

    @Override
    public Optional<PublishedCheckpoint> latestCheckpoint(TenantId tenant) {
        return jdbc.first(CHECKPOINTS + " WHERE tenant = ? ORDER BY tree_size DESC LIMIT 1",
                ps -> ps.setString(1, tenant.value()), PostgresMerkleLog::checkpoint);
    }

    @Override
    public Optional<PublishedCheckpoint> checkpointAt(TenantId tenant, long treeSize) {
        return jdbc.first(CHECKPOINTS + " WHERE tenant = ? AND tree_size = ?", ps -> {
            ps.setString(1, tenant.value());
            ps.setLong(2, treeSize);
        }, PostgresMerkleLog::checkpoint);
    }

    @Override
    public List<PublishedCheckpoint> checkpoints(TenantId tenant) {
        return jdbc.query(CHECKPOINTS + " WHERE tenant = ? ORDER BY tree_size",
                ps -> ps.setString(1, tenant.value()), PostgresMerkleLog::checkpoint);
    }

    private static final String CHECKPOINTS =
            "SELECT tenant, signed_note, published_at, tree_size FROM log_checkpoint";

    private static PublishedCheckpoint checkpoint(ResultSet rs) throws SQLException {
        String note = rs.getString(2);
        long column = rs.getLong(4);
        Checkpoint checkpoint;
        try {
            checkpoint = Checkpoint.parseBody(SignedNote.parse(note).body());
        } catch (IllegalArgumentException e) {
            throw new LogIntegrityViolation("checkpoint row at tree size " + column + " is unreadable: "
                    + e.getMessage());
        }
        if (checkpoint.treeSize() != column) {
            throw new LogIntegrityViolation("checkpoint row at tree size " + column
                    + " holds a note for tree size " + checkpoint.treeSize());
        }
        return new PublishedCheckpoint(new TenantId(rs.getString(1)), checkpoint, note,
                rs.getTimestamp(3).toInstant());
    }

    @Override
    public Map<NodeRef, Hash> subtreeHashes(TenantId tenant, Collection<NodeRef> nodes) {
        List<Long> leafIndexes = new ArrayList<>();
        List<Short> levels = new ArrayList<>();
        List<Long> nodeIndexes = new ArrayList<>();
        for (NodeRef node : nodes) {
            if (node.level() == 0) {
                leafIndexes.add(node.index());
            } else {
                levels.add((short) node.level());
                nodeIndexes.add(node.index());
            }
        }
        Map<NodeRef, Hash> found = new HashMap<>();
        if (!leafIndexes.isEmpty()) {
            jdbc.query("SELECT leaf_index, leaf_hash FROM log_leaf WHERE tenant = ? AND leaf_index = ANY (?)", ps -> {
                ps.setString(1, tenant.value());
                ps.setArray(2, ps.getConnection().createArrayOf("bigint", leafIndexes.toArray()));
            }, rs -> Map.entry(new NodeRef(0, rs.getLong(1)), new Hash(rs.getBytes(2))))
                    .forEach(node -> found.put(node.getKey(), node.getValue()));
        }
        if (!levels.isEmpty()) {
            jdbc.query("""
                    SELECT s.level, s.node_index, s.hash
                    FROM unnest(?::smallint[], ?::bigint[]) AS wanted(level, node_index)
                    JOIN merkle_subtree s ON s.tenant = ? AND s.level = wanted.level
                                         AND s.node_index = wanted.node_index""", ps -> {
                ps.setArray(1, ps.getConnection().createArrayOf("smallint", levels.toArray()));
                ps.setArray(2, ps.getConnection().createArrayOf("bigint", nodeIndexes.toArray()));
                ps.setString(3, tenant.value());
            }, rs -> Map.entry(new NodeRef(rs.getShort(1), rs.getLong(2)), new Hash(rs.getBytes(3))))
                    .forEach(node -> found.put(node.getKey(), node.getValue()));
        }
        return found;
    }

    private static final String LEAVES = "SELECT tenant, leaf_index, event_id, leaf_hash FROM log_leaf";

    @Override
    public Optional<LogLeaf> leafOfEvent(EventId eventId) {
        return jdbc.first(LEAVES + " WHERE event_id = ?", ps -> ps.setObject(1, eventId.value()),
                PostgresMerkleLog::leaf);
    }

    @Override
    public Optional<LogLeaf> leafAt(TenantId tenant, long index) {
        return jdbc.first(LEAVES + " WHERE tenant = ? AND leaf_index = ?", ps -> {
            ps.setString(1, tenant.value());
            ps.setLong(2, index);
        }, PostgresMerkleLog::leaf);
    }

    @Override
    public Optional<LogLeaf> leafWithHash(TenantId tenant, Hash leafHash) {
        return jdbc.first(LEAVES + " WHERE tenant = ? AND leaf_hash = ? ORDER BY leaf_index LIMIT 1", ps -> {
            ps.setString(1, tenant.value());
            ps.setBytes(2, leafHash.bytes());
        }, PostgresMerkleLog::leaf);
    }

    @Override
    public List<LogLeaf> leaves(TenantId tenant, long from, long to) {
        return jdbc.query(LEAVES + " WHERE tenant = ? AND leaf_index >= ? AND leaf_index < ? ORDER BY leaf_index",
                ps -> {
                    ps.setString(1, tenant.value());
                    ps.setLong(2, from);
                    ps.setLong(3, to);
                }, PostgresMerkleLog::leaf);
    }

    @Override
    public List<LeafWithEvent> leavesWithEvents(TenantId tenant, long from, long to) {
        return jdbc.query("SELECT l.tenant, l.leaf_index, l.event_id, l.leaf_hash, a.leaf_hash, "
                + AuditEventRowMapper.COLUMNS
                + " FROM log_leaf l LEFT JOIN audit_event e ON e.id = l.event_id"
                + " LEFT JOIN archived_event a ON a.tenant = l.tenant AND a.log_index = l.leaf_index"
                + " AND a.event_id = l.event_id"
                + " WHERE l.tenant = ? AND l.leaf_index >= ? AND l.leaf_index < ? ORDER BY l.leaf_index", ps -> {
                    ps.setString(1, tenant.value());
                    ps.setLong(2, from);
                    ps.setLong(3, to);
                    ps.setFetchSize(1_000);
                }, rs -> {
                    LogLeaf leaf = leaf(rs);
                    byte[] archived = rs.getBytes(5);
                    Hash archivedLeafHash = archived == null ? null : new Hash(archived);
                    if (rs.getObject(6) == null) {
                        return new LeafWithEvent(leaf, null, null, archivedLeafHash);
                    }
                    try {
                        return new LeafWithEvent(leaf, AuditEventRowMapper.fromColumns(rs, 6), null, archivedLeafHash);
                    } catch (IllegalArgumentException | NullPointerException | ClassCastException e) {
                        // A row altered into something no valid event looks like: report, do not crash.
                        return new LeafWithEvent(leaf, null, String.valueOf(e.getMessage()), archivedLeafHash);
                    }
                });
    }

    private static LogLeaf leaf(ResultSet rs) throws SQLException {
        return new LogLeaf(new TenantId(rs.getString(1)), rs.getLong(2), new EventId(rs.getObject(3, UUID.class)),
                new Hash(rs.getBytes(4)));
    }
}
