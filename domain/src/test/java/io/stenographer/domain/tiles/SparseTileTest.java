package io.stenographer.domain.tiles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stenographer.domain.merkle.Hash;
import io.stenographer.domain.merkle.InMemoryMerkleTree;
import io.stenographer.domain.merkle.InclusionProof;
import io.stenographer.domain.merkle.MerkleTree;
import io.stenographer.domain.merkle.NodeRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class SparseTileTest {

    static SparseTile sparse(List<Hash> leaves, long leafIndex) {
        Tile tile = Tile.full(0, leafIndex / Tile.FULL_WIDTH);
        int stride = (int) (leafIndex % Tile.FULL_WIDTH) / SparseTile.STRIDE_WIDTH;
        int first = (int) tile.firstHash();
        List<Hash> roots = new ArrayList<>();
        for (int s = 0; s < SparseTile.STRIDES; s++) {
            int start = first + s * SparseTile.STRIDE_WIDTH;
            roots.add(MerkleTree.root(leaves.subList(start, start + SparseTile.STRIDE_WIDTH)));
        }
        int strideStart = first + stride * SparseTile.STRIDE_WIDTH;
        return new SparseTile(tile, stride, leaves.subList(strideStart, strideStart + SparseTile.STRIDE_WIDTH), roots);
    }

    @Property(tries = 60)
    void everyNodeItAnswersIsTheSpecsHashAndItAnswersThePathInsideTheTile(
            @ForAll @IntRange(min = 256, max = 3_000) int size, @ForAll @IntRange(min = 0, max = 2_999) int index) {
        List<Hash> leaves = TileLayoutTest.leaves(size);
        long fullTiles = size / Tile.FULL_WIDTH;
        long leaf = index % (fullTiles * Tile.FULL_WIDTH);
        SparseTile sparse = sparse(leaves, leaf);
        assertThat(sparse.consistent()).isTrue();
        int answered = 0;
        for (int level = 0; level < Tile.HEIGHT; level++) {
            for (long node = 0; node < (long) size >> level; node++) {
                NodeRef ref = new NodeRef(level, node);
                Optional<Hash> hash = sparse.hash(ref);
                if (hash.isPresent()) {
                    answered++;
                    assertThat(hash.get()).isEqualTo(MerkleTree.root(leaves.subList((int) ref.start(), (int) ref.end())));
                }
                boolean onThePath = (leaf >> level) == node || ((leaf >> level) ^ 1) == node;
                if (onThePath) {
                    assertThat(hash).as("path node %s", ref).isPresent();
                }
            }
        }
        // levels 0-3 inside the stride (16 + 8 + 4 + 2) and levels 4-7 of the tile (16 + 8 + 4 + 2)
        assertThat(answered).isEqualTo(30 + 30);
        InMemoryMerkleTree tree = InMemoryMerkleTree.of(leaves);
        InclusionProof fromSparse = InclusionProof.compute(leaf, size, (start, end) -> {
            List<long[]> pieces = MerkleTree.perfectSubtreeDecomposition(start, end);
            List<Hash> hashes = new ArrayList<>();
            for (long[] piece : pieces) {
                NodeRef ref = new NodeRef((int) piece[0], piece[1]);
                hashes.add(ref.level() < Tile.HEIGHT && ref.start() / Tile.FULL_WIDTH == leaf / Tile.FULL_WIDTH
                        ? sparse.hash(ref).orElseThrow()
                        : tree.subtreeHash(ref.start(), ref.end()));
            }
            return MerkleTree.combineDecomposition(hashes);
        });
        assertThat(fromSparse).isEqualTo(tree.inclusionProof(leaf, size));
    }

    @Test
    void aStrideRootThatDisagreesWithItsLeavesIsNoticed() {
        List<Hash> leaves = TileLayoutTest.leaves(512);
        SparseTile good = sparse(leaves, 300);
        List<Hash> roots = new ArrayList<>(good.strideRoots());
        roots.set(good.stride(), leaves.get(0));
        assertThat(new SparseTile(good.tile(), good.stride(), good.strideLeaves(), roots).consistent()).isFalse();
    }

    @Test
    void onlyAFullLevelZeroTileWithSixteenLeavesAndRootsIsAccepted() {
        List<Hash> sixteen = TileLayoutTest.leaves(16);
        assertThatThrownBy(() -> new SparseTile(new Tile(0, 0, 200), 0, sixteen, sixteen))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("full level-0");
        assertThatThrownBy(() -> new SparseTile(Tile.full(1, 0), 0, sixteen, sixteen))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SparseTile(Tile.full(0, 0), 16, sixteen, sixteen))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("stride");
        assertThatThrownBy(() -> new SparseTile(Tile.full(0, 0), 0, sixteen.subList(0, 15), sixteen))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("16 leaves");
    }
}
