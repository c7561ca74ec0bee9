package io.stenographer.domain.tiles;

import static org.assertj.core.api.Assertions.assertThat;

import io.stenographer.domain.merkle.NodeRef;
import io.stenographer.domain.merkle.Hash;
import io.stenographer.domain.merkle.InMemoryMerkleTree;
import io.stenographer.domain.merkle.MerkleHashes;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TileLayoutTest {

    @Test
    void aTreeOf70000LeavesHasTheTilesTheSpecLists() {
        List<Tile> tiles = TileLayout.tilesOf(70_000);
        assertThat(tiles.stream().filter(t -> t.level() == 0 && t.isFull())).hasSize(273);
        assertThat(tiles).contains(new Tile(0, 273, 112), Tile.full(1, 0), new Tile(1, 1, 17), new Tile(2, 0, 1));
        assertThat(tiles).hasSize(273 + 1 + 1 + 1 + 1);
    }

    @Test
    void aTreeOf256LeavesIsOneFullTileAndAPartialOneAbove() {
        assertThat(TileLayout.tilesOf(256)).containsExactly(Tile.full(0, 0), new Tile(1, 0, 1));
        assertThat(TileLayout.tilesOf(0)).isEmpty();
        assertThat(TileLayout.tilesOf(1)).containsExactly(new Tile(0, 0, 1));
    }

    @Test
    void aTileExistsOnlyOnceTheTreeHasItsHashes() {
        assertThat(TileLayout.exists(new Tile(0, 273, 112), 70_000)).isTrue();
        assertThat(TileLayout.exists(new Tile(0, 273, 113), 70_000)).isFalse();
        assertThat(TileLayout.exists(Tile.full(0, 273), 70_000)).isFalse();
        assertThat(TileLayout.exists(new Tile(1, 1, 17), 70_000)).isTrue();
        assertThat(TileLayout.exists(new Tile(2, 0, 1), 70_000)).isTrue();
        assertThat(TileLayout.exists(new Tile(3, 0, 1), 70_000)).isFalse();
        assertThat(TileLayout.exists(new Tile(9, 0, 1), Long.MAX_VALUE)).isFalse();
    }

    @Test
    void everyNodeIsTheRootOfItsSliceOfTheTileHoldingIt() {
        List<Hash> leaves = leaves(256 * 3 + 5);
        InMemoryMerkleTree tree = InMemoryMerkleTree.of(leaves);
        List<Hash> levelZeroTile = leaves.subList(256, 512);
        for (int level = 0; level < 8; level++) {
            for (long index = 256 >> level; index < 512 >> level; index++) {
                NodeRef node = new NodeRef(level, index);
                assertThat(Tile.holding(node).index()).isEqualTo(1);
                assertThat(TileLayout.nodeHash(node, levelZeroTile))
                        .isEqualTo(tree.subtreeHash(node.start(), node.end()));
            }
        }
        NodeRef levelEight = new NodeRef(8, 1);
        assertThat(Tile.holding(levelEight)).isEqualTo(new Tile(1, 0, 2));
        assertThat(TileLayout.rootOf(levelZeroTile)).isEqualTo(tree.subtreeHash(256, 512));
    }

    @Test
    void tileBytesAreTheHashesConcatenated() {
        List<Hash> hashes = leaves(3);
        byte[] bytes = TileLayout.encode(hashes);
        assertThat(bytes).hasSize(96);
        assertThat(TileLayout.decode(bytes, 3)).isEqualTo(hashes);
    }

    static List<Hash> leaves(int count) {
        List<Hash> leaves = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            leaves.add(MerkleHashes.leafHash(ByteBuffer.allocate(4).putInt(i).array()));
        }
        return leaves;
    }
}
