package io.stenographer.adapters.persistence;

import io.stenographer.application.port.out.LoadInclusionInputsPort;
import io.stenographer.application.port.out.StoreUnavailable;
import io.stenographer.domain.event.EventId;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.log.LogLeaf;
import io.stenographer.domain.log.PublishedCheckpoint;
import io.stenographer.domain.merkle.Hash;
import io.stenographer.domain.merkle.NodeRef;
import io.stenographer.domain.tiles.SparseTile;
import io.stenographer.domain.tiles.Tile;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The checkpoint, the leaf and what its proof needs of its level-0 tile, in one statement on an autocommit
 * connection: no JTA transaction, no BEGIN or COMMIT, one round trip, one row back. For a full tile that is the 16
 * leaves of the leaf's stride and the tile's 16 stored stride roots; for the growing rightmost tile, or a log written
 * before stride roots were stored, the whole tile. Rows are append-only, so one statement's snapshot is as
 * consistent as any transaction would be.
 */
@ApplicationScoped
public class PostgresInclusionInputs implements LoadInclusionInputsPort {

    private static final String LATEST = "SELECT tree_size, signed_note, published_at FROM log_checkpoint"
            + " WHERE tenant = ? ORDER BY tree_size DESC LIMIT 1";
    private static final String AT_SIZE = "SELECT tree_size, signed_note, published_at FROM log_checkpoint"
            + " WHERE tenant = ? AND tree_size = ?";
    /**
     * One row: the checkpoint, the stride's leaf hashes joined into one value, the tile's stride roots (only when
     * the tile is full in the checkpoint's tree) and, only when those are not all there, the whole tile. The
     * conditions on the outer row become one-time filters, so a lateral that is not needed reads nothing.
     */
    private static final String INPUTS = """
            WITH c AS (%s)
            SELECT ?::text, c.signed_note, c.published_at, c.tree_size, s.hashes, s.leaves, s.event_id,
                   r.roots, r.count, w.hashes, w.leaves
            FROM c
            LEFT JOIN LATERAL (
                SELECT string_agg(l.leaf_hash, ''::bytea ORDER BY l.leaf_index) AS hashes, count(*) AS leaves,
                       (array_agg(l.event_id) FILTER (WHERE l.leaf_index = ?))[1] AS event_id
                FROM log_leaf l
                WHERE l.tenant = ? AND l.leaf_index >= ? AND l.leaf_index < LEAST(c.tree_size, ?)) s ON true
            LEFT JOIN LATERAL (
                SELECT string_agg(m.hash, ''::bytea ORDER BY m.node_index) AS roots, count(*) AS count
                FROM merkle_subtree m
                WHERE c.tree_size >= ? AND m.tenant = ? AND m.level = 4 AND m.node_index >= ? AND m.node_index < ?
            ) r ON true
            LEFT JOIN LATERAL (
                SELECT string_agg(l.leaf_hash, ''::bytea ORDER BY l.leaf_index) AS hashes, count(*) AS leaves
                FROM log_leaf l
                WHERE r.count < 16 AND l.tenant = ? AND l.leaf_index >= ? AND l.leaf_index < LEAST(c.tree_size, ?)
            ) w ON true""";
    /** Only for a tile with rows missing (a damaged log): which ones are missing needs the indices. */
    private static final String TILE_ROWS = "SELECT leaf_index, leaf_hash FROM log_leaf"
            + " WHERE tenant = ? AND leaf_index >= ? AND leaf_index < ? ORDER BY leaf_index";

    private final DataSource dataSource;

