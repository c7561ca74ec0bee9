package io.stenographer.application.port.in;

import io.stenographer.domain.access.Caller;
import io.stenographer.domain.sink.SinkId;
import java.util.Objects;

/** Pause, resume or delete a sink. */
public record ChangeSinkCommand(Caller caller, SinkId id) {
    public ChangeSinkCommand {
        Objects.requireNonNull(caller, "caller");
        Objects.requireNonNull(id, "id");
    }
}
