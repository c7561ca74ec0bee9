package io.stenographer.application.port.in;

import io.stenographer.domain.access.Caller;
import io.stenographer.domain.event.TenantId;
import java.util.Objects;

/** A tenant's reports, newest first; {@code limit} is 1..100. */
public record ReportsQuery(Caller caller, TenantId tenant, int limit) {

    public ReportsQuery {
        Objects.requireNonNull(caller, "caller");
        Objects.requireNonNull(tenant, "tenant");
    }
}
