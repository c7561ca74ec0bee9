package io.stenographer.application.port.in;

import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.retention.PolicyId;

/** The tenant has no policy with this id (and no configured policy has it). */
public class RetentionPolicyNotFound extends RuntimeException {

    private final TenantId tenant;
    private final PolicyId id;

    public RetentionPolicyNotFound(TenantId tenant, PolicyId id) {
        super("tenant " + tenant + " has no retention policy '" + id + "'");
        this.tenant = tenant;
        this.id = id;
    }

    public TenantId tenant() {
        return tenant;
    }

    public PolicyId id() {
        return id;
    }
}
