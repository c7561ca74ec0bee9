package io.stenographer.client;

/**
 * The event could not be delivered: the service stayed unreachable or busy past the delivery timeout, or the client
 * was closed first. The event may still have been recorded (an answer can be lost); logging it again with the same
 * idempotency key is safe.
 */
public final class DeliveryFailedException extends AuditClientException {

    public DeliveryFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
