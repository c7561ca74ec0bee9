package io.stenographer.application.port.in;

import io.stenographer.domain.event.EventId;
import io.stenographer.domain.event.FieldViolation;
import io.stenographer.domain.merkle.Hash;
import java.time.Instant;
import java.util.List;

/** One outcome per draft, in command order. */
public record RecordEventsResult(List<ItemOutcome> items) {

    public RecordEventsResult {
        items = List.copyOf(items);
    }

    /**
     * What the client gets back for an accepted event: with the fields the server sealed (id, receivedAt,
     * submittedBy), the opening of each commitment and the pseudonym the leaf holds for each personal identifier, a
     * client recomputes the leaf hash from what it sent, instead of trusting {@code leafHash}.
     */
    public record Receipt(EventId id, Hash leafHash, Instant receivedAt, String submittedBy,
            java.util.Map<String, String> openings, java.util.Map<String, String> pseudonyms) {

        public Receipt {
            openings = java.util.Map.copyOf(openings);
            pseudonyms = java.util.Map.copyOf(pseudonyms);
        }

        /** A receipt of a v1 event, which commits to nothing. */
        public Receipt(EventId id, Hash leafHash, Instant receivedAt, String submittedBy) {
            this(id, leafHash, receivedAt, submittedBy, java.util.Map.of(), java.util.Map.of());
        }
    }

    public sealed interface ItemOutcome permits Recorded, Replayed, Rejected, Conflicting {
    }

    /** Newly and durably recorded. */
    public record Recorded(Receipt receipt) implements ItemOutcome {
    }

    /** A retry of an event already recorded under the same idempotency key with the same content. */
    public record Replayed(Receipt receipt) implements ItemOutcome {
    }

    /** Invalid; nothing of it was stored. */
    public record Rejected(FieldViolation violation) implements ItemOutcome {
    }

    /**
     * The idempotency key is already taken by different content, or by another submitter's event; nothing was stored.
     * {@code existingId} names the event that holds the key only to the submitter who sent it, and is null for any
     * other (and once the event was purged, as its submitter is no longer at hand): an event's id is what its proofs
     * are fetched by, and keys are often guessable.
     */
    public record Conflicting(String clientEventId, EventId existingId) implements ItemOutcome {
    }
}
