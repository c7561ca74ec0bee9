package io.stenographer.domain.tiles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stenographer.domain.merkle.ConsistencyProof;
import io.stenographer.domain.merkle.Hash;
import io.stenographer.domain.merkle.InMemoryMerkleTree;
import io.stenographer.domain.merkle.InclusionProof;
import io.stenographer.domain.merkle.MerkleTree;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class TiledHashSourceTest {

    /**
     * Tiles built independently, by the spec's formula: hash i of tile n at level l is
     * MTH(D[(n * 256 + i) * 256^l : (n * 256 + i + 1) * 256^l]).
     */
    static Map<Tile, List<Hash>> tilesBySpecFormula(List<Hash> leaves) {
        Map<Tile, List<Hash>> tiles = new HashMap<>();
        for (Tile tile : TileLayout.tilesOf(leaves.size())) {
            long span = 1L << tile.treeLevel();
            List<Hash> hashes = new ArrayList<>();
            for (int i = 0; i < tile.width(); i++) {
                long start = (tile.index() * 256 + i) * span;
                hashes.add(MerkleTree.root(leaves.subList((int) start, (int) (start + span))));
            }
            tiles.put(tile, hashes);
        }
        return tiles;
    }

    @Property(tries = 40)
    void proofsFromTilesEqualProofsFromTheWholeTree(@ForAll @IntRange(min = 1, max = 70_000) int size,
            @ForAll @IntRange(min = 0, max = 69_999) int index, @ForAll @IntRange(min = 1, max = 70_000) int older) {
        List<Hash> leaves = TileLayoutTest.leaves(size);
        InMemoryMerkleTree tree = InMemoryMerkleTree.of(leaves);
        Map<Tile, List<Hash>> tiles = tilesBySpecFormula(leaves);
        List<Tile> reads = new ArrayList<>();
        TiledHashSource source = new TiledHashSource(size, tile -> {
            reads.add(tile);
            return tiles.get(tile);
        });
        int leaf = index % size;
        assertThat(InclusionProof.compute(leaf, size, source)).isEqualTo(tree.inclusionProof(leaf, size));
        int from = Math.min(older, size);
        assertThat(ConsistencyProof.compute(from, size, source)).isEqualTo(tree.consistencyProof(from, size));
        assertThat(source.subtreeHash(0, size)).isEqualTo(tree.root());
        assertThat(reads).doesNotHaveDuplicates().allSatisfy(tile -> assertThat(tiles).containsKey(tile));
    }

    @Property(tries = 20)
    void aForgedTileHashBreaksTheProofsThatUseIt(@ForAll @IntRange(min = 2, max = 5_000) int size,
            @ForAll @IntRange(min = 0, max = 4_999) int index) {
        List<Hash> leaves = TileLayoutTest.leaves(size);
        Hash root = MerkleTree.root(leaves);
        int leaf = index % size;
        Map<Tile, List<Hash>> tiles = tilesBySpecFormula(leaves);
        Tile levelZero = Tile.holding(new io.stenographer.domain.merkle.NodeRef(0, leaf));
        Tile stored = tiles.keySet().stream().filter(t -> t.level() == 0 && t.index() == levelZero.index())
                .findFirst().orElseThrow();
        List<Hash> forged = new ArrayList<>(tiles.get(stored));
        int victim = (leaf % 256) ^ 1;
        if (victim >= forged.size()) {
            return; // the leaf has no sibling in its tile: nothing to forge here
        }
        forged.set(victim, leaves.get(leaf));
        tiles.put(stored, forged);
        InclusionProof proof = InclusionProof.compute(leaf, size, new TiledHashSource(size, tiles::get));
        assertThat(proof.verify(leaves.get(leaf), root)).isFalse();
    }

    @Property(tries = 5)
    void aTileOfTheWrongWidthIsRefused(@ForAll @IntRange(min = 300, max = 1_000) int size) {
        TiledHashSource source = new TiledHashSource(size, tile -> TileLayoutTest.leaves(tile.width() - 1));
        assertThatThrownBy(() -> source.subtreeHash(0, size)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("hashes, not");
    }
}
