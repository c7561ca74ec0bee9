package io.stenographer.adapters.rest.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.stenographer.adapters.rest.problem.ProblemResponse;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Per-item results of a batch, in request order. */
@Schema(name = "BatchResult")
public record BatchResponse(int created, int duplicates, int rejected, int conflicts, List<Item> items) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Item(int index,
            @Schema(enumeration = {"created", "duplicate", "rejected", "conflict"}) String status,
            String id, String leafHash, String receivedAt,
            @Schema(description = "Who the server sealed the event as submitted by (token issuer and subject)")
            String submittedBy, ProblemResponse problem,
            @Schema(description = "v2 events only: the opening (hex) of each commitment, by field")
            java.util.Map<String, String> openings,
            @Schema(description = "Where actor.id or resource.id is personal: the pseudonym the leaf holds for it")
            java.util.Map<String, String> pseudonyms) {
    }
}
