package io.stenographer.application.port.in;

import io.stenographer.domain.access.Caller;
import io.stenographer.domain.sink.SinkId;
import java.util.Objects;

public record SinkQuery(Caller caller, SinkId id) {
    public SinkQuery {
        Objects.requireNonNull(caller, "caller");
        Objects.requireNonNull(id, "id");
    }
}
