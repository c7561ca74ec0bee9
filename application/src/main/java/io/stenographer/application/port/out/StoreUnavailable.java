package io.stenographer.application.port.out;

/**
 * The database could not be reached, or dropped the connection mid-transaction. Whatever the use case
 * wrote was rolled back, or, for a commit cut off in flight, is unknown; either way the caller may
 * retry, and an ingest retried with its idempotency key is answered {@code created} or {@code duplicate}.
 */
public final class StoreUnavailable extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public StoreUnavailable(String message, Throwable cause) {
        super(message, cause);
    }
}
