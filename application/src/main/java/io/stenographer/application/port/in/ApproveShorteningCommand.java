package io.stenographer.application.port.in;

import io.stenographer.domain.access.Caller;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.retention.PolicyId;
import java.util.Objects;
import java.util.UUID;

/** A second compliance admin approves a proposal that shortens or retires a tenant's policy (four eyes). */
public record ApproveShorteningCommand(Caller caller, TenantId tenant, PolicyId policyId, UUID proposalId) {

    public ApproveShorteningCommand {
        Objects.requireNonNull(caller, "caller");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(policyId, "policyId");
        Objects.requireNonNull(proposalId, "proposalId");
    }
}
