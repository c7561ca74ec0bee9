package io.stenographer.domain.tiles;

import io.stenographer.domain.merkle.Hash;
import io.stenographer.domain.merkle.MerkleTree;
import io.stenographer.domain.merkle.NodeRef;
import java.util.List;
import java.util.Optional;

/**
 * A full level-0 tile read sparsely, for one leaf's inclusion proof: the 16 leaf hashes of the stride holding the
 * leaf and the tile's 16 stride roots (tree level 4). Every node of the leaf's path inside the tile is one of these
 * or made of them, so a proof reads 32 hashes instead of 256.
 */
public record SparseTile(Tile tile, int stride, List<Hash> strideLeaves, List<Hash> strideRoots) {

    /** Tree level of the stride roots: the sequencer stores them beside the tile levels (0, 8, 16, ...). */
    public static final int STRIDE_LEVEL = 4;
    public static final int STRIDE_WIDTH = 1 << STRIDE_LEVEL;
    public static final int STRIDES = Tile.FULL_WIDTH / STRIDE_WIDTH;

    public SparseTile {
        if (tile.level() != 0 || !tile.isFull()) {
            throw new IllegalArgumentException("only full level-0 tiles are read sparsely, not " + tile.path());
        }
        if (stride < 0 || stride >= STRIDES) {
            throw new IllegalArgumentException("stride must be 0.." + (STRIDES - 1) + ", was " + stride);
        }
        if (strideLeaves.size() != STRIDE_WIDTH || strideRoots.size() != STRIDES) {
            throw new IllegalArgumentException("a sparse tile holds " + STRIDE_WIDTH + " leaves and " + STRIDES
                    + " stride roots, not " + strideLeaves.size() + " and " + strideRoots.size());
        }
        strideLeaves = List.copyOf(strideLeaves);
        strideRoots = List.copyOf(strideRoots);
    }

    /** Whether the stored stride root of the leaves read agrees with them; a disagreement means a damaged row. */
    public boolean consistent() {
        return MerkleTree.root(strideLeaves).equals(strideRoots.get(stride));
    }

    /** The hash of {@code node}, when this read holds it: inside the stride, or made of stride roots. */
    public Optional<Hash> hash(NodeRef node) {
        if (node.level() >= Tile.HEIGHT || node.index() >> (Tile.HEIGHT - node.level()) != tile.index()) {
            return Optional.empty();
        }
        int offset = Tile.offsetOf(node);
        int count = 1 << node.level();
        if (node.level() >= STRIDE_LEVEL) {
            int first = offset / STRIDE_WIDTH;
            return Optional.of(MerkleTree.root(strideRoots.subList(first, first + count / STRIDE_WIDTH)));
        }
        int inStride = offset - stride * STRIDE_WIDTH;
        if (inStride < 0 || inStride >= STRIDE_WIDTH) {
            return Optional.empty();
        }
        return Optional.of(MerkleTree.root(strideLeaves.subList(inStride, inStride + count)));
    }
}
