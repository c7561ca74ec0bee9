package io.stenographer.application.port.in;

import io.stenographer.domain.event.EventId;
import java.time.Instant;

/**
 * The event was archived, its retention ended and its archive copy was deleted as the policy requires. Its
 * leaf hash stays in the log, so its inclusion can still be proven; its content is gone for good.
 */
public class EventPastRetention extends RuntimeException {

    private final EventId id;
    private final Instant deletedAt;

    public EventPastRetention(EventId id, Instant deletedAt) {
        super("event " + id + " was deleted at the end of its retention"
                + (deletedAt == null ? "" : " (" + deletedAt + ")") + "; its leaf hash remains in the log");
        this.id = id;
        this.deletedAt = deletedAt;
    }

    public EventId id() {
        return id;
    }

    public Instant deletedAt() {
        return deletedAt;
    }
}
