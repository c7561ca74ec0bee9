package io.stenographer.application.port.out;

import io.stenographer.domain.query.EventCriteria;

/** How many of one tenant's stored events match a search, counted no further than a cap so that it stays fast. */
public interface CountEventsPort {

    /**
     * The number of events matching {@code criteria} when it is at most {@code cap}; {@code cap + 1} when more
     * match (the count stops there).
     */
    long countUpTo(EventCriteria criteria, int cap);
}
