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
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The checkpoint, the leaf and its level-0 tile in one statement on an autocommit connection: no JTA transaction,
 * no BEGIN or COMMIT, one round trip for the statement. Rows are append-only, so one statement's snapshot is as
 * consistent as any transaction would be.
 */
@ApplicationScoped
public class PostgresInclusionInputs implements LoadInclusionInputsPort {

    private static final String LATEST = "SELECT tree_size, signed_note, published_at FROM log_checkpoint"
            + " WHERE tenant = ? ORDER BY tree_size DESC LIMIT 1";
    private static final String AT_SIZE = "SELECT tree_size, signed_note, published_at FROM log_checkpoint"
            + " WHERE tenant = ? AND tree_size = ?";
    private static final String INPUTS = """
            WITH c AS (%s)
            SELECT ?::text, c.signed_note, c.published_at, c.tree_size, 0, NULL::bigint, NULL::bytea, NULL::uuid FROM c
            UNION ALL
            SELECT NULL, NULL, NULL, NULL, 1, l.leaf_index, l.leaf_hash,
                   CASE WHEN l.leaf_index = ? THEN l.event_id END
            FROM c JOIN log_leaf l ON l.tenant = ? AND l.leaf_index >= ? AND l.leaf_index < LEAST(c.tree_size, ?)
            ORDER BY 5, 6""";

    private final DataSource dataSource;

    PostgresInclusionInputs(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public Optional<InclusionInputs> inclusionInputs(TenantId tenant, Long treeSize, long index) {
        Tile holding = Tile.holding(new NodeRef(0, index));
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(
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
            return read(statement, tenant, index, holding);
        } catch (SQLException e) {
            if (ConnectionFailures.isConnectionFailure(e) || ConnectionFailures.find(e).isPresent()) {
                throw new StoreUnavailable("database unavailable (SQLState " + e.getSQLState() + ")", e);
            }
            throw new IllegalStateException("reading inclusion inputs failed (SQLState " + e.getSQLState() + ")", e);
        }
    }

    private static Optional<InclusionInputs> read(PreparedStatement statement, TenantId tenant, long index,
            Tile holding) throws SQLException {
        PublishedCheckpoint checkpoint = null;
        List<Hash> hashes = new ArrayList<>(Tile.FULL_WIDTH);
        LogLeaf leaf = null;
        try (ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                if (rs.getInt(5) == 0) {
                    checkpoint = PostgresMerkleLog.checkpoint(rs);
                    continue;
                }
                long at = rs.getLong(6);
                Hash hash = new Hash(rs.getBytes(7));
                if (at == holding.firstHash() + hashes.size()) {
                    hashes.add(hash); // a gap ends the tile short, and the proof names the missing hashes
                }
                if (at == index) {
                    leaf = new LogLeaf(tenant, index, new EventId(rs.getObject(8, UUID.class)), hash);
                }
            }
        }
        if (checkpoint == null) {
            return Optional.empty();
        }
        long width = Math.min(Tile.FULL_WIDTH, checkpoint.treeSize() - holding.firstHash());
        if (leaf == null || width < holding.width()) {
            return Optional.of(new InclusionInputs(checkpoint, Optional.empty()));
        }
        Tile tile = holding.withWidth((int) width);
        return Optional.of(new InclusionInputs(checkpoint, Optional.of(new LeafInTile(leaf, tile, hashes))));
    }
}