    PostgresInclusionInputs(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public Optional<InclusionInputs> inclusionInputs(TenantId tenant, Long treeSize, long index) {
        Tile holding = Tile.holding(new NodeRef(0, index));
        try (Connection connection = dataSource.getConnection()) {
            return read(connection, tenant, treeSize, index, holding);
        } catch (SQLException e) {
            if (ConnectionFailures.isConnectionFailure(e) || ConnectionFailures.find(e).isPresent()) {
                throw new StoreUnavailable("database unavailable (SQLState " + e.getSQLState() + ")", e);
            }
            throw new IllegalStateException("reading inclusion inputs failed (SQLState " + e.getSQLState() + ")", e);
        }
    }

    private static Optional<InclusionInputs> read(Connection connection, TenantId tenant, Long treeSize, long index,
            Tile holding) throws SQLException {
        long tileFirst = holding.firstHash();
        int stride = (int) (index - tileFirst) / SparseTile.STRIDE_WIDTH;
        long strideFirst = tileFirst + (long) stride * SparseTile.STRIDE_WIDTH;
        long firstRoot = holding.index() * SparseTile.STRIDES;
        PublishedCheckpoint checkpoint;
        byte[] strideJoined;
        long strideLeaves;
        UUID eventId;
        byte[] rootsJoined;
        long roots;
        byte[] tileJoined;
        long tileLeaves;
        try (PreparedStatement statement = connection.prepareStatement(
                String.format(INPUTS, treeSize == null ? LATEST : AT_SIZE))) {
            int p = 1;
            statement.setString(p++, tenant.value());
            if (treeSize != null) {
                statement.setLong(p++, treeSize);
            }
            statement.setString(p++, tenant.value());
            statement.setLong(p++, index);
            statement.setString(p++, tenant.value());
            statement.setLong(p++, strideFirst);
            statement.setLong(p++, strideFirst + SparseTile.STRIDE_WIDTH);
            statement.setLong(p++, tileFirst + Tile.FULL_WIDTH);
            statement.setString(p++, tenant.value());
            statement.setLong(p++, firstRoot);
            statement.setLong(p++, firstRoot + SparseTile.STRIDES);
            statement.setString(p++, tenant.value());
            statement.setLong(p++, tileFirst);
            statement.setLong(p, tileFirst + Tile.FULL_WIDTH);
            try (ResultSet rs = statement.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                checkpoint = PostgresMerkleLog.checkpoint(rs);
                strideJoined = rs.getBytes(5);
                strideLeaves = rs.getLong(6);
                eventId = rs.getObject(7, UUID.class);
                rootsJoined = rs.getBytes(8);
                roots = rs.getLong(9);
                tileJoined = rs.getBytes(10);
                tileLeaves = rs.getLong(11);
            }
        }
        long width = Math.min(Tile.FULL_WIDTH, checkpoint.treeSize() - tileFirst);
        if (eventId == null || width < holding.width()) {
            return Optional.of(new InclusionInputs(checkpoint, Optional.empty()));
        }
        Tile tile = holding.withWidth((int) width);
        int position = (int) (index - tileFirst);
        if (tile.isFull() && roots == SparseTile.STRIDES && strideLeaves == SparseTile.STRIDE_WIDTH
                && hashesIn(rootsJoined, SparseTile.STRIDES) && hashesIn(strideJoined, SparseTile.STRIDE_WIDTH)) {
            SparseTile sparse = new SparseTile(tile, stride, split(strideJoined), split(rootsJoined));
            if (sparse.consistent()) {
                LogLeaf leaf = new LogLeaf(tenant, index, new EventId(eventId),
                        sparse.strideLeaves().get(position % SparseTile.STRIDE_WIDTH));
                return Optional.of(new InclusionInputs(checkpoint, Optional.of(LeafInTile.sparse(leaf, sparse))));
            }
            // A stored stride root that disagrees with its leaves: the whole tile decides, and the proof shows it.
        }
        List<Hash> hashes = tileLeaves == width && hashesIn(tileJoined, (int) width)
                ? split(tileJoined)
                : contiguousHashes(connection, tenant, tile);
        if (position >= hashes.size()) {
            // The leaf row is there but an earlier one is missing: the proof names the missing hashes.
            Hash leafHash = leafHash(connection, tenant, index);
            return Optional.of(new InclusionInputs(checkpoint, Optional.of(LeafInTile.whole(
                    new LogLeaf(tenant, index, new EventId(eventId), leafHash), tile, hashes))));
        }
        LogLeaf leaf = new LogLeaf(tenant, index, new EventId(eventId), hashes.get(position));
        return Optional.of(new InclusionInputs(checkpoint, Optional.of(LeafInTile.whole(leaf, tile, hashes))));
    }

    private static boolean hashesIn(byte[] joined, int count) {
        return joined != null && joined.length == count * Hash.LENGTH;
    }

    private static List<Hash> split(byte[] joined) {
        List<Hash> hashes = new ArrayList<>(joined.length / Hash.LENGTH);
        for (int at = 0; at < joined.length; at += Hash.LENGTH) {
            hashes.add(new Hash(Arrays.copyOfRange(joined, at, at + Hash.LENGTH)));
        }
        return hashes;
    }

    /** The tile's hashes up to its first missing row: a gap ends the tile short. */
    private static List<Hash> contiguousHashes(Connection connection, TenantId tenant, Tile tile)
            throws SQLException {
        List<Hash> hashes = new ArrayList<>(tile.width());
        try (PreparedStatement statement = connection.prepareStatement(TILE_ROWS)) {
            statement.setString(1, tenant.value());
            statement.setLong(2, tile.firstHash());
            statement.setLong(3, tile.firstHash() + tile.width());
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next() && rs.getLong(1) == tile.firstHash() + hashes.size()) {
                    hashes.add(new Hash(rs.getBytes(2)));
                }
            }
        }
        return hashes;
    }

    private static Hash leafHash(Connection connection, TenantId tenant, long index) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(TILE_ROWS)) {
            statement.setString(1, tenant.value());
            statement.setLong(2, index);
            statement.setLong(3, index + 1);
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return new Hash(rs.getBytes(2));
            }
        }
    }
}
