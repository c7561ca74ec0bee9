package io.stenographer.adapters.rest.privacy;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "ErasureRequest")
public record ErasureRequest(
        @Schema(required = true, example = "acme") String tenant,
        @Schema(maxLength = 2048, example = "GDPR Art. 17 request 2026-118") String reason) {
}
