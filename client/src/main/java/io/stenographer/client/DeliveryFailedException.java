package io.stenographer.client;

/**
 * The event could not be delivered: the service stayed unreachable or busy past the delivery timeout, or the client
 * was closed first. The event may still have been recorded (an answer can be lost); logging it again with the same
 * idempotency key is safe.
 */
public final class DeliveryFailedException extends AuditClientException {

    private final boolean keptInSpool;

    public DeliveryFailedException(String message, Throwable cause) {
        this(message, cause, false);
    }

    DeliveryFailedException(String message, Throwable cause, boolean keptInSpool) {
        super(message, cause);
        this.keptInSpool = keptInSpool;
    }

    /** SPOOL mode: the event is safe on disk and the next run of the application delivers it. */
    public boolean keptInSpool() {
        return keptInSpool;
    }
}
