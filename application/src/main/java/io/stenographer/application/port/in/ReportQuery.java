package io.stenographer.application.port.in;

import io.stenographer.domain.access.Caller;
import java.util.Objects;
import java.util.UUID;

/** One report, by id, in any of the caller's tenants. */
public record ReportQuery(Caller caller, UUID id) {

    public ReportQuery {
        Objects.requireNonNull(caller, "caller");
        Objects.requireNonNull(id, "id");
    }
}
