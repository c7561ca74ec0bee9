package io.stenographer.adapters.rest.retention;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.stenographer.domain.event.Timestamps;
import io.stenographer.domain.retention.RetentionPolicy;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One version of a retention policy. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "RetentionPolicy")
public record RetentionPolicyResponse(
        String id,
        int version,
        @Schema(description = "The tenant of a tenant policy; absent for configured policies that apply to all tenants")
        String tenant,
        @Schema(enumeration = {"tenant", "configuration"}) String source,
        @Schema(description = "True for the configured default, which applies when nothing more specific does")
        boolean defaultPolicy,
        String actionPattern,
        String resourceType,
        String archiveAfter,
        String retainFor,
        String legalBasis,
        String createdBy,
        String createdAt,
        boolean active,
        String retiredBy,
        String retiredAt) {

    static RetentionPolicyResponse from(RetentionPolicy policy, boolean isDefault) {
        return new RetentionPolicyResponse(
                policy.id().value(),
                policy.version(),
                policy.matcher().tenant() == null ? null : policy.matcher().tenant().value(),
                policy.matcher().tenant() == null ? "configuration" : "tenant",
                isDefault,
                policy.matcher().actionPattern(),
                policy.matcher().resourceType(),
                policy.archiveAfter().iso(),
                policy.retainFor().iso(),
                policy.legalBasis(),
                policy.createdBy(),
                Timestamps.format(policy.createdAt()),
                policy.isActive(),
                policy.retiredBy(),
                policy.retiredAt() == null ? null : Timestamps.format(policy.retiredAt()));
    }

    public static RetentionPolicyResponse from(RetentionPolicy policy) {
        return from(policy, false);
    }
}
