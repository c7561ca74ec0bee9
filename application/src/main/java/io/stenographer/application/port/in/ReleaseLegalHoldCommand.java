package io.stenographer.application.port.in;

import io.stenographer.domain.access.Caller;
import io.stenographer.domain.retention.HoldId;
import java.util.Objects;

public record ReleaseLegalHoldCommand(Caller caller, HoldId id, String reason) {

    public ReleaseLegalHoldCommand {
        Objects.requireNonNull(caller, "caller");
        Objects.requireNonNull(id, "id");
    }
}
