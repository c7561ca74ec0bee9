package io.stenographer.adapters.rest.logs;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "VerificationRequest")
public record VerificationRequest(
        @Schema(description = "Signed checkpoint notes kept from earlier; the log must still be consistent with "
                + "each (detects rollback)", maxItems = 100)
        List<String> trustedCheckpoints,
        @Schema(description = "Check every stored checkpoint, not only those above the newest one the previous run "
                + "accepted (default false; leaves and tile hashes are always all checked)")
        Boolean allCheckpoints) {
}
