package io.stenographer.domain.merkle;

/**
 * Where proofs get their hashes from: an in-memory tree, a database of stored perfect subtrees, or
 * an export bundle.
 *
 * <p>Proof construction only ever asks for ranges the RFC 6962 recursion visits. Such a range
 * {@code [start, end)} always has {@code start} aligned to the smallest power of two that is at
 * least {@code end - start}, so a store that keeps every perfect subtree can answer it with
 * {@link MerkleTree#perfectSubtreeDecomposition(long, long)} and
 * {@link MerkleTree#combineDecomposition(java.util.List)} in O(log n) reads.
 */
@FunctionalInterface
public interface SubtreeHashSource {

    /** MTH of the leaves {@code [start, end)}, with {@code start < end}. */
    Hash subtreeHash(long start, long end);
}
