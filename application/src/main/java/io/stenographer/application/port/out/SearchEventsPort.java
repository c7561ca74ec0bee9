package io.stenographer.application.port.out;

import io.stenographer.domain.query.EventCriteria;
import io.stenographer.domain.query.EventPage;
import io.stenographer.domain.query.PageRequest;

/** Keyset-paged search over one tenant's events, ordered by (occurredAt, id). */
public interface SearchEventsPort {

    EventPage search(EventCriteria criteria, PageRequest page);
}
