package io.stenographer.domain.sink;

import java.time.Duration;
import java.time.Instant;

/**
 * A sink's delivery state. {@code cursor} is the next index to deliver: it only moves after the receiver
 * acknowledged everything before it. {@code checkpointFrom} is where the next checkpoint record's range starts
 * (the size of the previous one, or the index the sink started from). A batch being attempted is recorded in
 * {@code inflight} before it is first sent, so every retry sends the same records with the same message id.
 *
 * @param lastCheckpointAt when the last checkpoint record was delivered; null before the first (one is due)
 * @param failingSince     when the current run of failures began; null while deliveries succeed
 * @param retryAfter       how long to wait before the next attempt, counted by the database's clock
 */
public record SinkProgress(long cursor, long checkpointFrom, long recordsSinceCheckpoint, Instant lastCheckpointAt,
        long delivered, long failed, String lastError, Instant lastErrorAt, Instant failingSince, int attempts,
        Duration retryAfter, Inflight inflight) {

    public static final int MAX_ERROR_CHARS = 1_000;

    /**
     * The batch being attempted: event records {@code [from, to)} and, when {@code checkpointSize} is not -1, the
     * checkpoint record of that size after them (its range starts at {@code checkpointFrom}).
     */
    public record Inflight(long from, long to, long checkpointSize) {
        public Inflight {
            if (from < 0 || to < from || (checkpointSize != -1 && checkpointSize != to)) {
                throw new IllegalArgumentException("inflight batch [" + from + ", " + to + ") with checkpoint "
                        + checkpointSize + " is inconsistent");
            }
        }

        public boolean hasCheckpoint() {
            return checkpointSize != -1;
        }
    }

    public SinkProgress {
        if (cursor < 0 || checkpointFrom < 0 || checkpointFrom > cursor) {
            throw new IllegalArgumentException("cursor " + cursor + " and checkpointFrom " + checkpointFrom
                    + " must satisfy 0 <= checkpointFrom <= cursor");
        }
        if (delivered < 0 || failed < 0 || attempts < 0 || recordsSinceCheckpoint < 0) {
            throw new IllegalArgumentException("counts must not be negative");
        }
        if (lastError != null && lastError.length() > MAX_ERROR_CHARS) {
            lastError = lastError.substring(0, MAX_ERROR_CHARS - 1) + "…";
        }
        retryAfter = retryAfter == null ? Duration.ZERO : retryAfter;
        if (inflight != null && inflight.from() != cursor) {
            throw new IllegalArgumentException("an inflight batch starts at the cursor");
        }
    }

    /**
     * A sink that starts at {@code from}. No checkpoint record yet, so one is due at once: the first batch ends at a
     * signed checkpoint and carries it, the checkpoint its first records fall under.
     */
    public static SinkProgress startingAt(long from) {
        return new SinkProgress(from, from, 0, null, 0, 0, null, null, null, 0, Duration.ZERO, null);
    }

    /** The same counts, delivering again from {@code from} as from a fresh start: what a replay does. */
    public SinkProgress replayingFrom(long from) {
        return new SinkProgress(from, from, 0, null, delivered, failed, lastError, lastErrorAt, null, 0, Duration.ZERO,
                null);
    }

    public SinkProgress attempting(Inflight batch) {
        return new SinkProgress(cursor, checkpointFrom, recordsSinceCheckpoint, lastCheckpointAt, delivered, failed,
                lastError, lastErrorAt, failingSince, attempts, retryAfter, batch);
    }

    /** The inflight batch was acknowledged: the cursor moves past it and the failure run ends. */
    public SinkProgress acknowledged(Instant now) {
        if (inflight == null) {
            throw new IllegalStateException("nothing is in flight");
        }
        long records = inflight.to() - inflight.from();
        boolean checkpoint = inflight.hasCheckpoint();
        return new SinkProgress(inflight.to(), checkpoint ? inflight.to() : checkpointFrom,
                checkpoint ? 0 : recordsSinceCheckpoint + records, checkpoint ? now : lastCheckpointAt,
                delivered + records, failed, lastError, lastErrorAt, null, 0, Duration.ZERO, null);
    }

    /** An attempt failed: the inflight batch stays for the retry, which waits {@code backoff}. */
    public SinkProgress failedAttempt(String error, Instant now, Duration backoff) {
        return new SinkProgress(cursor, checkpointFrom, recordsSinceCheckpoint, lastCheckpointAt, delivered,
                failed + 1, error, now, failingSince == null ? now : failingSince, attempts + 1, backoff, inflight);
    }

    /** Failures stop counting towards "dead" when an admin resumes the sink. */
    public SinkProgress resumed() {
        return new SinkProgress(cursor, checkpointFrom, recordsSinceCheckpoint, lastCheckpointAt, delivered, failed,
                lastError, lastErrorAt, null, 0, Duration.ZERO, inflight);
    }
}
