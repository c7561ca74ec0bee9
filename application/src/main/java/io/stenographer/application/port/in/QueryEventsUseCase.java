package io.stenographer.application.port.in;

import io.stenographer.domain.query.EventPage;

/** Search one tenant's events; every search is itself recorded as an {@code audit.query} event. */
public interface QueryEventsUseCase {

    EventPage query(QueryEventsQuery query);
}
