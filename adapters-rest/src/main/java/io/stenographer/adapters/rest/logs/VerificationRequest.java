package io.stenographer.adapters.rest.logs;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "VerificationRequest")
public record VerificationRequest(
        @Schema(description = "Signed checkpoint notes kept from earlier; the log must still be consistent with "
                + "each (detects rollback)", maxItems = 100)
        List<String> trustedCheckpoints) {
}
