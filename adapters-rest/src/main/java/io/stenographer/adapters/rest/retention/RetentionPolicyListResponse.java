package io.stenographer.adapters.rest.retention;

import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.retention.RetentionPolicies;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "RetentionPolicyList", description = "The policies in force for a tenant, in precedence order: for "
        + "an event, the first policy whose matcher matches it governs (docs/RETENTION.md).")
public record RetentionPolicyListResponse(String tenant, List<RetentionPolicyResponse> policies) {

    static RetentionPolicyListResponse from(TenantId tenant, RetentionPolicies policies) {
        return new RetentionPolicyListResponse(tenant.value(), policies.applicableTo(tenant).stream()
                .map(p -> RetentionPolicyResponse.from(p, p.equals(policies.defaultPolicy())))
                .toList());
    }
}
