package io.stenographer.domain.merkle;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The right edge of a Merkle tree: the hashes of the perfect subtrees that cover {@code [0, size)},
 * largest (leftmost) first, one per set bit of {@code size}. It is all a sequencer needs to append
 * a leaf and produce the new root in O(log n), without reading the rest of the tree.
 */
public record MerkleFrontier(long size, List<Hash> hashes) {

    /** A perfect subtree that an append completed; a store persists these. */
    public record CompletedSubtree(int level, long index, Hash hash) {
        public CompletedSubtree {
            if (level < 0 || level > 62) {
                throw new IllegalArgumentException("level must be in [0, 62], was " + level);
            }
            if (index < 0) {
                throw new IllegalArgumentException("index must be >= 0, was " + index);
            }
            Objects.requireNonNull(hash, "hash");
        }

        /** First leaf covered. */
        public long start() {
            return index << level;
        }

        /** One past the last leaf covered. */
        public long end() {
            return (index + 1) << level;
        }
    }

    /** The frontier after an append, and the subtrees it completed, smallest (the leaf) first. */
    public record Append(MerkleFrontier frontier, List<CompletedSubtree> completed) {
        public Append {
            Objects.requireNonNull(frontier, "frontier");
            completed = List.copyOf(Objects.requireNonNull(completed, "completed"));
        }
    }

    public MerkleFrontier {
        if (size < 0) {
            throw new IllegalArgumentException("size must be >= 0, was " + size);
        }
        Objects.requireNonNull(hashes, "hashes");
        hashes = List.copyOf(hashes);
        if (hashes.size() != Long.bitCount(size)) {
            throw new IllegalArgumentException("hashes must hold one hash per set bit of size " + size
                    + " (" + Long.bitCount(size) + "), was " + hashes.size());
        }
    }

    public static MerkleFrontier empty() {
        return new MerkleFrontier(0, List.of());
    }

    /** Reads the frontier of a stored tree of {@code size} leaves: one call per set bit of size. */
    public static MerkleFrontier of(long size, SubtreeHashSource source) {
        Objects.requireNonNull(source, "source");
        if (size < 0) {
            throw new IllegalArgumentException("size must be >= 0, was " + size);
        }
        List<Hash> hashes = new ArrayList<>();
        if (size > 0) {
            for (long[] piece : MerkleTree.perfectSubtreeDecomposition(0, size)) {
                long start = piece[1] << piece[0];
                hashes.add(source.subtreeHash(start, start + (1L << piece[0])));
            }
        }
        return new MerkleFrontier(size, hashes);
    }

    /**
     * Appends one leaf. The new leaf merges with the smallest subtrees on the edge exactly as a
     * binary counter carries, so the work is O(log n).
     */
    public Append append(Hash leafHash) {
        Objects.requireNonNull(leafHash, "leafHash");
        long newSize = size + 1;
        List<Hash> edge = new ArrayList<>(hashes);
        List<CompletedSubtree> completed = new ArrayList<>();
        Hash carry = leafHash;
        int level = 0;
        completed.add(new CompletedSubtree(0, size, leafHash));
        while (((size >>> level) & 1) == 1) {
            Hash left = edge.remove(edge.size() - 1);
            carry = MerkleHashes.nodeHash(left, carry);
            level++;
            completed.add(new CompletedSubtree(level, (newSize >>> level) - 1, carry));
        }
        edge.add(carry);
        return new Append(new MerkleFrontier(newSize, edge), completed);
    }

    /** MTH of the whole tree: the edge hashes folded right to left. */
    public Hash root() {
        return hashes.isEmpty() ? MerkleHashes.emptyRoot() : MerkleTree.combineDecomposition(hashes);
    }
}
