package io.stenographer.client;

import java.util.UUID;

/** The idempotency key was already used for an event with other content; that event keeps the key. */
public final class IdempotencyConflictException extends EventRejectedException {

    private final String clientEventId;
    private final UUID existingEventId;

    public IdempotencyConflictException(String clientEventId, UUID existingEventId, String detail) {
        super(409, "urn:stenographer:problem:idempotency-conflict", "clientEventId", detail);
        this.clientEventId = clientEventId;
        this.existingEventId = existingEventId;
    }

    public String clientEventId() {
        return clientEventId;
    }

    /** The event that holds the key; null when another submitter sent it (the service does not name it then). */
    public UUID existingEventId() {
        return existingEventId;
    }
}
