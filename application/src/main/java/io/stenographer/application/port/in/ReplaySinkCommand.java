package io.stenographer.application.port.in;

import io.stenographer.domain.access.Caller;
import io.stenographer.domain.sink.SinkId;
import java.util.Objects;

public record ReplaySinkCommand(Caller caller, SinkId id, long fromIndex) {
    public ReplaySinkCommand {
        Objects.requireNonNull(caller, "caller");
        Objects.requireNonNull(id, "id");
    }
}
