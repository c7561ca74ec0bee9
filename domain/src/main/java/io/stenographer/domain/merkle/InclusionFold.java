package io.stenographer.domain.merkle;

import java.util.Objects;

/**
 * The RFC 9162 section 2.1.3.2 walk from a leaf hash up an inclusion path, one proof hash at a time. Its state
 * before each step (the node's position {@code fn}, {@code sn} and its hash) is visible, so a caller checking many
 * proofs can recognise a state an earlier walk already passed through. Not thread-safe; one walk per instance.
 */
public final class InclusionFold {

    private final long leafIndex;
    private final long treeSize;
    private long fn;
    private long sn;
    private Hash node;

    public InclusionFold(long leafIndex, long treeSize, Hash leafHash) {
        this.leafIndex = leafIndex;
        this.treeSize = treeSize;
        this.fn = leafIndex;
        this.sn = treeSize - 1;
        this.node = Objects.requireNonNull(leafHash, "leafHash");
    }

    public long fn() {
        return fn;
    }

    public long sn() {
        return sn;
    }

    public Hash node() {
        return node;
    }

    /** Combines the node with the next proof hash, on the side its position says. */
    public void apply(Hash proofHash) {
        if (sn == 0) {
            throw new IllegalArgumentException("inclusion proof path is too long for leafIndex " + leafIndex
                    + " in a tree of size " + treeSize);
        }
        if ((fn & 1) == 1 || fn == sn) {
            node = MerkleHashes.nodeHash(proofHash, node);
            // Skip the levels where this node has no right sibling (right edge of the tree).
            while ((fn & 1) == 0 && fn != 0) {
                fn >>= 1;
                sn >>= 1;
            }
        } else {
            node = MerkleHashes.nodeHash(node, proofHash);
        }
        fn >>= 1;
        sn >>= 1;
    }

    /** The root the path led to; refused when the path ended below the root. */
    public Hash root() {
        if (sn != 0) {
            throw new IllegalArgumentException("inclusion proof path is too short for leafIndex " + leafIndex
                    + " in a tree of size " + treeSize);
        }
        return node;
    }
}
