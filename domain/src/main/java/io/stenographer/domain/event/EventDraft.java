package io.stenographer.domain.event;

import io.stenographer.domain.json.CanonicalJson;
import io.stenographer.domain.json.JsonObject;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Everything a client states about one action, validated. Optional fields are null when absent:
 * {@code resource}, {@code reason}, {@code correlationId}, {@code clientEventId}.
 */
public record EventDraft(
        TenantId tenant,
        Actor actor,
        Action action,
        ResourceRef resource,
        String reason,
        Outcome outcome,
        Instant occurredAt,
        Source source,
        String correlationId,
        JsonObject metadata,
        String clientEventId) {

    public static final int MAX_REASON_LENGTH = 2048;
    public static final int MAX_CORRELATION_ID_LENGTH = 128;
    public static final int MAX_METADATA_BYTES = 64 * 1024;
    public static final int MAX_METADATA_DEPTH = 16;
    public static final int MAX_CLIENT_EVENT_ID_LENGTH = 128;
    private static final Pattern CLIENT_EVENT_ID = Pattern.compile("[A-Za-z0-9._:@/+=-]{1,128}");

    public EventDraft {
        if (tenant == null) {
            throw new FieldViolation("tenant", "is required");
        }
        if (actor == null) {
            throw new FieldViolation("actor", "is required");
        }
        if (action == null) {
            throw new FieldViolation("action", "is required");
        }
        reason = Text.optional("reason", reason, MAX_REASON_LENGTH);
        if (outcome == null) {
            throw new FieldViolation("outcome", "is required");
        }
        occurredAt = Timestamps.check("occurredAt", occurredAt);
        if (source == null) {
            throw new FieldViolation("source", "is required");
        }
        correlationId = Text.optional("correlationId", correlationId, MAX_CORRELATION_ID_LENGTH);
        metadata = metadata == null ? JsonObject.EMPTY : metadata;
        if (metadata.depth() > MAX_METADATA_DEPTH) {
            throw new FieldViolation("metadata", "must be nested at most " + MAX_METADATA_DEPTH + " levels deep");
        }
        if (CanonicalJson.canonicalBytes(metadata).length > MAX_METADATA_BYTES) {
            throw new FieldViolation("metadata", "must be at most " + MAX_METADATA_BYTES + " bytes as canonical JSON");
        }
        if (clientEventId != null && !CLIENT_EVENT_ID.matcher(clientEventId).matches()) {
            throw new FieldViolation("clientEventId",
                    "must be 1-" + MAX_CLIENT_EVENT_ID_LENGTH + " characters of letters, digits and ._:@/+=-");
        }
    }

    /** The same content under an idempotency key given out of band (the Idempotency-Key header). */
    public EventDraft withClientEventId(String key) {
        return new EventDraft(tenant, actor, action, resource, reason, outcome, occurredAt, source,
                correlationId, metadata, key);
    }

    /**
     * SHA-256 over the canonical client fields: two submissions under one idempotency key are the same
     * event exactly when these digests match.
     */
    public String contentDigest() {
        byte[] canonical = CanonicalJson.canonicalBytes(SealedEventFormat.clientFields(this));
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

}
