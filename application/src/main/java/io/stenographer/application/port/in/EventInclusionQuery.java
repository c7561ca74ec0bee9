package io.stenographer.application.port.in;

import io.stenographer.domain.access.Caller;
import io.stenographer.domain.event.EventId;
import java.util.Objects;

/** Inclusion of one event, by id, in its tenant's latest checkpoint. */
public record EventInclusionQuery(Caller caller, EventId id) {

    public EventInclusionQuery {
        Objects.requireNonNull(caller, "caller");
        Objects.requireNonNull(id, "id");
    }
}
