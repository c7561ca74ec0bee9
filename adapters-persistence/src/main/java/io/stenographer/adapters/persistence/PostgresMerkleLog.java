package io.stenographer.adapters.persistence;

import io.stenographer.application.port.out.AppendLogPort;
import io.stenographer.application.port.out.AppendLogPort.LogExtension;
import io.stenographer.application.port.out.BrowseCheckpointsPort;
import io.stenographer.application.port.out.LoadLogPort;
import io.stenographer.application.port.out.LoadPendingEventsPort;
import io.stenographer.domain.checkpoint.Checkpoint;
import io.stenographer.domain.checkpoint.SignedNote;
import io.stenographer.domain.event.EventId;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.log.LogIntegrityViolation;
import io.stenographer.domain.log.LogLeaf;
import io.stenographer.domain.merkle.NodeRef;
import io.stenographer.domain.log.PublishedCheckpoint;
import io.stenographer.domain.merkle.Hash;
import io.stenographer.domain.merkle.MerkleFrontier.CompletedSubtree;
import io.stenographer.domain.tiles.Tile;
import io.stenographer.domain.tiles.TileLayout;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;
import java.util.Arrays;
import org.hibernate.Session;

/**
 * The Merkle log in PostgreSQL, through plain JDBC on the transaction's own connection: the
 * sequencer writes thousands of small rows per round, which JDBC batches far better than entities.
 */
@ApplicationScoped
public class PostgresMerkleLog implements LoadPendingEventsPort, AppendLogPort, LoadLogPort, BrowseCheckpointsPort {

