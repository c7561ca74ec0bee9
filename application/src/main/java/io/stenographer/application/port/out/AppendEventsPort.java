package io.stenographer.application.port.out;

import io.stenographer.domain.event.SealedEvent;
import java.util.List;

/**
 * Appends sealed events. There is deliberately no update or delete counterpart: the port surface
 * itself says the log only grows.
 */
public interface AppendEventsPort {

    /**
     * Stores the events and queues them for integration into their tenant's log.
     *
     * @throws ClientEventIdTaken when a concurrent writer took one of the idempotency keys first
     */
    void append(List<SealedEvent> events);
}
