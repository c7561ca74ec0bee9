package io.stenographer.application.port.in;

import io.stenographer.domain.access.Caller;
import io.stenographer.domain.event.TenantId;
import java.util.Objects;
import java.util.UUID;

public record VerificationRunQuery(Caller caller, TenantId tenant, UUID id) {

    public VerificationRunQuery {
        Objects.requireNonNull(caller, "caller");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(id, "id");
    }
}
