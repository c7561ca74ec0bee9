package io.stenographer.application.port.in;

import io.stenographer.domain.access.Caller;
import java.util.Objects;
import java.util.UUID;

public record JobRunQuery(Caller caller, UUID id) {

    public JobRunQuery {
        Objects.requireNonNull(caller, "caller");
        Objects.requireNonNull(id, "id");
    }
}
