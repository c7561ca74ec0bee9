package io.stenographer.domain.merkle;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * Proof that the tree of {@code fromSize} leaves is a prefix of the tree of {@code toSize} leaves
 * (RFC 9162 section 2.1.4): the log only appended, it never rewrote history.
 */
public record ConsistencyProof(long fromSize, long toSize, List<Hash> path) {

    public ConsistencyProof {
        if (fromSize < 0) {
            throw new IllegalArgumentException("fromSize must be >= 0, was " + fromSize);
        }
        if (toSize < fromSize) {
            throw new IllegalArgumentException("toSize must be >= fromSize, was toSize " + toSize
                    + " for fromSize " + fromSize);
        }
        Objects.requireNonNull(path, "path");
        path = List.copyOf(path);
    }

    /**
     * Builds the proof (RFC 9162 section 2.1.4.1, SUBPROOF), asking the source for at most
     * ceil(log2 to) + 1 subtree hashes, each for a range the RFC recursion visits. The proof is
     * empty when {@code from} is 0 or equals {@code to}.
     */
    public static ConsistencyProof compute(long from, long to, SubtreeHashSource source) {
        if (from < 0 || to < from) {
            throw new IllegalArgumentException("sizes must satisfy 0 <= from <= to, was from " + from + ", to " + to);
        }
        Objects.requireNonNull(source, "source");
        if (from == 0 || from == to) {
            return new ConsistencyProof(from, to, List.of());
        }
        List<Hash> topDown = new ArrayList<>();
        long lo = 0;
        long hi = to;
        long m = from;            // old size, relative to lo
        boolean wholeOldTree = true; // the RFC's flag b: still on the old tree's own root path
        while (m != hi - lo) {
            long k = MerkleTree.largestPowerOfTwoBelow(hi - lo);
            if (m <= k) {
                topDown.add(source.subtreeHash(lo + k, hi));
                hi = lo + k;
            } else {
                topDown.add(source.subtreeHash(lo, lo + k));
                m -= k;
                lo += k;
                wholeOldTree = false;
            }
        }
        if (!wholeOldTree) {
            topDown.add(source.subtreeHash(lo, hi));
        }
        Collections.reverse(topDown);
        return new ConsistencyProof(from, to, topDown);
    }

    /**
     * Verifies the proof against the two roots (RFC 9162 section 2.1.4.2). For {@code from == to}
     * the path must be empty and the roots equal; for {@code from == 0} the path must be empty and
     * {@code fromRoot} must be the empty-tree root (every tree extends the empty one).
     */
    public boolean verify(Hash fromRoot, Hash toRoot) {
        Objects.requireNonNull(fromRoot, "fromRoot");
        Objects.requireNonNull(toRoot, "toRoot");
        if (fromSize == toSize) {
            return path.isEmpty() && fromRoot.equals(toRoot);
        }
        if (fromSize == 0) {
            return path.isEmpty() && fromRoot.equals(MerkleHashes.emptyRoot());
        }
        if (path.isEmpty()) {
            return false;
        }
        List<Hash> proof = path;
        if (Long.bitCount(fromSize) == 1) {
            // The old root is itself a node of the new tree and is left out of the path.
            proof = new ArrayList<>(path.size() + 1);
            proof.add(fromRoot);
            proof.addAll(path);
        }
        long fn = fromSize - 1;
        long sn = toSize - 1;
        while ((fn & 1) == 1) {
            fn >>= 1;
            sn >>= 1;
        }
        Hash fr = proof.get(0);
        Hash sr = proof.get(0);
        for (int i = 1; i < proof.size(); i++) {
            Hash c = proof.get(i);
            if (sn == 0) {
                return false;
            }
            if ((fn & 1) == 1 || fn == sn) {
                fr = MerkleHashes.nodeHash(c, fr);
                sr = MerkleHashes.nodeHash(c, sr);
                while ((fn & 1) == 0 && fn != 0) {
                    fn >>= 1;
                    sn >>= 1;
                }
            } else {
                sr = MerkleHashes.nodeHash(sr, c);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && fr.equals(fromRoot) && sr.equals(toRoot);
    }
}
