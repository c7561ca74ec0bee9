package io.stenographer.client;

/** What {@code log()} does when the bounded queue is full. Nothing is ever dropped without the caller being told. */
public enum QueueFullPolicy {
    /** Wait up to the configured timeout for room, then throw {@link QueueFullException}. The default. */
    BLOCK,
    /** Throw {@link QueueFullException} at once. */
    FAIL,
    /**
     * Every event is first appended to the spool directory and forced to disk ({@code log()} returns once it is);
     * the sender delivers from there, in order, retrying without a deadline, and a restarted application delivers
     * what an earlier run left, under the same idempotency keys. The spool's size limit is the only refusal.
     */
    SPOOL
}