    /** Distinct tenants of the queue after a given one, by skipping along its index: one probe per tenant. */
    private static final String PENDING_TENANTS = """
            WITH RECURSIVE pending AS (
                (SELECT tenant FROM integration_queue WHERE tenant > ? ORDER BY tenant LIMIT 1)
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
    public List<TenantId> tenantsWithPendingEvents(Optional<TenantId> after, int max) {
        List<TenantId> tenants = new ArrayList<>(pendingTenantsAfter(after.map(TenantId::value).orElse(""), max));
        if (after.isPresent() && tenants.size() < max) {
            // Wrap around: the tenants up to and including the one passed, which the first read did not reach.
            pendingTenantsAfter("", max - tenants.size()).stream()
                    .filter(tenant -> tenant.value().compareTo(after.get().value()) <= 0)
                    .forEach(tenants::add);
        }
        return tenants;
    }

    private List<TenantId> pendingTenantsAfter(String after, int max) {
        return jdbc.query(PENDING_TENANTS, ps -> {
            ps.setString(1, after);
            ps.setInt(2, max);
        }, rs -> new TenantId(rs.getString(1)));
    }

    @Override
    public Set<TenantId> tryLockSequencers(Collection<TenantId> tenants) {
        return Set.copyOf(jdbc.query("""
                SELECT tenant FROM unnest(?::text[]) AS wanted(tenant)
                WHERE pg_try_advisory_xact_lock(hashtext('stenographer.sequencer'), hashtext(tenant))""",
                ps -> ps.setArray(1, textArray(ps, tenants)), rs -> new TenantId(rs.getString(1))));
    }

    /** Each tenant's oldest queued leaves, through its own index range: one statement for the whole group. */
    @Override
    public Map<TenantId, List<PendingLeaf>> pendingLeaves(Collection<TenantId> tenants, int limitEach) {
        Map<TenantId, List<PendingLeaf>> pending = new HashMap<>();
        jdbc.query("""
                SELECT wanted.tenant, q.event_id, q.leaf_hash, q.received_at
                FROM unnest(?::text[]) AS wanted(tenant)
                CROSS JOIN LATERAL (
                    SELECT event_id, leaf_hash, received_at, ingest_seq FROM integration_queue
                    WHERE tenant = wanted.tenant ORDER BY ingest_seq LIMIT ?) q
                ORDER BY wanted.tenant, q.ingest_seq""",
                ps -> {
                    ps.setArray(1, textArray(ps, tenants));
                    ps.setInt(2, limitEach);
                },
                rs -> pending.computeIfAbsent(new TenantId(rs.getString(1)), tenant -> new ArrayList<>())
                        .add(new PendingLeaf(new EventId(rs.getObject(2, UUID.class)), new Hash(rs.getBytes(3)),
                                rs.getTimestamp(4).toInstant())));
        return pending;
    }

    /**
     * Every extension in four statements, whatever the number of tenants: the leaves, the stored tile hashes, the
     * queue entries they replace and the checkpoints, each from arrays. Only the levels tiles hold are stored (0, 8,
     * 16, ...); every other node is computed from the tile below it.
     */
    @Override
    public void extendLogs(List<LogExtension> extensions) {
        List<String> leafTenants = new ArrayList<>();
        List<Long> indices = new ArrayList<>();
        List<UUID> ids = new ArrayList<>();
        List<byte[]> hashes = new ArrayList<>();
        List<String> nodeTenants = new ArrayList<>();
        List<Short> levels = new ArrayList<>();
        List<Long> nodeIndices = new ArrayList<>();
        List<byte[]> nodeHashes = new ArrayList<>();
        for (LogExtension extension : extensions) {
            long index = extension.firstIndex();
            for (PendingLeaf leaf : extension.leaves()) {
                leafTenants.add(extension.tenant().value());
                indices.add(index++);
                ids.add(leaf.eventId().value());
                hashes.add(leaf.leafHash().bytes());
            }
            for (CompletedSubtree subtree : extension.subtrees()) {
                if (subtree.level() != 0 && TileLayout.isStoredLevel(subtree.level())) {
                    nodeTenants.add(extension.tenant().value());
                    levels.add((short) subtree.level());
                    nodeIndices.add(subtree.index());
                    nodeHashes.add(subtree.hash().bytes());
                }
            }
        }
        int inserted = jdbc.update("""
                INSERT INTO log_leaf (tenant, leaf_index, event_id, leaf_hash)
                SELECT * FROM unnest(?::text[], ?::bigint[], ?::uuid[], ?::bytea[])""", ps -> {
            ps.setArray(1, ps.getConnection().createArrayOf("text", leafTenants.toArray()));
            ps.setArray(2, ps.getConnection().createArrayOf("bigint", indices.toArray()));
            ps.setArray(3, ps.getConnection().createArrayOf("uuid", ids.toArray()));
            ps.setArray(4, ps.getConnection().createArrayOf("bytea", hashes.toArray(byte[][]::new)));
        });
        if (inserted != ids.size()) {
            throw new LogIntegrityViolation("stored " + inserted + " of " + ids.size() + " leaves");
        }
        if (!levels.isEmpty()) {
            jdbc.update("""
                    INSERT INTO merkle_subtree (tenant, level, node_index, hash)
                    SELECT * FROM unnest(?::text[], ?::smallint[], ?::bigint[], ?::bytea[])""", ps -> {
                ps.setArray(1, ps.getConnection().createArrayOf("text", nodeTenants.toArray()));
                ps.setArray(2, ps.getConnection().createArrayOf("smallint", levels.toArray()));
                ps.setArray(3, ps.getConnection().createArrayOf("bigint", nodeIndices.toArray()));
                ps.setArray(4, ps.getConnection().createArrayOf("bytea", nodeHashes.toArray(byte[][]::new)));
            });
        }
        int removed = jdbc.update("DELETE FROM integration_queue WHERE event_id = ANY (?)",
                ps -> ps.setArray(1, ps.getConnection().createArrayOf("uuid", ids.toArray())));
        if (removed != ids.size()) {
            throw new LogIntegrityViolation("integration queue changed under the sequencer lock");
        }
        List<PublishedCheckpoint> checkpoints = extensions.stream().map(LogExtension::checkpoint).toList();
        jdbc.update("""
                INSERT INTO log_checkpoint (tenant, tree_size, root_hash, signed_note, published_at)
                SELECT * FROM unnest(?::text[], ?::bigint[], ?::bytea[], ?::text[], ?::text[]::timestamptz[])""", ps -> {
            ps.setArray(1, ps.getConnection().createArrayOf("text",
                    checkpoints.stream().map(checkpoint -> checkpoint.tenant().value()).toArray()));
            ps.setArray(2, ps.getConnection().createArrayOf("bigint",
                    checkpoints.stream().map(PublishedCheckpoint::treeSize).toArray()));
            ps.setArray(3, ps.getConnection().createArrayOf("bytea",
                    checkpoints.stream().map(checkpoint -> checkpoint.checkpoint().rootHash().bytes())
                            .toArray(byte[][]::new)));
            ps.setArray(4, ps.getConnection().createArrayOf("text",
                    checkpoints.stream().map(PublishedCheckpoint::signedNote).toArray()));
            // ISO-8601 instants with their Z: a Timestamp array would be sent without a zone and read in the
            // session's, so a server not on UTC would store every checkpoint's time shifted.
            ps.setArray(5, ps.getConnection().createArrayOf("text",
                    checkpoints.stream().map(checkpoint -> checkpoint.publishedAt().toString()).toArray()));
        });
    }

    /** Each tenant's size (its highest leaf index, one index probe) and latest checkpoint, for many at once. */
    @Override
    public Map<TenantId, LogHead> heads(Collection<TenantId> tenants) {
        Map<TenantId, LogHead> heads = new HashMap<>();
        jdbc.query("""
                SELECT wanted.tenant, c.signed_note, c.published_at, c.tree_size,
                       COALESCE((SELECT l.leaf_index + 1 FROM log_leaf l WHERE l.tenant = wanted.tenant
                                 ORDER BY l.leaf_index DESC LIMIT 1), 0)
                FROM unnest(?::text[]) AS wanted(tenant)
                LEFT JOIN LATERAL (
                    SELECT signed_note, published_at, tree_size FROM log_checkpoint
                    WHERE tenant = wanted.tenant ORDER BY tree_size DESC LIMIT 1) c ON true""",
                ps -> ps.setArray(1, textArray(ps, tenants)),
                rs -> heads.put(new TenantId(rs.getString(1)), new LogHead(rs.getLong(5),
                        rs.getString(2) == null ? Optional.empty() : Optional.of(checkpoint(rs)))));
        return heads;
    }

    static Array textArray(PreparedStatement ps, Collection<TenantId> tenants) throws SQLException {
        return ps.getConnection().createArrayOf("text", tenants.stream().map(TenantId::value).toArray());
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
    public List<EventId> eventsOutsideTheLog(TenantId tenant, Instant receivedFrom, int limit) {
        return jdbc.query("""
                SELECT e.id FROM audit_event e
                WHERE e.tenant = ? AND e.id >= stenographer_uuid7_floor(?)
                  AND NOT EXISTS (SELECT 1 FROM log_leaf l WHERE l.event_id = e.id)
                  AND NOT EXISTS (SELECT 1 FROM integration_queue q WHERE q.event_id = e.id)
                ORDER BY e.ingest_seq LIMIT ?""", ps -> {
            ps.setString(1, tenant.value());
            ps.setTimestamp(2, Timestamp.from(receivedFrom));
            ps.setInt(3, limit);
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
    public List<PublishedCheckpoint> checkpointsAbove(TenantId tenant, long treeSize) {
        return jdbc.query(CHECKPOINTS + " WHERE tenant = ? AND tree_size > ? ORDER BY tree_size", ps -> {
            ps.setString(1, tenant.value());
            ps.setLong(2, treeSize);
        }, PostgresMerkleLog::checkpoint);
    }

    @Override
    public List<PublishedCheckpoint> newestBelow(TenantId tenant, long belowSize, int limit) {
        // The primary key (tenant, tree_size) read backwards from the cursor: a page costs its own rows only.
        return jdbc.query(CHECKPOINTS + " WHERE tenant = ? AND tree_size < ? ORDER BY tree_size DESC LIMIT ?", ps -> {
            ps.setString(1, tenant.value());
            ps.setLong(2, belowSize);
            ps.setInt(3, limit);
        }, PostgresMerkleLog::checkpoint);
    }

    @Override
    public Optional<PublishedCheckpoint> firstCheckpointAbove(TenantId tenant, long treeSize) {
        return jdbc.first(CHECKPOINTS + " WHERE tenant = ? AND tree_size > ? ORDER BY tree_size LIMIT 1", ps -> {
            ps.setString(1, tenant.value());
            ps.setLong(2, treeSize);
        }, PostgresMerkleLog::checkpoint);
    }

    @Override
    public Optional<PublishedCheckpoint> lastCheckpointBetween(TenantId tenant, long above, long atMost) {
        return jdbc.first(CHECKPOINTS + " WHERE tenant = ? AND tree_size > ? AND tree_size <= ?"
                + " ORDER BY tree_size DESC LIMIT 1", ps -> {
                    ps.setString(1, tenant.value());
                    ps.setLong(2, above);
                    ps.setLong(3, atMost);
                }, PostgresMerkleLog::checkpoint);
    }

    private static final String CHECKPOINTS =
            "SELECT tenant, signed_note, published_at, tree_size FROM log_checkpoint";

    static PublishedCheckpoint checkpoint(ResultSet rs) throws SQLException {
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

    /** Parameters: positions, tree levels, first and end index of each tile, then the tenant twice. */
    static final String TILES = """
            SELECT w.position, t.hash_index, t.hash
            FROM unnest(?::int[], ?::smallint[], ?::bigint[], ?::bigint[]) AS w(position, level, first, stop)
            CROSS JOIN LATERAL (
                SELECT l.leaf_index AS hash_index, l.leaf_hash AS hash FROM log_leaf l
                WHERE w.level = 0 AND l.tenant = ? AND l.leaf_index >= w.first AND l.leaf_index < w.stop
                UNION ALL
                SELECT s.node_index, s.hash FROM merkle_subtree s
                WHERE w.level > 0 AND s.tenant = ? AND s.level = w.level
                  AND s.node_index >= w.first AND s.node_index < w.stop) t
            ORDER BY 1, 2""";

    /**
     * All requested tiles in one statement: each tile is an index range at one stored level, read from the primary
     * key of log_leaf (level 0) or merkle_subtree (tree level 8L). Each tile is its own lateral range scan: joined
     * as sets, the planner hashed the requested tiles and seq-scanned merkle_subtree in parallel once it held a few
     * hundred thousand rows (372 ms instead of 1 for a 256-hash tile; docs/QUERY-PLANS.md).
     */
    @Override
    public Map<Tile, List<Hash>> tiles(TenantId tenant, Collection<Tile> tiles) {
        List<Tile> wanted = List.copyOf(tiles);
        Map<Tile, List<Hash>> found = new HashMap<>();
        if (wanted.isEmpty()) {
            return found;
        }
        Integer[] positions = IntStream.range(0, wanted.size()).boxed().toArray(Integer[]::new);
        Short[] levels = wanted.stream().map(tile -> (short) tile.treeLevel()).toArray(Short[]::new);
        Long[] firsts = wanted.stream().map(Tile::firstHash).toArray(Long[]::new);
        Long[] ends = wanted.stream().map(tile -> tile.firstHash() + tile.width()).toArray(Long[]::new);
        Map<Integer, List<Hash>> byPosition = new HashMap<>();
        jdbc.query(TILES, ps -> {
            ps.setArray(1, ps.getConnection().createArrayOf("int", positions));
            ps.setArray(2, ps.getConnection().createArrayOf("smallint", levels));
            ps.setArray(3, ps.getConnection().createArrayOf("bigint", firsts));
            ps.setArray(4, ps.getConnection().createArrayOf("bigint", ends));
            ps.setString(5, tenant.value());
            ps.setString(6, tenant.value());
        }, rs -> {
            int position = rs.getInt(1);
            long expected = firsts[position] + byPosition.getOrDefault(position, List.of()).size();
            if (rs.getLong(2) == expected) {
                // A gap ends the tile: it comes back short and the caller names the missing hashes.
                byPosition.computeIfAbsent(position, p -> new ArrayList<>()).add(new Hash(rs.getBytes(3)));
            }
            return position;
        });
        for (int position = 0; position < wanted.size(); position++) {
            found.put(wanted.get(position), byPosition.getOrDefault(position, List.of()));
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

    /**
     * Leaves with their events, completed by a condition on {@code l.leaf_index}. Each event is its own lookup by id
     * ({@code OFFSET 0} keeps it a per-leaf subquery, pruned to the event's partition): joined as sets, a page of 256
     * leaves averaged about 30 ms in the archive benchmark at 300k events, half of the archive job's time
     * (BENCHMARKS.md).
     * The archive index is read only for a leaf whose event row is gone, the only case its hash is used in.
     */
    private static final String LEAVES_WITH_EVENTS = "SELECT l.tenant, l.leaf_index, l.event_id, l.leaf_hash,"
            + " CASE WHEN e.id IS NULL THEN (SELECT a.leaf_hash FROM archived_event a WHERE a.tenant = l.tenant"
            + " AND a.log_index = l.leaf_index AND a.event_id = l.event_id) END, e.*"
            + " FROM log_leaf l LEFT JOIN LATERAL (SELECT " + AuditEventRowMapper.COLUMNS
            + " FROM audit_event e WHERE e.id = l.event_id OFFSET 0) e ON true WHERE l.tenant = ? AND ";

    @Override
    public List<LeafWithEvent> leavesWithEvents(TenantId tenant, long from, long to) {
        return jdbc.query(LEAVES_WITH_EVENTS + "l.leaf_index >= ? AND l.leaf_index < ? ORDER BY l.leaf_index", ps -> {
                    ps.setString(1, tenant.value());
                    ps.setLong(2, from);
                    ps.setLong(3, to);
                    ps.setFetchSize(1_000);
                }, PostgresMerkleLog::leafWithEvent);
    }

    private static LeafWithEvent leafWithEvent(ResultSet rs) throws SQLException {
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
    }

    @Override
    public long[] leafIndicesOccurredIn(TenantId tenant, Instant from, Instant to, long treeSize, int limit) {
        // Hot events through the time index and their unique leaf; purged ones through archived_event's time index,
        // which keeps their index. An event both hot and archived counts once. Collected unboxed: a period may hold
        // millions.
        long[][] indices = {new long[1024]};
        int[] count = {0};
        jdbc.each("""
                SELECT l.leaf_index FROM audit_event e JOIN log_leaf l ON l.event_id = e.id AND l.tenant = e.tenant
                WHERE e.tenant = ? AND e.occurred_at >= ? AND e.occurred_at < ? AND l.leaf_index < ?
                UNION
                SELECT a.log_index FROM archived_event a
                WHERE a.tenant = ? AND a.occurred_at >= ? AND a.occurred_at < ? AND a.log_index < ?
                ORDER BY 1 LIMIT ?""", ps -> {
            for (int offset : new int[] {0, 4}) {
                ps.setString(offset + 1, tenant.value());
                ps.setTimestamp(offset + 2, Timestamp.from(from));
                ps.setTimestamp(offset + 3, Timestamp.from(to));
                ps.setLong(offset + 4, treeSize);
            }
            ps.setInt(9, limit);
            ps.setFetchSize(10_000);
        }, rs -> {
            if (count[0] == indices[0].length) {
                indices[0] = java.util.Arrays.copyOf(indices[0], indices[0].length * 2);
            }
            indices[0][count[0]++] = rs.getLong(1);
        });
        return java.util.Arrays.copyOf(indices[0], count[0]);
    }

    @Override
    public List<LeafWithEvent> leavesWithEventsAt(TenantId tenant, long[] indices) {
        if (indices.length == 0) {
            return List.of();
        }
        if (indices[indices.length - 1] - indices[0] + 1 == indices.length) {
            // Contiguous (a period covering this part of the log): the range scan reads them in order.
            return leavesWithEvents(tenant, indices[0], indices[indices.length - 1] + 1);
        }
        return jdbc.query(LEAVES_WITH_EVENTS + "l.leaf_index = ANY (?) ORDER BY l.leaf_index", ps -> {
                    ps.setString(1, tenant.value());
                    ps.setArray(2, ps.getConnection().createArrayOf("bigint",
                            Arrays.stream(indices).boxed().toArray()));
                    ps.setFetchSize(1_000);
                }, PostgresMerkleLog::leafWithEvent);
    }

    private static LogLeaf leaf(ResultSet rs) throws SQLException {
        return new LogLeaf(new TenantId(rs.getString(1)), rs.getLong(2), new EventId(rs.getObject(3, UUID.class)),
                new Hash(rs.getBytes(4)));
    }
}
