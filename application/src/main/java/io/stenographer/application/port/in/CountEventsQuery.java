package io.stenographer.application.port.in;

import io.stenographer.domain.access.Caller;
import io.stenographer.domain.query.EventCriteria;
import java.util.Objects;

/** @param cap count no further than this: beyond it the answer is only "more than cap" */
public record CountEventsQuery(Caller caller, EventCriteria criteria, int cap) {

    public static final int DEFAULT_CAP = 10_000;

    public CountEventsQuery {
        Objects.requireNonNull(caller, "caller");
        Objects.requireNonNull(criteria, "criteria");
        if (cap < 1 || cap > 100_000) {
            throw new IllegalArgumentException("a count is capped between 1 and 100,000");
        }
    }
}
