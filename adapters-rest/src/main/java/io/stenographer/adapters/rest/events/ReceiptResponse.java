package io.stenographer.adapters.rest.events;

import io.stenographer.application.port.in.RecordEventsResult.Receipt;
import io.stenographer.domain.event.Timestamps;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Proof of durable acceptance: the event id and the leaf hash that the log will contain. */
@Schema(name = "Receipt")
public record ReceiptResponse(
        String id,
        @Schema(description = "Hex SHA-256 leaf hash (RFC 6962) of the canonical sealed event") String leafHash,
        String receivedAt,
        @Schema(description = "Who the server sealed the event as submitted by; with id and receivedAt a client "
                + "recomputes leafHash from what it sent") String submittedBy,
        @Schema(enumeration = {"created", "duplicate"}) String status) {

    static ReceiptResponse created(Receipt receipt) {
        return new ReceiptResponse(receipt.id().toString(), receipt.leafHash().hex(),
                Timestamps.format(receipt.receivedAt()), receipt.submittedBy(), "created");
    }

    static ReceiptResponse duplicate(Receipt receipt) {
        return new ReceiptResponse(receipt.id().toString(), receipt.leafHash().hex(),
                Timestamps.format(receipt.receivedAt()), receipt.submittedBy(), "duplicate");
    }
}
