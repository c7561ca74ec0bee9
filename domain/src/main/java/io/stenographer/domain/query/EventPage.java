package io.stenographer.domain.query;

import io.stenographer.domain.event.AuditEvent;
import java.util.List;

/** A page of events in (occurredAt, id) order; {@code next} is null on the last page. */
public record EventPage(List<AuditEvent> events, EventCursor next) {

    public EventPage {
        events = List.copyOf(events);
    }
}
