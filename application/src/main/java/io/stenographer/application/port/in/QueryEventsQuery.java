package io.stenographer.application.port.in;

import io.stenographer.domain.access.Caller;
import io.stenographer.domain.query.EventCriteria;
import io.stenographer.domain.query.PageRequest;
import java.util.Objects;

public record QueryEventsQuery(Caller caller, EventCriteria criteria, PageRequest page) {

    public QueryEventsQuery {
        Objects.requireNonNull(caller, "caller");
        Objects.requireNonNull(criteria, "criteria");
        Objects.requireNonNull(page, "page");
    }
}
