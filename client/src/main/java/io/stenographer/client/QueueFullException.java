package io.stenographer.client;

/** The event was not accepted: the bounded queue stayed full (FAIL at once, BLOCK after its timeout). */
public final class QueueFullException extends AuditClientException {

    public QueueFullException(String message) {
        super(message);
    }
}
