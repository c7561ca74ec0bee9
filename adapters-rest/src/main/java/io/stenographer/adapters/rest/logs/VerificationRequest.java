package io.stenographer.adapters.rest.logs;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "VerificationRequest")
public record VerificationRequest(
        @Schema(description = "Signed checkpoint notes kept from earlier; the log must still be consistent with "
                + "each (detects rollback)", maxItems = 100)
        List<String> trustedCheckpoints,
        @Schema(description = "Recompute every leaf and check every stored checkpoint, not only those above the "
                + "newest checkpoint the previous sound run accepted (default false)")
        Boolean full) {
}
