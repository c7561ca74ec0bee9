package io.stenographer.application.port.in;

import io.stenographer.domain.access.Caller;
import io.stenographer.domain.event.TenantId;
import java.util.Objects;

/** A tenant's most recent verification runs, newest first; {@code limit} is 1..100. */
public record VerificationRunsQuery(Caller caller, TenantId tenant, int limit) {

    public VerificationRunsQuery {
        Objects.requireNonNull(caller, "caller");
        Objects.requireNonNull(tenant, "tenant");
    }
}
