package io.stenographer.application.port.in;

import io.stenographer.domain.access.Caller;
import io.stenographer.domain.retention.HoldId;
import java.util.Objects;

public record LegalHoldQuery(Caller caller, HoldId id) {

    public LegalHoldQuery {
        Objects.requireNonNull(caller, "caller");
        Objects.requireNonNull(id, "id");
    }
}
