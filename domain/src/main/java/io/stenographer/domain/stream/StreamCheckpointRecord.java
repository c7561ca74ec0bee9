package io.stenographer.domain.stream;

import io.stenographer.domain.checkpoint.Checkpoint;
import io.stenographer.domain.checkpoint.SignedNote;
import io.stenographer.domain.merkle.ConsistencyProof;
import io.stenographer.domain.merkle.Hash;
import io.stenographer.domain.merkle.MerkleFrontier;
import io.stenographer.domain.merkle.SubtreeHashSource;
import java.util.List;
import java.util.Objects;

/**
 * A checkpoint record of a stream. It carries the log's signed checkpoint note of size {@code toIndex}, the index
 * range {@code [fromIndex, toIndex)} it covers (from the sink's previous checkpoint record's size, or from the first
 * index the sink delivered), the RFC 9162 consistency proof from the tree of size {@code fromIndex} (empty when
 * {@code fromIndex} is 0 or the record is the sink's first from a fresh start), and the frontier of the tree of
 * size {@code fromIndex}: the hashes of the perfect subtrees covering {@code [0, fromIndex)}, largest first.
 *
 * <p>The frontier is what makes a stream that starts in the middle of the log checkable: the frontier extended with
 * the leaves {@code fromIndex..toIndex-1} must give the signed root, which proves those leaves are exactly the
 * tree's leaves at those indices, without any earlier leaf.
 */
public record StreamCheckpointRecord(String tenant, String note, long fromIndex, long toIndex,
        List<Hash> consistencyProof, List<Hash> frontier) implements StreamLine {

    /** A consistency proof has at most about two hashes per level of a 2^63-leaf tree. */
    public static final int MAX_PROOF_HASHES = 130;

    public StreamCheckpointRecord {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(note, "note");
        if (fromIndex < 0 || fromIndex > toIndex || toIndex > StreamRecordFormat.MAX_INDEX) {
            throw new IllegalArgumentException("the range must satisfy 0 <= fromIndex <= toIndex <= 2^53, was ["
                    + fromIndex + ", " + toIndex + ")");
        }
        consistencyProof = List.copyOf(consistencyProof);
        frontier = List.copyOf(frontier);
        if (consistencyProof.size() > MAX_PROOF_HASHES) {
            throw new IllegalArgumentException("consistencyProof has " + consistencyProof.size()
                    + " hashes, more than any consistency proof needs");
        }
        if (frontier.size() != Long.bitCount(fromIndex)) {
            throw new IllegalArgumentException("frontier must hold one hash per set bit of fromIndex " + fromIndex
                    + " (" + Long.bitCount(fromIndex) + "), has " + frontier.size());
        }
    }

    /**
     * The record of the signed checkpoint {@code note} of size {@code toIndex}, covering {@code [fromIndex, toIndex)},
     * with the consistency proof and frontier read from the log's tree.
     */
    public static StreamCheckpointRecord of(String tenant, String note, long fromIndex, long toIndex,
            SubtreeHashSource tree) {
        return new StreamCheckpointRecord(tenant, note, fromIndex, toIndex,
                ConsistencyProof.compute(fromIndex, toIndex, tree).path(), MerkleFrontier.of(fromIndex, tree).hashes());
    }

    /** The checkpoint body as the note carries it, unverified; {@code toIndex} must be its size. */
    public Checkpoint unverifiedCheckpoint() {
        return Checkpoint.parseBody(SignedNote.parse(note).body());
    }
}
