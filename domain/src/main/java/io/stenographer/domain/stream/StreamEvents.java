package io.stenographer.domain.stream;

import io.stenographer.domain.event.AuditEvent;
import io.stenographer.domain.event.SealedEventFormat;
import io.stenographer.domain.json.CanonicalJson;
import io.stenographer.domain.json.JsonObject;
import io.stenographer.domain.merkle.Hash;
import io.stenographer.domain.merkle.MerkleHashes;
import java.util.Arrays;

/**
 * Reads the sealed event a record carries and recomputes its leaf hash, exactly as the bundle verifier does: the
 * event must read as {@value SealedEventFormat#FORMAT} and re-seal to itself, and its leaf hash is
 * SHA-256(0x00 || RFC 8785 canonical bytes), through the domain's one canonicaliser ({@link CanonicalJson}).
 */
public final class StreamEvents {

    private StreamEvents() {
    }

    /** A sealed event read back from a record, with its recomputed leaf hash. */
    public record Leaf(AuditEvent event, Hash leafHash) {
    }

    /**
     * @throws IllegalArgumentException naming why the object is not a sealed event in sealed form
     */
    public static Leaf leafOf(JsonObject json) {
        AuditEvent sealed;
        try {
            sealed = SealedEventFormat.fromJson(json);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the event is not a valid sealed event: " + e.getMessage());
        }
        byte[] canonical = CanonicalJson.canonicalBytes(json);
        JsonObject resealed = SealedEventFormat.toJson(sealed);
        if (!resealed.equals(json) && !Arrays.equals(CanonicalJson.canonicalBytes(resealed), canonical)) {
            throw new IllegalArgumentException("the event is not in sealed form: reading and re-sealing its fields "
                    + "changes it (a non-canonical timestamp or an unknown nested member)");
        }
        return new Leaf(sealed, MerkleHashes.leafHash(canonical));
    }

    /** The leaf hash of the sealed event {@code json}; see {@link #leafOf}. */
    public static Hash leafHashOf(JsonObject json) {
        return leafOf(json).leafHash();
    }
}
