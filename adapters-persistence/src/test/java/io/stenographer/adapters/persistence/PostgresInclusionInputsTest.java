package io.stenographer.adapters.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.stenographer.adapters.persistence.embedded.EmbeddedPostgresServer;
import io.stenographer.application.port.out.LoadInclusionInputsPort.InclusionInputs;
import io.stenographer.application.port.out.LoadInclusionInputsPort.LeafInTile;
import io.stenographer.domain.checkpoint.Checkpoint;
import io.stenographer.domain.checkpoint.Ed25519Keys;
import io.stenographer.domain.checkpoint.NoteSigner;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.merkle.Hash;
import io.stenographer.domain.merkle.MerkleTree;
import io.stenographer.domain.tiles.SparseTile;
import io.stenographer.domain.tiles.Tile;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The one-statement read behind an inclusion proof by index: a full tile with stored stride roots comes back as the
 * 32 hashes the proof needs; the growing rightmost tile, a log without stride roots and a stride whose stored root
 * disagrees with its leaves come back whole.
 */
class PostgresInclusionInputsTest {

    private static final int SIZE = 600;
    private static final NoteSigner SIGNER = new NoteSigner("stenographer.test/inclusion",
            Ed25519Keys.generate().getPrivate());

    private final PostgresInclusionInputs adapter = new PostgresInclusionInputs(appDataSource());

    @Test
    void aLeafInAFullTileIsReadAsItsStrideAndTheTilesStrideRoots() throws SQLException {
        TenantId tenant = new TenantId("inclusion-sparse");
        List<Hash> leaves = store(tenant, true, -1);

        InclusionInputs inputs = adapter.inclusionInputs(tenant, null, 300).orElseThrow();

        assertThat(inputs.checkpoint().treeSize()).isEqualTo(SIZE);
        LeafInTile read = inputs.leaf().orElseThrow();
        assertThat(read.leaf().index()).isEqualTo(300);
        assertThat(read.leaf().leafHash()).isEqualTo(leaves.get(300));
        assertThat(read.tileHashes()).isEmpty();
        SparseTile sparse = read.sparse().orElseThrow();
        assertThat(sparse.tile()).isEqualTo(Tile.full(0, 1));
        assertThat(sparse.stride()).isEqualTo((300 - 256) / 16);
        assertThat(sparse.strideLeaves()).isEqualTo(leaves.subList(288, 304));
        assertThat(sparse.strideRoots()).isEqualTo(strideRoots(leaves, 1));
        assertThat(sparse.consistent()).isTrue();
    }

    @Test
    void theGrowingTileAndALogWithoutStrideRootsAreReadWhole() throws SQLException {
        TenantId tenant = new TenantId("inclusion-whole");
        List<Hash> leaves = store(tenant, false, -1);

        LeafInTile partial = adapter.inclusionInputs(tenant, (long) SIZE, 590).orElseThrow().leaf().orElseThrow();
        assertThat(partial.sparse()).isEmpty();
        assertThat(partial.tile()).isEqualTo(new Tile(0, 2, SIZE - 512));
        assertThat(partial.tileHashes()).isEqualTo(leaves.subList(512, SIZE));

        LeafInTile noRoots = adapter.inclusionInputs(tenant, null, 10).orElseThrow().leaf().orElseThrow();
        assertThat(noRoots.sparse()).isEmpty();
        assertThat(noRoots.tileHashes()).isEqualTo(leaves.subList(0, 256));
        assertThat(noRoots.leaf().leafHash()).isEqualTo(leaves.get(10));

        assertThat(adapter.inclusionInputs(tenant, null, SIZE).orElseThrow().leaf()).isEmpty();
        assertThat(adapter.inclusionInputs(tenant, 599L, 10)).isEmpty();
    }

