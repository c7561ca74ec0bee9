package io.stenographer.adapters.rest.retention;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A new version of a tenant's retention policy. Unknown fields are rejected. */
@Schema(name = "RetentionPolicyRequest", description = "A new version of a tenant's retention policy: version 1 "
        + "for a new id, otherwise the latest version + 1. Unknown fields are rejected with 400.")
public record RetentionPolicyRequest(
        @Schema(required = true, description = "Policy id, unique within the tenant", pattern = "[a-z0-9][a-z0-9._-]{0,63}",
                example = "case-records")
        String id,
        @Schema(required = true, example = "acme") String tenant,
        @Schema(description = "Exact action or prefix such as case.*; omitted: any action", example = "case.*")
        String actionPattern,
        @Schema(description = "Resource type; omitted: any", maxLength = 128, example = "background-check")
        String resourceType,
        @Schema(required = true, description = "ISO 8601 duration after receipt until the event is archived; "
                + "P0D archives at once", example = "P90D")
        String archiveAfter,
        @Schema(required = true, description = "ISO 8601 duration after receipt for which the event is kept; at "
                + "least archiveAfter", example = "P7Y")
        String retainFor,
        @Schema(required = true, maxLength = 1000, example = "Records Retention Act s.12(3)")
        String legalBasis) {
}
