package io.stenographer.domain.archive;

import io.stenographer.domain.event.AuditEvent;
import io.stenographer.domain.event.SealedEventBytes;
import io.stenographer.domain.event.SealedEventFormat;
import io.stenographer.domain.event.StoredEventFields;
import io.stenographer.domain.json.JsonNumber;
import io.stenographer.domain.json.JsonObject;
import io.stenographer.domain.json.JsonParser;
import io.stenographer.domain.json.JsonString;
import io.stenographer.domain.merkle.Hash;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The segment object format ({@value #FORMAT}): gzip-compressed NDJSON, one RFC 8785 canonical line
 * per leaf, {@code {"event":{..sealed event..},"index":i,"leafHash":"<hex>"}}, in index order with no
 * gaps. Anyone can decompress it and recompute every leaf hash with the rules in docs/FORMATS.md.
 */
public final class SegmentCodec {

    public static final String FORMAT = "stenographer.segment/v1";

    /** Guards the parser against absurd nesting in a corrupted or hostile object. */
    private static final int MAX_DEPTH = 64;

    private SegmentCodec() {
    }

    public static byte[] encode(List<SegmentEntry> entries) {
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("a segment holds at least one entry");
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(entries.size() * 256);
        try (GZIPOutputStream gzip = new GZIPOutputStream(bytes, 64 * 1024)) {
            long expected = entries.get(0).index();
            for (SegmentEntry entry : entries) {
                if (entry.index() != expected) {
                    throw new IllegalArgumentException("segment entries must be contiguous: expected index "
                            + expected + ", got " + entry.index());
                }
                writeLine(gzip, entry);
                expected++;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * Reads every entry back. Throws {@link MalformedSegment} naming the line when the object is not a
     * well-formed segment; it does not judge the leaf hashes ({@link SegmentCheck} does).
     */
    public static List<SegmentEntry> decode(InputStream compressed) {
        List<SegmentEntry> entries = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(new GZIPInputStream(compressed),
                StandardCharsets.UTF_8))) {
            String text;
            int lineNumber = 0;
            while ((text = reader.readLine()) != null) {
                lineNumber++;
                entries.add(parseLine(text, lineNumber));
            }
        } catch (IOException e) {
            throw new MalformedSegment("the segment is not readable gzip: " + e.getMessage());
        }
        return entries;
    }

    private static final byte[] LINE_START = "{\"event\":".getBytes(StandardCharsets.US_ASCII);

    /**
     * One canonical line, written as bytes: the members in RFC 8785 order (event, index, leafHash), the event as its
     * leaf input, which is its canonical form ({@link SealedEventBytes}, proved byte-for-byte equal to canonicalising
     * {@link SealedEventFormat#toJson}), and the index as an integer, as the canonical number form writes it.
     */
    private static void writeLine(OutputStream out, SegmentEntry entry) throws IOException {
        out.write(LINE_START);
        out.write(SealedEventBytes.leafInput(StoredEventFields.of(entry.event())));
        out.write((",\"index\":" + entry.index() + ",\"leafHash\":\"" + entry.leafHash().hex() + "\"}\n")
                .getBytes(StandardCharsets.US_ASCII));
    }

    private static SegmentEntry parseLine(String text, int lineNumber) {
        try {
            if (!(JsonParser.parse(text, MAX_DEPTH) instanceof JsonObject json)) {
                throw new MalformedSegment("line " + lineNumber + " is not a JSON object");
            }
            if (!(json.get("index") instanceof JsonNumber index) || index.value() != Math.rint(index.value())) {
                throw new MalformedSegment("line " + lineNumber + " has no integer index");
            }
            if (!(json.get("leafHash") instanceof JsonString leafHash)) {
                throw new MalformedSegment("line " + lineNumber + " has no leafHash");
            }
            if (!(json.get("event") instanceof JsonObject event)) {
                throw new MalformedSegment("line " + lineNumber + " has no event");
            }
            AuditEvent parsed = SealedEventFormat.fromJson(event);
            return new SegmentEntry((long) index.value(), Hash.fromHex(leafHash.value()), parsed);
        } catch (MalformedSegment e) {
            throw e;
        } catch (RuntimeException e) {
            throw new MalformedSegment("line " + lineNumber + " is not a valid segment entry: " + e.getMessage());
        }
    }

    /** The object is not a well-formed segment. */
    public static final class MalformedSegment extends RuntimeException {
        public MalformedSegment(String message) {
            super(message);
        }
    }
}
