package io.stenographer.application.port.in;

import io.stenographer.domain.access.Caller;
import io.stenographer.domain.event.EventId;
import java.util.Objects;

public record GetEventQuery(Caller caller, EventId id) {

    public GetEventQuery {
        Objects.requireNonNull(caller, "caller");
        Objects.requireNonNull(id, "id");
    }
}