    @Test
    void aStrideRootThatDisagreesWithItsLeavesMakesTheTileBeReadWhole() throws SQLException {
        TenantId tenant = new TenantId("inclusion-damaged-root");
        List<Hash> leaves = store(tenant, true, 3);

        LeafInTile damaged = adapter.inclusionInputs(tenant, null, 3 * 16 + 5).orElseThrow().leaf().orElseThrow();
        assertThat(damaged.sparse()).isEmpty();
        assertThat(damaged.tileHashes()).isEqualTo(leaves.subList(0, 256));

        // Another stride of the same tile agrees with its own root: the read stays sparse, and the proof made
        // from it fails the service's check against the checkpoint (TamperDetectionTest shows the fallback).
        assertThat(adapter.inclusionInputs(tenant, null, 100).orElseThrow().leaf().orElseThrow().sparse())
                .isPresent();
    }

    /** Leaves, stride roots of the full tiles (one forged when {@code forgedStride >= 0}) and a checkpoint. */
    private static List<Hash> store(TenantId tenant, boolean withStrideRoots, int forgedStride) throws SQLException {
        List<Hash> leaves = new ArrayList<>();
        for (int i = 0; i < SIZE; i++) {
            leaves.add(sha256(tenant.value() + "/" + i));
        }
        try (Connection superuser = MigratedPostgres.server().superuserConnection()) {
            superuser.setAutoCommit(false);
            try (PreparedStatement leaf = superuser.prepareStatement(
                    "INSERT INTO log_leaf (tenant, leaf_index, event_id, leaf_hash) VALUES (?, ?, ?, ?)");
                    PreparedStatement root = superuser.prepareStatement(
                            "INSERT INTO merkle_subtree (tenant, level, node_index, hash) VALUES (?, 4, ?, ?)");
                    PreparedStatement checkpoint = superuser.prepareStatement("INSERT INTO log_checkpoint"
                            + " (tenant, tree_size, root_hash, signed_note, published_at) VALUES (?, ?, ?, ?, ?)")) {
                for (int i = 0; i < SIZE; i++) {
                    leaf.setString(1, tenant.value());
                    leaf.setLong(2, i);
                    leaf.setObject(3, UUID.randomUUID());
                    leaf.setBytes(4, leaves.get(i).bytes());
                    leaf.addBatch();
                }
                leaf.executeBatch();
                for (int node = 0; withStrideRoots && (node + 1) * 16 <= SIZE; node++) {
                    root.setString(1, tenant.value());
                    root.setLong(2, node);
                    root.setBytes(3, (node == forgedStride ? leaves.get(0)
                            : MerkleTree.root(leaves.subList(node * 16, node * 16 + 16))).bytes());
                    root.addBatch();
                }
                root.executeBatch();
                Hash rootHash = MerkleTree.root(leaves);
                checkpoint.setString(1, tenant.value());
                checkpoint.setLong(2, SIZE);
                checkpoint.setBytes(3, rootHash.bytes());
                checkpoint.setString(4, Checkpoint.of("stenographer.test/inclusion", SIZE, rootHash).sign(SIGNER)
                        .serialize());
                checkpoint.setTimestamp(5, Timestamp.from(Instant.parse("2026-12-06T02:00:00Z")));
                checkpoint.executeUpdate();
                superuser.commit();
            }
        }
        return leaves;
    }

    private static List<Hash> strideRoots(List<Hash> leaves, int tile) {
        List<Hash> roots = new ArrayList<>();
        for (int s = 0; s < SparseTile.STRIDES; s++) {
            int first = tile * Tile.FULL_WIDTH + s * SparseTile.STRIDE_WIDTH;
            roots.add(MerkleTree.root(leaves.subList(first, first + SparseTile.STRIDE_WIDTH)));
        }
        return roots;
    }

    private static Hash sha256(String text) {
        try {
            return new Hash(MessageDigest.getInstance("SHA-256").digest(text.getBytes(
                    java.nio.charset.StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static PGSimpleDataSource appDataSource() {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(MigratedPostgres.server().jdbcUrl());
        dataSource.setUser(EmbeddedPostgresServer.APP_ROLE);
        dataSource.setPassword(EmbeddedPostgresServer.APP_ROLE);
        return dataSource;
    }
}
