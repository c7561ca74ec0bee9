package io.stenographer.domain.bundle;

import io.stenographer.domain.checkpoint.Checkpoint;
import io.stenographer.domain.checkpoint.NoteVerifier;
import io.stenographer.domain.checkpoint.SignedNote;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.json.JsonNumber;
import io.stenographer.domain.json.JsonObject;
import io.stenographer.domain.json.JsonString;
import io.stenographer.domain.json.JsonValue;
import io.stenographer.domain.log.PublishedCheckpoint;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The first line of an export bundle (format {@value #FORMAT}): which log, which leaf range
 * {@code [from, to)}, and the signed checkpoint of size {@code treeSize} that every entry's
 * inclusion proof leads to.
 *
 * <p>The record checks that the header is self-consistent (the checkpoint note parses and names
 * this origin and size). It does not check the signature: that is the verifier's job, and an
 * exporter writes what storage holds.
 *
 * @param checkpoint  the full signed note text of the checkpoint, signatures included
 * @param verifierKey the C2SP verifier key the log signs with ({@code name+hexid+base64})
 */
public record BundleHeader(String origin, TenantId tenant, long from, long to, long treeSize, String checkpoint,
        String verifierKey) {

    public static final String FORMAT = "stenographer.bundle/v1";

    /** Sizes and indices travel as JSON numbers, which are exact only up to 2^53. */
    public static final long MAX_TREE_SIZE = 1L << 53;

    public BundleHeader {
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(checkpoint, "checkpoint");
        Objects.requireNonNull(verifierKey, "verifierKey");
        if (from < 0 || to < from || treeSize < to) {
            throw new IllegalArgumentException("range must satisfy 0 <= from <= to <= treeSize, was from " + from
                    + ", to " + to + ", treeSize " + treeSize);
        }
        if (treeSize > MAX_TREE_SIZE) {
            throw new IllegalArgumentException("treeSize must be at most 2^53, was " + treeSize);
        }
        Checkpoint body = Checkpoint.parseBody(SignedNote.parse(checkpoint).body());
        if (!body.origin().equals(origin)) {
            throw new IllegalArgumentException("checkpoint origin '" + body.origin() + "' is not the bundle origin '"
                    + origin + "'");
        }
        if (body.treeSize() != treeSize) {
            throw new IllegalArgumentException("checkpoint tree size " + body.treeSize()
                    + " is not the bundle tree size " + treeSize);
        }
        NoteVerifier.parse(verifierKey);
    }

    /** A header for leaves {@code [from, to)} proven against a published checkpoint. */
    public static BundleHeader of(long from, long to, PublishedCheckpoint checkpoint, NoteVerifier verifierKey) {
        Objects.requireNonNull(checkpoint, "checkpoint");
        Objects.requireNonNull(verifierKey, "verifierKey");
        return new BundleHeader(checkpoint.checkpoint().origin(), checkpoint.tenant(), from, to,
                checkpoint.treeSize(), checkpoint.signedNote(), verifierKey.toVerifierKey());
    }

    /** The number of entry lines the bundle holds. */
    public long count() {
        return to - from;
    }

    /** The header line's JSON object (before canonicalisation). */
    public JsonObject toJson() {
        Map<String, JsonValue> members = new LinkedHashMap<>();
        members.put("type", new JsonString("header"));
        members.put("format", new JsonString(FORMAT));
        members.put("origin", new JsonString(origin));
        members.put("tenant", new JsonString(tenant.value()));
        members.put("from", new JsonNumber(from));
        members.put("to", new JsonNumber(to));
        members.put("treeSize", new JsonNumber(treeSize));
        members.put("checkpoint", new JsonString(checkpoint));
        members.put("verifierKey", new JsonString(verifierKey));
        return new JsonObject(members);
    }
}
