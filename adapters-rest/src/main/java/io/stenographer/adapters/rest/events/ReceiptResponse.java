package io.stenographer.adapters.rest.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.stenographer.application.port.in.RecordEventsResult.Receipt;
import io.stenographer.domain.event.Timestamps;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Proof of durable acceptance: the event id and the leaf hash that the log will contain. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "Receipt")
public record ReceiptResponse(
        String id,
        @Schema(description = "Hex SHA-256 leaf hash (RFC 6962) of the canonical sealed event") String leafHash,
        String receivedAt,
        @Schema(description = "Who the server sealed the event as submitted by; with id and receivedAt a client "
                + "recomputes leafHash from what it sent") String submittedBy,
        @Schema(enumeration = {"created", "duplicate"}) String status,
        @Schema(description = "v2 events only: the opening (hex) of each commitment, by field, so the writer can "
                + "recompute leafHash from the values it sent") Map<String, String> openings,
        @Schema(description = "Only where the tenant's data policy makes actor.id or resource.id personal: the "
                + "pseudonym the leaf holds in place of that identifier, by field") Map<String, String> pseudonyms) {

    static ReceiptResponse created(Receipt receipt) {
        return new ReceiptResponse(receipt.id().toString(), receipt.leafHash().hex(),
                Timestamps.format(receipt.receivedAt()), receipt.submittedBy(), "created", openings(receipt),
                pseudonyms(receipt));
    }

    static ReceiptResponse duplicate(Receipt receipt) {
        return new ReceiptResponse(receipt.id().toString(), receipt.leafHash().hex(),
                Timestamps.format(receipt.receivedAt()), receipt.submittedBy(), "duplicate", openings(receipt),
                pseudonyms(receipt));
    }

    private static Map<String, String> openings(Receipt receipt) {
        return receipt.openings().isEmpty() ? null : new java.util.TreeMap<>(receipt.openings());
    }

    private static Map<String, String> pseudonyms(Receipt receipt) {
        return receipt.pseudonyms().isEmpty() ? null : new java.util.TreeMap<>(receipt.pseudonyms());
    }
}
