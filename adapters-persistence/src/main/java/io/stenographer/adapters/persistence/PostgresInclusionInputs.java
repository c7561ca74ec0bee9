package io.stenographer.adapters.persistence;

import io.stenographer.application.port.out.LoadInclusionInputsPort;
import io.stenographer.application.port.out.StoreUnavailable;
import io.stenographer.domain.event.EventId;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.log.LogLeaf;
import io.stenographer.domain.log.PublishedCheckpoint;
import io.stenographer.domain.merkle.Hash;
import io.stenographer.domain.merkle.NodeRef;
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
 * The checkpoint, the leaf and its level-0 tile in one statement on an autocommit connection: no JTA transaction,
 * no BEGIN or COMMIT, one round trip for the statement, one row back (the tile's 256 hashes joined into one value). Rows are append-only, so one statement's snapshot is as
 * consistent as any transaction would be.
 */
@ApplicationScoped
public class PostgresInclusionInputs implements LoadInclusionInputsPort {

    private static final String LATEST = "SELECT tree_size, signed_note, published_at FROM log_checkpoint"
            + " WHERE tenant = ? ORDER BY tree_size DESC LIMIT 1";
    private static final String AT_SIZE = "SELECT tree_size, signed_note, published_at FROM log_checkpoint"
            + " WHERE tenant = ? AND tree_size = ?";
    /** One row: the checkpoint and the level-0 tile's hashes joined into one value, with their count. */
    private static final String INPUTS = """
            WITH c AS (%s)
            SELECT ?::text, c.signed_note, c.published_at, c.tree_size, t.hashes, t.leaves, t.event_id
            FROM c LEFT JOIN LATERAL (
                SELECT string_agg(l.leaf_hash, ''::bytea ORDER BY l.leaf_index) AS hashes, count(*) AS leaves,
                       (array_agg(l.event_id) FILTER (WHERE l.leaf_index = ?))[1] AS event_id
                FROM log_leaf l
                WHERE l.tenant = ? AND l.leaf_index >= ? AND l.leaf_index < LEAST(c.tree_size, ?)) t ON true""";
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
        PublishedCheckpoint checkpoint;
        byte[] joined;
        long stored;
        UUID eventId;
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
            statement.setLong(p++, holding.firstHash());
            statement.setLong(p, holding.firstHash() + Tile.FULL_WIDTH);
            try (ResultSet rs = statement.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                checkpoint = PostgresMerkleLog.checkpoint(rs);
                joined = rs.getBytes(5);
                stored = rs.getLong(6);
                eventId = rs.getObject(7, UUID.class);
            }
        }
        long width = Math.min(Tile.FULL_WIDTH, checkpoint.treeSize() - holding.firstHash());
        if (eventId == null || width < holding.width()) {
            return Optional.of(new InclusionInputs(checkpoint, Optional.empty()));
        }
        Tile tile = holding.withWidth((int) width);
        List<Hash> hashes = stored == width && joined != null && joined.length == width * Hash.LENGTH
                ? split(joined)
                : contiguousHashes(connection, tenant, tile);
        int position = (int) (index - holding.firstHash());
        if (position >= hashes.size()) {
            // The leaf row is there but an earlier one is missing: the proof names the missing hashes.
            Hash leafHash = leafHash(connection, tenant, index);
            return Optional.of(new InclusionInputs(checkpoint,
                    Optional.of(new LeafInTile(new LogLeaf(tenant, index, new EventId(eventId), leafHash), tile,
                            hashes))));
        }
        LogLeaf leaf = new LogLeaf(tenant, index, new EventId(eventId), hashes.get(position));
        return Optional.of(new InclusionInputs(checkpoint, Optional.of(new LeafInTile(leaf, tile, hashes))));
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
