package io.stenographer.client;

/** What {@code log()} does when the bounded queue is full. Nothing is ever dropped without the caller being told. */
public enum QueueFullPolicy {
    /** Wait up to the configured timeout for room, then throw {@link QueueFullException}. The default. */
    BLOCK,
    /** Throw {@link QueueFullException} at once. */
    FAIL
}
