package io.stenographer.domain.merkle;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A growable Merkle tree held in memory, for tests and for the offline verifier rebuilding a tree
 * from exported leaves.
 *
 * <p>It keeps every perfect subtree hash, level by level, exactly as a persistent store would, and
 * answers {@link #subtreeHash(long, long)} from them. It therefore refuses ranges the RFC 6962
 * recursion never visits: a proof that asks for one is a bug, and this makes tests catch it.
 * Not thread-safe.
 */
public final class InMemoryMerkleTree implements SubtreeHashSource {

    /** levels.get(j).get(k) = hash of the perfect subtree at level j, index k. */
    private final List<List<Hash>> levels = new ArrayList<>();

    public InMemoryMerkleTree() {
        levels.add(new ArrayList<>());
    }

    public static InMemoryMerkleTree of(List<Hash> leafHashes) {
        InMemoryMerkleTree tree = new InMemoryMerkleTree();
        leafHashes.forEach(tree::append);
        return tree;
    }

    /** Appends a leaf hash and returns its index. */
    public long append(Hash leafHash) {
        Objects.requireNonNull(leafHash, "leafHash");
        List<Hash> leaves = levels.get(0);
        long index = leaves.size();
        leaves.add(leafHash);
        // Each time a right child completes, its parent completes too.
        Hash carry = leafHash;
        long position = index;
        int level = 0;
        while ((position & 1) == 1) {
            Hash left = levels.get(level).get((int) (position - 1));
            carry = MerkleHashes.nodeHash(left, carry);
            level++;
            position >>= 1;
            if (levels.size() == level) {
                levels.add(new ArrayList<>());
            }
            levels.get(level).add(carry);
        }
        return index;
    }

    public long size() {
        return levels.get(0).size();
    }

    public Hash leafHash(long index) {
        if (index < 0 || index >= size()) {
            throw new IllegalArgumentException("index must satisfy 0 <= index < size " + size() + ", was " + index);
        }
        return levels.get(0).get((int) index);
    }

    /** The current root (the empty-tree root when there are no leaves). */
    public Hash root() {
        return root(size());
    }

    /** The root of the tree as it was at {@code treeSize} leaves. */
    public Hash root(long treeSize) {
        if (treeSize < 0 || treeSize > size()) {
            throw new IllegalArgumentException("treeSize must satisfy 0 <= treeSize <= " + size() + ", was " + treeSize);
        }
        return treeSize == 0 ? MerkleHashes.emptyRoot() : subtreeHash(0, treeSize);
    }

    @Override
    public Hash subtreeHash(long start, long end) {
        if (start < 0 || end <= start || end > size()) {
            throw new IllegalArgumentException("range must satisfy 0 <= start < end <= " + size()
                    + ", was [" + start + ", " + end + ")");
        }
        if (!MerkleTree.isRecursionRange(start, end)) {
            throw new IllegalArgumentException("range [" + start + ", " + end
                    + ") is not one the RFC 6962 recursion visits; its start is not aligned");
        }
        List<Hash> pieces = new ArrayList<>();
        for (long[] piece : MerkleTree.perfectSubtreeDecomposition(start, end)) {
            pieces.add(levels.get((int) piece[0]).get((int) piece[1]));
        }
        return MerkleTree.combineDecomposition(pieces);
    }

    public InclusionProof inclusionProof(long index, long treeSize) {
        checkSize(treeSize);
        return InclusionProof.compute(index, treeSize, this);
    }

    public ConsistencyProof consistencyProof(long fromSize, long toSize) {
        checkSize(toSize);
        return ConsistencyProof.compute(fromSize, toSize, this);
    }

    private void checkSize(long treeSize) {
        if (treeSize > size()) {
            throw new IllegalArgumentException("tree size " + treeSize + " is beyond the current size " + size());
        }
    }
}
