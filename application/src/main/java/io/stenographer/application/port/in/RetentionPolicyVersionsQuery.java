package io.stenographer.application.port.in;

import io.stenographer.domain.access.Caller;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.retention.PolicyId;
import java.util.Objects;

public record RetentionPolicyVersionsQuery(Caller caller, TenantId tenant, PolicyId id) {

    public RetentionPolicyVersionsQuery {
        Objects.requireNonNull(caller, "caller");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(id, "id");
    }
}
