package io.stenographer.domain.query;

import io.stenographer.domain.event.EventId;
import java.time.Instant;

/** A keyset position: results continue strictly after (occurredAt, id). */
public record EventCursor(Instant occurredAt, EventId id) {

    public EventCursor {
        if (occurredAt == null || id == null) {
            throw new IllegalArgumentException("a cursor needs both occurredAt and id");
        }
    }
}
