package io.stenographer.domain.merkle;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * Proof that the leaf at {@code leafIndex} is in the tree of {@code treeSize} leaves
 * (RFC 9162 section 2.1.3). The path runs from the leaf's sibling up to the root's child.
 */
public record InclusionProof(long leafIndex, long treeSize, List<Hash> path) {

    public InclusionProof {
        if (leafIndex < 0) {
            throw new IllegalArgumentException("leafIndex must be >= 0, was " + leafIndex);
        }
        if (treeSize <= leafIndex) {
            throw new IllegalArgumentException("treeSize must be > leafIndex, was treeSize " + treeSize
                    + " for leafIndex " + leafIndex);
        }
        Objects.requireNonNull(path, "path");
        path = List.copyOf(path); // also rejects null elements
    }

    /**
     * Builds the proof (RFC 9162 section 2.1.3.1), asking the source for one subtree hash per
     * level: ceil(log2 treeSize) calls, each for a range the RFC recursion visits.
     */
    public static InclusionProof compute(long index, long size, SubtreeHashSource source) {
        if (index < 0 || index >= size) {
            throw new IllegalArgumentException("index must satisfy 0 <= index < size, was index " + index
                    + ", size " + size);
        }
        Objects.requireNonNull(source, "source");
        List<Hash> topDown = new ArrayList<>();
        long lo = 0;
        long hi = size;
        while (hi - lo > 1) {
            long k = MerkleTree.largestPowerOfTwoBelow(hi - lo);
            if (index < lo + k) {
                topDown.add(source.subtreeHash(lo + k, hi));
                hi = lo + k;
            } else {
                topDown.add(source.subtreeHash(lo, lo + k));
                lo = lo + k;
            }
        }
        Collections.reverse(topDown);
        return new InclusionProof(index, size, topDown);
    }

    /**
     * The root this proof leads to from the given leaf hash (RFC 9162 section 2.1.3.2).
     *
     * @throws IllegalArgumentException if the path length does not fit the index and size
     */
    public Hash rootFrom(Hash leafHash) {
        InclusionFold fold = new InclusionFold(leafIndex, treeSize, leafHash);
        for (Hash p : path) {
            fold.apply(p);
        }
        return fold.root();
    }

    /** Whether this proof shows {@code leafHash} at {@code leafIndex} under {@code expectedRoot}. */
    public boolean verify(Hash leafHash, Hash expectedRoot) {
        Objects.requireNonNull(leafHash, "leafHash");
        Objects.requireNonNull(expectedRoot, "expectedRoot");
        try {
            return rootFrom(leafHash).equals(expectedRoot);
        } catch (IllegalArgumentException malformed) {
            return false;
        }
    }
}
