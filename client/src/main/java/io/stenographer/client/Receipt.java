package io.stenographer.client;

import io.stenographer.domain.merkle.Hash;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * The service's word that it durably recorded an event. The leaf hash is the client's own: it recomputed it from the
 * event it sent and the fields the server sealed (id, receivedAt, submittedBy) and checked that the service's hash
 * is the same. {@link #verify()} then checks that the log really holds it.
 */
public final class Receipt {

    private final UUID eventId;
    private final Hash leafHash;
    private final Instant receivedAt;
    private final String submittedBy;
    private final String clientEventId;
    private final boolean duplicate;
    private final AuditClient client;

    Receipt(UUID eventId, Hash leafHash, Instant receivedAt, String submittedBy, String clientEventId,
            boolean duplicate, AuditClient client) {
        this.eventId = eventId;
        this.leafHash = leafHash;
        this.receivedAt = receivedAt;
        this.submittedBy = submittedBy;
        this.clientEventId = clientEventId;
        this.duplicate = duplicate;
        this.client = client;
    }

    public UUID eventId() {
        return eventId;
    }

    /** Hex SHA-256 RFC 6962 leaf hash of the sealed event. */
    public String leafHash() {
        return leafHash.hex();
    }

    Hash leafHashValue() {
        return leafHash;
    }

    public Instant receivedAt() {
        return receivedAt;
    }

    public String submittedBy() {
        return submittedBy;
    }

    /** The idempotency key the event was sent under. */
    public String clientEventId() {
        return clientEventId;
    }

    /** True when the service had already recorded this event under its key (a retry); the receipt is the first one. */
    public boolean duplicate() {
        return duplicate;
    }

    /**
     * Waits (up to the client's verify timeout) until the event is in a signed checkpoint, then checks its inclusion
     * proof against the signed root, the checkpoint's signature against the pinned key and origin, and the
     * checkpoint's consistency with the last one this client verified.
     *
     * @throws LogIntegrityException when any check fails (also reported to the {@link IntegrityListener})
     * @throws NotYetIntegratedException when the event is still not integrated at the timeout
     */
    public Inclusion verify() {
        return client.verify(this, null);
    }

    public Inclusion verify(Duration timeout) {
        return client.verify(this, timeout);
    }

    @Override
    public String toString() {
        return "Receipt[" + eventId + ", leafHash=" + leafHash.hex() + (duplicate ? ", duplicate" : "") + "]";
    }

    /** What a verified receipt proved: the event's index, in a tree of this size signed under this note. */
    public record Inclusion(long leafIndex, long treeSize, String rootHash, String signedCheckpoint) {
    }
}
