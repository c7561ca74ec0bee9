package io.stenographer.domain.merkle;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * RFC 6962 / RFC 9162 section 2.1 Merkle Tree Hash (MTH) and the range arithmetic that lets a
 * store answer proof queries from stored perfect subtrees.
 *
 * <p>A perfect subtree at level {@code j}, index {@code k} covers the leaves
 * {@code [k * 2^j, (k + 1) * 2^j)}.
 */
public final class MerkleTree {

    private MerkleTree() {
    }

    /** MTH over the given leaf hashes, for any count including zero. */
    public static Hash root(List<Hash> leafHashes) {
        Objects.requireNonNull(leafHashes, "leafHashes");
        if (leafHashes.isEmpty()) {
            return MerkleHashes.emptyRoot();
        }
        return rangeHash(leafHashes, 0, leafHashes.size());
    }

    /** MTH of {@code leaves[start, end)} by the RFC's recursive definition (start < end). */
    static Hash rangeHash(List<Hash> leaves, int start, int end) {
        int size = end - start;
        if (size == 1) {
            return Objects.requireNonNull(leaves.get(start), "leaf hash");
        }
        int k = (int) largestPowerOfTwoBelow(size);
        return MerkleHashes.nodeHash(rangeHash(leaves, start, start + k), rangeHash(leaves, start + k, end));
    }

    /**
     * Splits {@code [start, end)} into perfect subtrees, left to right, each as
     * {@code long[]{level, index}}. Greedy: each piece is the largest perfect subtree that starts
     * at the current position (is aligned there) and fits before {@code end}.
     *
     * <p>For a range the RFC recursion visits ({@code start} aligned to the smallest power of two
     * {@code >= end - start}, see {@link #isRecursionRange(long, long)}), the pieces are exactly
     * the binary digits of {@code end - start}, largest first, and there are at most
     * ~log2(end - start) + 1 of them.
     */
    public static List<long[]> perfectSubtreeDecomposition(long start, long end) {
        if (start < 0 || end <= start) {
            throw new IllegalArgumentException("range must satisfy 0 <= start < end, was [" + start + ", " + end + ")");
        }
        List<long[]> pieces = new ArrayList<>();
        long position = start;
        while (position < end) {
            // Largest aligned block at position (lowest set bit; any size when position is 0) ...
            int level = position == 0 ? 62 : Long.numberOfTrailingZeros(position);
            // ... shrunk until it fits in what is left.
            while ((1L << level) > end - position) {
                level--;
            }
            pieces.add(new long[] {level, position >>> level});
            position += 1L << level;
        }
        return pieces;
    }

    /**
     * Folds the hashes of a decomposition (in the order {@link #perfectSubtreeDecomposition}
     * returns them) right to left: {@code H(p1, H(p2, ... H(p_{m-1}, p_m)))}.
     *
     * <p>Why this is MTH of the range when the range is one the RFC recursion visits: MTH of a
     * range of size {@code m} splits off its first {@code k} leaves, {@code k} the largest power
     * of two below {@code m}, as a perfect left subtree and recurses on the rest. When {@code m}
     * is not a power of two, {@code k} is its highest binary digit, so the left part is exactly
     * the first piece and the right part, of size {@code m - k}, is again aligned and decomposes
     * into the remaining pieces. When {@code m} is a power of two the whole range is a single
     * perfect piece. Unrolling the recursion gives exactly the right fold. (For an unaligned
     * start the pieces would follow the binary digits of the positions instead and the fold would
     * not be the MTH of those leaves, which is why only recursion ranges may be asked for.)
     */
    public static Hash combineDecomposition(List<Hash> pieceHashes) {
        Objects.requireNonNull(pieceHashes, "pieceHashes");
        if (pieceHashes.isEmpty()) {
            throw new IllegalArgumentException("pieceHashes must not be empty");
        }
        Hash accumulator = pieceHashes.get(pieceHashes.size() - 1);
        for (int i = pieceHashes.size() - 2; i >= 0; i--) {
            accumulator = MerkleHashes.nodeHash(pieceHashes.get(i), accumulator);
        }
        return accumulator;
    }

    /**
     * Whether {@code [start, end)} is a range the RFC 6962 recursion can visit: {@code start} is a
     * multiple of the smallest power of two that is at least {@code end - start}.
     */
    public static boolean isRecursionRange(long start, long end) {
        if (start < 0 || end <= start) {
            return false;
        }
        long size = end - start;
        if (size > (1L << 62)) {
            return start == 0;
        }
        long block = Long.highestOneBit(size);
        if (block != size) {
            block <<= 1;
        }
        return start % block == 0;
    }

    /** The largest power of two strictly less than {@code n} (n >= 2): the RFC's split point k. */
    static long largestPowerOfTwoBelow(long n) {
        if (n < 2) {
            throw new IllegalArgumentException("n must be >= 2, was " + n);
        }
        return Long.highestOneBit(n - 1);
    }

    /** The number of proof levels, ceil(log2 n), for n >= 1. */
    static int ceilLog2(long n) {
        return n <= 1 ? 0 : 64 - Long.numberOfLeadingZeros(n - 1);
    }
}
