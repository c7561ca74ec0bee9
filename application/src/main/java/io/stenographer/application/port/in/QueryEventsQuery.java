package io.stenographer.application.port.in;

import io.stenographer.domain.access.Caller;
import io.stenographer.domain.query.EventCriteria;
import io.stenographer.domain.query.PageRequest;
import java.util.Objects;

/**
 * @param includeArchived also return events purged from the hot store, read back from their archive segments
 */
public record QueryEventsQuery(Caller caller, EventCriteria criteria, PageRequest page, boolean includeArchived) {

    public QueryEventsQuery(Caller caller, EventCriteria criteria, PageRequest page) {
        this(caller, criteria, page, false);
    }

    public QueryEventsQuery {
        Objects.requireNonNull(caller, "caller");
        Objects.requireNonNull(criteria, "criteria");
        Objects.requireNonNull(page, "page");
    }
}
