package io.stenographer.domain.event;

import io.stenographer.domain.json.CanonicalJson;
import io.stenographer.domain.merkle.Hash;
import io.stenographer.domain.merkle.MerkleHashes;
import java.time.Instant;

/**
 * An event as sealed by the server: the client's draft plus the id, the time it was received and
 * the authenticated submitter. All of it goes into the leaf hash.
 */
public record AuditEvent(EventId id, Instant receivedAt, String submittedBy, EventDraft content) {

    public static final int MAX_SUBMITTED_BY_LENGTH = 256;

    public AuditEvent {
        if (id == null) {
            throw new FieldViolation("id", "is required");
        }
        receivedAt = Timestamps.check("receivedAt", receivedAt);
        submittedBy = Text.required("submittedBy", submittedBy, MAX_SUBMITTED_BY_LENGTH);
        if (content == null) {
            throw new FieldViolation("content", "is required");
        }
    }

    /** Seals a new event. */
    public static AuditEvent record(EventId id, Instant receivedAt, String submittedBy, EventDraft content) {
        return new AuditEvent(id, Timestamps.truncate(receivedAt), submittedBy, content);
    }

    /** Rebuilds an event read back from storage or an export. */
    public static AuditEvent restore(EventId id, Instant receivedAt, String submittedBy, EventDraft content) {
        return new AuditEvent(id, receivedAt, submittedBy, content);
    }

    public TenantId tenant() {
        return content.tenant();
    }

    /** RFC 8785 canonical JSON of every sealed field: the Merkle leaf input. */
    public byte[] leafInput() {
        return CanonicalJson.canonicalBytes(SealedEventFormat.toJson(this));
    }

    /** SHA-256(0x00 || leafInput), as RFC 6962 defines leaf hashes. */
    public Hash leafHash() {
        return MerkleHashes.leafHash(leafInput());
    }
}
