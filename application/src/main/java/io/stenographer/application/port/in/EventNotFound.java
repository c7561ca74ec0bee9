package io.stenographer.application.port.in;

import io.stenographer.domain.event.EventId;

/** No event with this id is visible to the caller (missing, or in a tenant it may not read). */
public class EventNotFound extends RuntimeException {

    private final EventId id;

    public EventNotFound(EventId id) {
        super("no event " + id);
        this.id = id;
    }

    public EventId id() {
        return id;
    }
}
