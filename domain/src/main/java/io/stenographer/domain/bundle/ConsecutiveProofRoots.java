package io.stenographer.domain.bundle;

import io.stenographer.domain.merkle.Hash;
import io.stenographer.domain.merkle.InclusionProof;
import io.stenographer.domain.merkle.InclusionFold;
import java.util.List;

/**
 * Computes the root an inclusion proof leads to with the same walk as {@link InclusionProof#rootFrom}
 * ({@link InclusionFold}), but reuses
 * the upper part of the previous proof's computation when both meet there.
 *
 * <p>Why it is the same computation: {@code rootFrom} is a loop whose state before each step is the node
 * position {@code (fn, sn)}, the node hash {@code r} and the proof hashes still to apply. The rest of the loop
 * depends on nothing else. So when the current proof reaches a state the previous (successful) computation
 * also passed through, with the same position, the same node hash and hash-for-hash the same remaining proof
 * hashes, it must end in the previous result. Nothing is assumed about SHA-256 and no hash is trusted because
 * it was seen before: every hash of this proof is either hashed or compared to one that was. Proofs of
 * neighbouring leaves meet at their lowest common ancestor, on average after two steps instead of
 * {@code log2(treeSize)}. Not thread-safe: one per thread.
 */
final class ConsecutiveProofRoots {

    private long previousTreeSize = -1;
    private int previousSteps;
    private long[] previousFn = new long[InclusionProofJson.MAX_HASHES];
    private long[] previousSn = new long[InclusionProofJson.MAX_HASHES];
    private Hash[] previousNode = new Hash[InclusionProofJson.MAX_HASHES];
    private List<Hash> previousPath;
    private Hash previousRoot;

    private long[] fns = new long[InclusionProofJson.MAX_HASHES];
    private long[] sns = new long[InclusionProofJson.MAX_HASHES];
    private Hash[] nodes = new Hash[InclusionProofJson.MAX_HASHES];

    /**
     * The same result as {@code new InclusionProof(leafIndex, treeSize, path).rootFrom(leafHash)}, and the same
     * {@link IllegalArgumentException} when the path does not fit the index and size.
     */
    Hash rootFrom(long leafIndex, long treeSize, List<Hash> path, Hash leafHash) {
        if (leafIndex < 0 || treeSize <= leafIndex || path.size() > InclusionProofJson.MAX_HASHES) {
            return new InclusionProof(leafIndex, treeSize, path).rootFrom(leafHash); // its checks, its messages
        }
        boolean comparable = previousPath != null && previousTreeSize == treeSize;
        InclusionFold fold = new InclusionFold(leafIndex, treeSize, leafHash);
        int j = 0; // the previous computation's step whose sn is the first not above this one's
        for (int k = 0; k < path.size(); k++) {
            fns[k] = fold.fn();
            sns[k] = fold.sn();
            nodes[k] = fold.node();
            if (comparable) {
                while (j < previousSteps && previousSn[j] > fold.sn()) {
                    j++;
                }
                if (j < previousSteps && previousSn[j] == fold.sn() && previousFn[j] == fold.fn()
                        && previousSteps - j == path.size() - k && previousNode[j].equals(fold.node())
                        && sameHashes(path, k, previousPath, j)) {
                    remember(treeSize, path, k, j, previousRoot);
                    return previousRoot;
                }
            }
            fold.apply(path.get(k));
        }
        Hash r = fold.root();
        remember(treeSize, path, path.size(), previousSteps, r);
        return r;
    }

    private static boolean sameHashes(List<Hash> path, int from, List<Hash> other, int otherFrom) {
        for (int i = from, o = otherFrom; i < path.size(); i++, o++) {
            if (!path.get(i).equals(other.get(o))) {
                return false;
            }
        }
        return true;
    }

    /** Keeps this computation: its own first {@code ownSteps} states, then the previous one's from {@code joinedAt}. */
    private void remember(long treeSize, List<Hash> path, int ownSteps, int joinedAt, Hash root) {
        int joined = path.size() - ownSteps; // the previous computation's steps this one shares
        System.arraycopy(previousFn, joinedAt, fns, ownSteps, joined);
        System.arraycopy(previousSn, joinedAt, sns, ownSteps, joined);
        System.arraycopy(previousNode, joinedAt, nodes, ownSteps, joined);
        long[] fnSwap = previousFn;
        previousFn = fns;
        fns = fnSwap;
        long[] snSwap = previousSn;
        previousSn = sns;
        sns = snSwap;
        Hash[] nodeSwap = previousNode;
        previousNode = nodes;
        nodes = nodeSwap;
        previousSteps = path.size();
        previousPath = path;
        previousTreeSize = treeSize;
        previousRoot = root;
    }
}
