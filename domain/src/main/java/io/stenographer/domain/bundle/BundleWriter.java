package io.stenographer.domain.bundle;

import io.stenographer.domain.event.AuditEvent;
import io.stenographer.domain.event.SealedEventFormat;
import io.stenographer.domain.json.CanonicalJson;
import io.stenographer.domain.json.JsonArray;
import io.stenographer.domain.json.JsonNumber;
import io.stenographer.domain.json.JsonObject;
import io.stenographer.domain.json.JsonString;
import io.stenographer.domain.json.JsonValue;
import io.stenographer.domain.merkle.Hash;
import io.stenographer.domain.merkle.InclusionProof;
import java.io.BufferedWriter;
import java.io.Flushable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Writes an export bundle ({@value BundleHeader#FORMAT}) one line at a time: NDJSON in UTF-8, every
 * line the RFC 8785 canonical form of one JSON object, each followed by {@code \n}.
 *
 * <pre>
 * {"type":"header","format":"stenographer.bundle/v1","origin":..,"tenant":..,"from":a,"to":b,"treeSize":N,
 *  "checkpoint":"&lt;signed note&gt;","verifierKey":"&lt;C2SP verifier key&gt;"}
 * {"type":"entry","index":i,"leafHash":"&lt;hex&gt;","event":{..sealed event..},"inclusionProof":["&lt;base64&gt;",..]}
 * ...one entry per index a..b-1, "event" omitted when the payload was purged...
 * {"type":"end","count":b-a}
 * </pre>
 *
 * <p>Nothing is held back: each call writes its line to the underlying writer, so a bundle of
 * any size streams with memory for one line. Call order and ranges are enforced
 * ({@link IllegalStateException} / {@link IllegalArgumentException}); content is not: the event
 * and leaf hash are written as storage holds them, and judging them is {@link BundleVerifier}'s job.
 * Not thread-safe. The caller owns, and closes, the underlying stream.
 */
public final class BundleWriter implements Flushable {

    private final Writer out;
    private BundleHeader header;
    private long next;
    private boolean ended;

    public BundleWriter(Writer out) {
        this.out = Objects.requireNonNull(out, "out");
    }

    /** A writer that encodes UTF-8 onto the stream, through a small buffer. */
    public static BundleWriter utf8(OutputStream out) {
        Objects.requireNonNull(out, "out");
        return new BundleWriter(new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8)));
    }

    /** Writes the header line; must come first, exactly once. */
    public void header(BundleHeader header) throws IOException {
        Objects.requireNonNull(header, "header");
        if (this.header != null) {
            throw new IllegalStateException("the header has already been written");
        }
        writeLine(header.toJson());
        this.header = header;
        this.next = header.from();
    }

    /** Writes the entry for a leaf whose event is still held. */
    public void entry(long index, Hash leafHash, AuditEvent event, InclusionProof proof) throws IOException {
        Objects.requireNonNull(event, "event (use purged(..) for a purged payload)");
        entry(index, leafHash, SealedEventFormat.toJson(event), proof);
    }

    /** Writes the entry for a leaf whose payload was purged: its hash and proof only. */
    public void purged(long index, Hash leafHash, InclusionProof proof) throws IOException {
        entry(index, leafHash, (JsonObject) null, proof);
    }

    /**
     * Writes an entry from the sealed event JSON as stored ({@code null} when purged). The JSON is
     * written as given, in canonical form; it is not checked against the leaf hash.
     */
    public void entry(long index, Hash leafHash, JsonObject sealedEvent, InclusionProof proof) throws IOException {
        Objects.requireNonNull(leafHash, "leafHash");
        Objects.requireNonNull(proof, "proof");
        requireOpen();
        if (header == null) {
            throw new IllegalStateException("write the header before the entries");
        }
        if (index != next) {
            throw new IllegalArgumentException("entries must be contiguous: expected index " + next + ", got " + index);
        }
        if (index >= header.to()) {
            throw new IllegalArgumentException("index " + index + " is beyond the bundle range [" + header.from()
                    + ", " + header.to() + ")");
        }
        if (proof.leafIndex() != index || proof.treeSize() != header.treeSize()) {
            throw new IllegalArgumentException("the inclusion proof is for index " + proof.leafIndex()
                    + " in a tree of size " + proof.treeSize() + ", not for index " + index
                    + " in the bundle's tree of size " + header.treeSize());
        }
        Map<String, JsonValue> members = new LinkedHashMap<>();
        members.put("type", new JsonString("entry"));
        members.put("index", new JsonNumber(index));
        members.put("leafHash", new JsonString(leafHash.hex()));
        if (sealedEvent != null) {
            members.put("event", sealedEvent);
        }
        List<JsonValue> path = new ArrayList<>(proof.path().size());
        proof.path().forEach(hash -> path.add(new JsonString(hash.base64())));
        members.put("inclusionProof", new JsonArray(path));
        writeLine(new JsonObject(members));
        next++;
    }

    /** Writes the end line and flushes. Every index of the range must have been written. */
    public void end() throws IOException {
        requireOpen();
        if (header == null) {
            throw new IllegalStateException("write the header before the end line");
        }
        if (next != header.to()) {
            throw new IllegalStateException("entries " + next + " to " + (header.to() - 1) + " have not been written");
        }
        Map<String, JsonValue> members = new LinkedHashMap<>();
        members.put("type", new JsonString("end"));
        members.put("count", new JsonNumber(header.count()));
        writeLine(new JsonObject(members));
        ended = true;
        out.flush();
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    private void requireOpen() {
        if (ended) {
            throw new IllegalStateException("the end line has already been written");
        }
    }

    private void writeLine(JsonObject line) throws IOException {
        out.write(CanonicalJson.canonicalize(line));
        out.write('\n');
    }
}
