package io.stenographer.adapters.rest.events;

import com.fasterxml.jackson.databind.JsonNode;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One event as a client sends it. Unknown fields are rejected, never silently dropped. */
@Schema(name = "EventRequest", description = "An audited action. Unknown fields are rejected with 400.")
public record EventRequest(
        @Schema(description = "Tenant; may be omitted when the token grants exactly one", example = "acme")
        String tenant,
        @Schema(required = true) Actor actor,
        @Schema(required = true, description = "Dotted lower-case action", example = "case.export")
        String action,
        Resource resource,
        @Schema(description = "Why the action was taken", example = "Background check requested by HR ticket 4711")
        String reason,
        @Schema(required = true, enumeration = {"success", "failure", "denied"}) String outcome,
        @Schema(required = true, description = "RFC 3339 time with offset, at most microsecond precision",
                example = "2026-11-27T10:15:30.123456Z")
        String occurredAt,
        @Schema(required = true) Source source,
        @Schema(maxLength = 128) String correlationId,
        @Schema(description = "JSON object, at most 64 KiB as canonical JSON and 16 levels deep")
        JsonNode metadata,
        @Schema(description = "Idempotency key, unique per tenant", maxLength = 128)
        String clientEventId) {

    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    public record Actor(@Schema(required = true) String id,
            @Schema(required = true, enumeration = {"user", "service"}) String type,
            String displayName) {
    }

    public record Resource(@Schema(required = true) String type, @Schema(required = true) String id) {
    }

    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    public record Source(@Schema(required = true) String application,
            @Schema(description = "IPv4 or IPv6 literal") String ip,
            String userAgent) {
    }
}
