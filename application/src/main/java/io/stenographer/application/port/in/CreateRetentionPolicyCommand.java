package io.stenographer.application.port.in;

import io.stenographer.domain.access.Caller;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.retention.PolicyId;
import io.stenographer.domain.retention.PolicyMatcher;
import io.stenographer.domain.retention.RetentionPeriod;
import java.util.Objects;

/** A new version of a tenant's policy; {@code actionPattern} and {@code resourceType} may be null ("any"). */
public record CreateRetentionPolicyCommand(
        Caller caller,
        TenantId tenant,
        PolicyId id,
        String actionPattern,
        String resourceType,
        RetentionPeriod archiveAfter,
        RetentionPeriod retainFor,
        String legalBasis) {

    public CreateRetentionPolicyCommand {
        Objects.requireNonNull(caller, "caller");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(id, "id");
    }

    /** The matcher of the new version: always scoped to {@link #tenant}. */
    public PolicyMatcher matcher() {
        return new PolicyMatcher(tenant, actionPattern, resourceType);
    }
}
