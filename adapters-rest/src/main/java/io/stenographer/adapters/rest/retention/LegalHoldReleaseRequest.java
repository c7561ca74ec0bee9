package io.stenographer.adapters.rest.retention;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "LegalHoldReleaseRequest")
public record LegalHoldReleaseRequest(
        @Schema(required = true, maxLength = 2048, example = "Case settled; counsel approved release") String reason) {
}
