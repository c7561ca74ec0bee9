package io.stenographer.domain.log;

import io.stenographer.domain.event.EventId;
import java.util.Objects;

/** One discrepancy found by full verification; {@code index} and {@code eventId} are null when not applicable. */
public record VerificationFinding(Kind kind, Long index, EventId eventId, String message) {

    public enum Kind {
        /** A leaf index below the tree size has no row: a deleted leaf. */
        LEAF_MISSING,
        /** A leaf points to an event that is not in the event store (and was not purged). */
        EVENT_MISSING,
        /** The event recomputes to a different leaf hash: its content or position was changed. */
        LEAF_MISMATCH,
        /** An event that no log position covers and that is not queued: inserted outside ingest. */
        EVENT_OUTSIDE_LOG,
        /** A stored subtree hash differs from the one recomputed from the leaves. */
        SUBTREE_MISMATCH,
        /** A checkpoint whose signature does not verify with the log's key, or whose origin is wrong. */
        CHECKPOINT_SIGNATURE,
        /** A checkpoint whose root differs from the recomputed tree of its size. */
        CHECKPOINT_ROOT_MISMATCH,
        /** A published checkpoint is larger than the log: the log was rolled back. */
        LOG_ROLLED_BACK,
        /** Leaves that no checkpoint covers although integration publishes them together: appended by hand. */
        LEAF_UNPUBLISHED,
        /** The check itself could not complete (e.g. the database failed): not a pass. */
        VERIFICATION_INCOMPLETE,
        /** A checkpoint row that cannot be read or does not match its own columns. */
        CHECKPOINT_MALFORMED,
        /** A catalogued archive segment whose object is missing, altered, or disagrees with the log's leaves. */
        ARCHIVE_SEGMENT_UNSOUND,
        /** A hold release or retention policy change that left no self-audit event in the tenant's log. */
        RETENTION_CHANGE_UNTRACED
    }

    public VerificationFinding {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(message, "message");
    }
}
