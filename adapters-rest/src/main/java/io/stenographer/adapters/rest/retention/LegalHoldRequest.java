package io.stenographer.adapters.rest.retention;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Place a legal hold. Every criterion is optional; none at all holds the whole tenant. */
@Schema(name = "LegalHoldRequest", description = "A legal hold on the tenant's events matching every given "
        + "criterion (none: the whole tenant). Unknown fields are rejected with 400.")
public record LegalHoldRequest(
        @Schema(required = true, example = "acme") String tenant,
        @Schema(example = "u-1029") String actorId,
        @Schema(example = "background-check") String resourceType,
        @Schema(example = "BC-2026-0042") String resourceId,
        @Schema(description = "Exact action or prefix such as case.*", example = "case.*") String actionPattern,
        @Schema(description = "Inclusive lower bound on occurredAt (RFC 3339)", example = "2026-01-01T00:00:00Z")
        String from,
        @Schema(description = "Exclusive upper bound on occurredAt (RFC 3339)") String to,
        @Schema(maxLength = 256, example = "CV-2026-117") String caseReference,
        @Schema(required = true, maxLength = 2048, example = "Litigation hold requested by counsel") String reason) {
}
