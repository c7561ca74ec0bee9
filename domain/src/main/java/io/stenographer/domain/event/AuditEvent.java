package io.stenographer.domain.event;

import io.stenographer.domain.json.CanonicalJson;
import io.stenographer.domain.merkle.Hash;
import io.stenographer.domain.merkle.MerkleHashes;
import java.time.Instant;

/**
 * An event as sealed by the server: the client's draft plus the id, the time it was received and
 * the authenticated submitter. All of it goes into the leaf hash. When the tenant's data policy made some
 * values personal, {@code content} no longer holds them and {@code personal} holds a commitment to each
 * (format {@code stenographer.event/v2}); otherwise {@code personal} is empty (format {@code v1}).
 */
public record AuditEvent(EventId id, Instant receivedAt, String submittedBy, EventDraft content,
        Commitments personal) {

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
        personal = personal == null ? Commitments.NONE : personal;
        for (PersonalField field : personal.byField().keySet()) {
            // One field is either in the leaf or committed to, never both: both would publish the value. An
            // identifier is required, so the leaf holds its pseudonym instead.
            if (!field.isCommittedIn(content)) {
                throw new FieldViolation(field.path(), field.isIdentifier()
                        ? "is committed to in 'personal', so the event must hold its pseudonym there"
                        : "is committed to in 'personal' and must not also be present");
            }
        }
    }

    /** An event with nothing committed (format v1). */
    public AuditEvent(EventId id, Instant receivedAt, String submittedBy, EventDraft content) {
        this(id, receivedAt, submittedBy, content, Commitments.NONE);
    }

    /** Seals a new event. */
    public static AuditEvent record(EventId id, Instant receivedAt, String submittedBy, EventDraft content) {
        return record(id, receivedAt, submittedBy, content, Commitments.NONE);
    }

    /** Seals a new event whose personal values were replaced by commitments. */
    public static AuditEvent record(EventId id, Instant receivedAt, String submittedBy, EventDraft content,
            Commitments personal) {
        return new AuditEvent(id, Timestamps.truncate(receivedAt), submittedBy, content, personal);
    }

    /** Rebuilds an event read back from storage or an export. */
    public static AuditEvent restore(EventId id, Instant receivedAt, String submittedBy, EventDraft content) {
        return new AuditEvent(id, receivedAt, submittedBy, content, Commitments.NONE);
    }

    /** Rebuilds an event read back from storage or an export, with its commitments. */
    public static AuditEvent restore(EventId id, Instant receivedAt, String submittedBy, EventDraft content,
            Commitments personal) {
        return new AuditEvent(id, receivedAt, submittedBy, content, personal);
    }

    /** {@code stenographer.event/v2} when anything is committed to, else {@code v1}: the leaf says which. */
    public String format() {
        return personal.isEmpty() ? SealedEventFormat.FORMAT : SealedEventFormat.FORMAT_V2;
    }

    public TenantId tenant() {
        return content.tenant();
    }

    /**
     * What decides whether a retry under the same idempotency key is the same event: {@link
     * EventDraft#contentDigest()} of a v1 event; for a v2 event the same digest over the client fields as stored
     * together with the commitments, so a retry is compared by committing its values under the stored openings.
     */
    public String committedContentDigest() {
        return contentDigest(content, personal);
    }

    /** As {@link #committedContentDigest()}, for content and commitments not yet sealed into an event. */
    public static String contentDigest(EventDraft content, Commitments personal) {
        if (personal.isEmpty()) {
            return content.contentDigest();
        }
        java.util.Map<String, io.stenographer.domain.json.JsonValue> members =
                new java.util.LinkedHashMap<>(SealedEventFormat.clientFields(content).members());
        members.put("personal", personal.toJson());
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(CanonicalJson.canonicalBytes(new io.stenographer.domain.json.JsonObject(members))));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
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
