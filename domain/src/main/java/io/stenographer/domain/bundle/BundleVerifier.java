package io.stenographer.domain.bundle;

import io.stenographer.domain.checkpoint.Checkpoint;
import io.stenographer.domain.checkpoint.KeySet;
import io.stenographer.domain.checkpoint.NoteVerifier;
import io.stenographer.domain.checkpoint.SignedNote;
import io.stenographer.domain.event.AuditEvent;
import io.stenographer.domain.event.SealedEventFormat;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.json.CanonicalJson;
import io.stenographer.domain.json.JsonNumber;
import io.stenographer.domain.json.JsonObject;
import io.stenographer.domain.json.JsonParser;
import io.stenographer.domain.json.JsonString;
import io.stenographer.domain.json.JsonSyntaxException;
import io.stenographer.domain.json.JsonValue;
import io.stenographer.domain.merkle.Hash;
import io.stenographer.domain.merkle.InclusionProof;
import io.stenographer.domain.merkle.MerkleHashes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Verifies an export bundle ({@value BundleHeader#FORMAT}, see {@link BundleWriter}) against a
 * trusted log key, trusting nothing else in it.
 *
 * <p>Checks, in one streaming pass with memory for one line (lines longer than
 * {@link #MAX_LINE_BYTES} are rejected unread):
 * <ul>
 *   <li>every line is a JSON object in RFC 8785 canonical form, ended by {@code \n};</li>
 *   <li>the header names the format, the expected origin (when given) and the trusted key; its
 *       checkpoint is signed by the trusted key and names the header's origin and tree size;</li>
 *   <li>entries run contiguously from {@code from} to {@code to - 1}; each leaf hash is
 *       {@code SHA-256(0x00 || JCS(event))} of its event when the event is present, the event is a
 *       valid sealed event of the header's tenant, and the inclusion proof leads from the leaf
 *       hash to the checkpoint's root;</li>
 *   <li>the end line's count matches and nothing follows it.</li>
 * </ul>
 * Every failure is reported with its line number, and for entries the leaf index and event id.
 * Verification goes on after a failure, so one run shows the extent of the damage, but stops
 * after {@link #MAX_FAILURES} failures.
 */
public final class BundleVerifier {

    public static final int MAX_FAILURES = 100;

    /** Longest line accepted: far above the largest event (64 KiB of metadata plus bounded fields). */
    public static final int MAX_LINE_BYTES = 1 << 20;

    /** Deepest nesting accepted: entry, event and 16 levels of metadata fit well inside. */
    static final int MAX_DEPTH = 32;

    private static final Set<String> HEADER_MEMBERS =
            Set.of("type", "format", "origin", "tenant", "from", "to", "treeSize", "checkpoint", "verifierKey");
    private static final Set<String> ENTRY_MEMBERS = Set.of("type", "index", "leafHash", "event", "inclusionProof");
    private static final Set<String> END_MEMBERS = Set.of("type", "count");

    private final KeySet trustedKeys;
    private final String expectedOrigin;

    /**
     * @param trustedKey     the log's key, obtained out of band (never from the bundle)
     * @param expectedOrigin the log the bundle must come from, or null to accept any origin the
     *                       trusted key signed
     */
    public BundleVerifier(NoteVerifier trustedKey, String expectedOrigin) {
        this(KeySet.single(Objects.requireNonNull(trustedKey, "trustedKey")), expectedOrigin);
    }

    /**
     * @param trustedKeys    the log's key set, obtained out of band: the checkpoint must be signed by
     *                       the key valid at its size, so bundles exported before a rotation still verify
     * @param expectedOrigin as above
     */
    public BundleVerifier(KeySet trustedKeys, String expectedOrigin) {
        this.trustedKeys = Objects.requireNonNull(trustedKeys, "trustedKeys");
        this.expectedOrigin = expectedOrigin;
    }

    /**
     * Reads the bundle to its end (or to the failure limit). Malformed content is reported in the
     * result, never thrown.
     *
     * @throws IOException only when the stream itself cannot be read
     */
    public BundleVerification verify(InputStream bundle) throws IOException {
        Objects.requireNonNull(bundle, "bundle");
        return new Run(new LineReader(bundle, MAX_LINE_BYTES)).execute();
    }

    /** One verification pass and its state. */
    private final class Run {
        private final LineReader reader;
        private final List<String> failures = new ArrayList<>();
        private boolean stopped;

        private String origin;
        private String tenant;
        private long from;
        private long to;
        private long treeSize = -1;
        private Hash root;

        private long entries;
        private long eventsPresent;
        private long purged;
        private long expectedIndex;

        Run(LineReader reader) {
            this.reader = reader;
        }

        BundleVerification execute() throws IOException {
            Line line = reader.next();
            if (line == null) {
                fail("the bundle is empty: there is no header line");
            } else if (header(line)) {
                body();
            }
            return new BundleVerification(origin, tenant, treeSize, entries, eventsPresent, purged, failures,
                    stopped);
        }

        private void fail(String message) {
            if (stopped) {
                return;
            }
            failures.add(message);
            if (failures.size() == MAX_FAILURES) {
                failures.add("stopped after " + MAX_FAILURES + " failures; the rest of the bundle was not checked");
                stopped = true;
            }
        }

        // ---- header ------------------------------------------------------------------------

        /** Checks the header; false when it is too broken to check entries against. */
        private boolean header(Line line) {
            String at = "line " + line.number() + ": ";
            JsonObject header = parseLine(line);
            if (header == null) {
                fail(at + "the header is unreadable, so no entry can be checked");
                return false;
            }
            try {
                String type = string(header, "type", "the header line");
                if (!"header".equals(type)) {
                    fail(at + "the first line must be the header (type \"header\"), found type " + quote(type));
                    return false;
                }
                unexpectedMembers(header, HEADER_MEMBERS, at + "header");
                String format = string(header, "format", "the header");
                if (!BundleHeader.FORMAT.equals(format)) {
                    fail(at + "header format " + quote(format) + " is not " + BundleHeader.FORMAT);
                }
                origin = string(header, "origin", "the header");
                if (expectedOrigin != null && !expectedOrigin.equals(origin)) {
                    fail(at + "header origin " + quote(origin) + " is not the expected origin " + quote(expectedOrigin));
                }
                tenant = string(header, "tenant", "the header");
                try {
                    new TenantId(tenant);
                } catch (IllegalArgumentException e) {
                    fail(at + "header tenant " + quote(tenant) + " is not a valid tenant id");
                }
                from = integer(header, "from", "the header");
                to = integer(header, "to", "the header");
                treeSize = integer(header, "treeSize", "the header");
                if (from > to || to > treeSize) {
                    fail(at + "header range is invalid: it needs from <= to <= treeSize, but from is " + from
                            + ", to is " + to + " and treeSize is " + treeSize);
                    return false;
                }
                expectedIndex = from;
                verifierKey(at, string(header, "verifierKey", "the header"));
                checkpoint(at, string(header, "checkpoint", "the header"));
                return true;
            } catch (Problem problem) {
                fail(at + problem.getMessage());
                return false;
            }
        }

        private void verifierKey(String at, String verifierKey) {
            if (!trustedKeys.containsVerifierKey(verifierKey)) {
                fail(at + "header verifierKey " + quote(verifierKey) + " is not " + trustedDescription());
            }
        }

        private String trustedDescription() {
            return trustedKeys.eras().size() == 1
                    ? "the trusted key " + quote(trustedKeys.eras().get(0).key().toVerifierKey())
                    : "in the trusted key set (" + trustedKeys.label() + ")";
        }

        private void checkpoint(String at, String text) {
            SignedNote note;
            try {
                note = SignedNote.parse(text);
            } catch (IllegalArgumentException e) {
                fail(at + "checkpoint is not a valid signed note: " + e.getMessage());
                return;
            }
            Checkpoint checkpoint;
            try {
                checkpoint = Checkpoint.parseBody(note.body());
            } catch (IllegalArgumentException e) {
                fail(at + "checkpoint body is malformed: " + e.getMessage());
                return;
            }
            try {
                trustedKeys.verify(note);
            } catch (IllegalArgumentException e) {
                // Reported, not fatal: the entries are still checked against the (untrusted) root.
                fail(at + "checkpoint signature does not verify with key " + trustedKeys.label() + ": " + e.getMessage());
            }
            if (!checkpoint.origin().equals(origin)) {
                fail(at + "checkpoint origin " + quote(checkpoint.origin()) + " does not match header origin "
                        + quote(origin));
            }
            if (checkpoint.treeSize() != treeSize) {
                fail(at + "checkpoint tree size " + checkpoint.treeSize() + " does not match header treeSize "
                        + treeSize);
                return;
            }
            root = checkpoint.rootHash();
        }

        // ---- entries and end ---------------------------------------------------------------

        private void body() throws IOException {
            boolean ended = false;
            Line line;
            while (!stopped && (line = reader.next()) != null) {
                String at = "line " + line.number() + ": ";
                if (ended) {
                    fail(at + "content after the end line");
                    return;
                }
                JsonObject object = parseLine(line);
                if (object == null) {
                    expectedIndex++; // most likely a damaged entry; keep the following ones aligned
                    continue;
                }
                String type;
                try {
                    type = string(object, "type", "the line");
                } catch (Problem problem) {
                    fail(at + problem.getMessage());
                    expectedIndex++;
                    continue;
                }
                switch (type) {
                    case "entry" -> entry(line, object);
                    case "end" -> {
                        end(line, object);
                        ended = true;
                    }
                    case "header" -> fail(at + "a second header line");
                    default -> fail(at + "unknown line type " + quote(type));
                }
            }
            if (!ended && !stopped) {
                fail("the bundle ends after line " + reader.lines() + " without an end line: it is truncated");
            }
        }

        private void entry(Line line, JsonObject entry) {
            entries++;
            long expected = expectedIndex++;
            JsonValue event = entry.get("event");
            String at = "line " + line.number() + ": entry index " + describeIndex(entry.get("index"))
                    + " (" + describeEvent(event) + "): ";
            unexpectedMembers(entry, ENTRY_MEMBERS, at + "entry");

            Long index = null;
            try {
                index = integer(entry, "index", "the entry");
            } catch (Problem problem) {
                fail(at + problem.getMessage());
            }
            if (index != null) {
                if (index < from || index >= to) {
                    fail(at + "index is outside the header range [" + from + ", " + to + ")");
                } else if (index != expected && expected == from) {
                    fail(at + "the first entry has index " + index + ", but the header range starts at " + from);
                    expectedIndex = index + 1;
                } else if (index != expected) {
                    fail(at + "index " + index + " where index " + expected
                            + " was expected: entries must run contiguously from " + from);
                    expectedIndex = index + 1; // resynchronise: report a gap or swap once, not every line after it
                }
            } else if (expected >= to) {
                fail(at + "more entry lines than the header range [" + from + ", " + to + ") holds");
            }

            Hash leafHash = null;
            try {
                String hex = string(entry, "leafHash", "the entry");
                if (!isLowerHex(hex, 2 * Hash.LENGTH)) {
                    fail(at + "leafHash is not " + 2 * Hash.LENGTH + " lowercase hex digits");
                } else {
                    leafHash = Hash.fromHex(hex);
                }
            } catch (Problem problem) {
                fail(at + problem.getMessage());
            }

            if (event == null) {
                purged++;
            } else {
                eventsPresent++;
                event(at, event, leafHash);
            }

            List<Hash> path = proof(at, entry.get("inclusionProof"));
            if (path != null && leafHash != null && index != null && root != null && index < treeSize) {
                InclusionProof proof = new InclusionProof(index, treeSize, path);
                try {
                    if (!proof.rootFrom(leafHash).equals(root)) {
                        fail(at + "inclusion proof does not lead to the root of checkpoint size " + treeSize);
                    }
                } catch (IllegalArgumentException wrongLength) {
                    fail(at + "inclusion proof has " + path.size() + " hashes, the wrong number for index " + index
                            + " in a tree of size " + treeSize);
                }
            }
        }

        private void event(String at, JsonValue event, Hash leafHash) {
            if (!(event instanceof JsonObject json)) {
                fail(at + "event must be a JSON object");
                return;
            }
            AuditEvent sealed = null;
            try {
                sealed = SealedEventFormat.fromJson(json);
            } catch (IllegalArgumentException e) {
                fail(at + "event is not a valid sealed event: " + e.getMessage());
            }
            byte[] canonical = CanonicalJson.canonicalBytes(json);
            if (sealed != null) {
                if (!sealed.tenant().value().equals(tenant)) {
                    fail(at + "event tenant " + quote(sealed.tenant().value()) + " is not the bundle tenant "
                            + quote(tenant));
                }
                if (!Arrays.equals(CanonicalJson.canonicalBytes(SealedEventFormat.toJson(sealed)), canonical)) {
                    fail(at + "event is not in sealed form: reading and re-sealing its fields changes it "
                            + "(a non-canonical timestamp or an unknown nested member)");
                }
            }
            if (leafHash != null && !MerkleHashes.leafHash(canonical).equals(leafHash)) {
                fail(at + "leaf hash does not match the event");
            }
        }

        /** The proof hashes, or null (after reporting) when the member is malformed. */
        private List<Hash> proof(String at, JsonValue value) {
            if (value == null) {
                fail(at + "entry has no 'inclusionProof'");
                return null;
            }
            try {
                return InclusionProofJson.read(value);
            } catch (InclusionProofJson.MalformedProof e) {
                fail(at + e.getMessage());
                return null;
            }
        }

        private void end(Line line, JsonObject end) {
            String at = "line " + line.number() + ": ";
            unexpectedMembers(end, END_MEMBERS, at + "end line");
            long count;
            try {
                count = integer(end, "count", "the end line");
            } catch (Problem problem) {
                fail(at + problem.getMessage());
                return;
            }
            if (count != entries) {
                fail(at + "end line count " + count + " does not match the " + entries + " entry lines");
            }
            if (count != to - from) {
                fail(at + "end line count " + count + " does not match the header range [" + from + ", " + to
                        + "), which holds " + (to - from) + " entries");
            }
            if (entries < to - from && expectedIndex < to) {
                fail(at + "entries " + expectedIndex + " to " + (to - 1) + " are missing before the end line");
            }
        }

        // ---- lines and members -------------------------------------------------------------

        /** The line as a canonical JSON object, or null after reporting why it is not one. */
        private JsonObject parseLine(Line line) {
            String at = "line " + line.number() + ": ";
            if (line.tooLong()) {
                fail(at + "longer than the limit of " + MAX_LINE_BYTES + " bytes");
                return null;
            }
            byte[] bytes = line.bytes();
            if (!line.terminated()) {
                fail(at + "the last line does not end with a newline");
            }
            if (bytes.length == 0) {
                fail(at + "empty line");
                return null;
            }
            JsonValue value;
            try {
                value = JsonParser.parse(bytes, MAX_DEPTH);
            } catch (JsonSyntaxException e) {
                fail(at + "not valid JSON: " + e.getMessage());
                return null;
            }
            if (!(value instanceof JsonObject object)) {
                fail(at + "not a JSON object");
                return null;
            }
            if (!Arrays.equals(CanonicalJson.canonicalBytes(object), bytes)) {
                fail(at + (bytes[bytes.length - 1] == '\r' ? "ends with CR: lines must end with LF only"
                        : "not in RFC 8785 canonical form"));
            }
            return object;
        }

        private void unexpectedMembers(JsonObject object, Set<String> allowed, String what) {
            for (String name : object.members().keySet()) {
                if (!allowed.contains(name)) {
                    fail(what + " has unexpected member " + quote(name));
                }
            }
        }
    }

    // ---- helpers (stateless) ---------------------------------------------------------------

    /** A malformed member; aborts the check that needed it. No stack trace: it is a message. */
    private static final class Problem extends Exception {
        private static final long serialVersionUID = 1L;

        Problem(String message) {
            super(message, null, false, false);
        }
    }

    private static String string(JsonObject object, String name, String where) throws Problem {
        JsonValue value = object.get(name);
        if (value == null) {
            throw new Problem(where + " has no '" + name + "'");
        }
        if (!(value instanceof JsonString text)) {
            throw new Problem("'" + name + "' in " + where + " must be a string");
        }
        return text.value();
    }

    private static long integer(JsonObject object, String name, String where) throws Problem {
        JsonValue value = object.get(name);
        if (value == null) {
            throw new Problem(where + " has no '" + name + "'");
        }
        if (!(value instanceof JsonNumber number) || !isIndex(number.value())) {
            throw new Problem("'" + name + "' in " + where + " must be an integer from 0 to 2^53");
        }
        return (long) number.value();
    }

    private static boolean isIndex(double value) {
        return value >= 0 && value <= BundleHeader.MAX_TREE_SIZE && value == Math.rint(value);
    }

    private static String describeIndex(JsonValue index) {
        return index instanceof JsonNumber number && isIndex(number.value())
                ? Long.toString((long) number.value()) : "?";
    }

    private static String describeEvent(JsonValue event) {
        if (event == null) {
            return "purged";
        }
        if (event instanceof JsonObject object && object.get("id") instanceof JsonString id) {
            return "event " + sanitize(id.value());
        }
        return "event without a readable id";
    }

    private static boolean isLowerHex(String text, int length) {
        if (text.length() != length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }

    static String keyLabel(NoteVerifier key) {
        return key.name() + "+" + key.keyIdHex();
    }

    /** A value from the bundle, quoted, shortened, and with control characters made visible. */
    static String quote(String value) {
        return "'" + sanitize(value) + "'";
    }

    private static String sanitize(String value) {
        StringBuilder out = new StringBuilder();
        int limit = 100;
        for (int i = 0; i < value.length() && i < limit; i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || Character.isSurrogate(c)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        if (value.length() > limit) {
            out.append("...");
        }
        return out.toString();
    }

    // ---- line reading --------------------------------------------------------------------

    /** One line without its {@code \n}; bytes are empty when the line was too long to keep. */
    private record Line(long number, byte[] bytes, boolean terminated, boolean tooLong) {
    }

    /** Splits a stream on {@code \n}, never holding more than one line of at most maxBytes. */
    private static final class LineReader {
        private final InputStream in;
        private final int maxBytes;
        private final byte[] buffer = new byte[64 * 1024];
        private int position;
        private int limit;
        private long lines;

        LineReader(InputStream in, int maxBytes) {
            this.in = in;
            this.maxBytes = maxBytes;
        }

        long lines() {
            return lines;
        }

        /** The next line, or null at the end of the stream. */
        Line next() throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            boolean tooLong = false;
            boolean any = false;
            while (true) {
                if (position == limit) {
                    int read = in.read(buffer);
                    if (read < 0) {
                        if (!any) {
                            return null;
                        }
                        lines++;
                        return new Line(lines, tooLong ? new byte[0] : line.toByteArray(), false, tooLong);
                    }
                    position = 0;
                    limit = read;
                    continue;
                }
                any = true;
                int start = position;
                while (position < limit && buffer[position] != '\n') {
                    position++;
                }
                int length = position - start;
                if (!tooLong) {
                    if (line.size() + length > maxBytes) {
                        tooLong = true;
                        line = new ByteArrayOutputStream(); // drop what was kept; the rest is skipped
                    } else {
                        line.write(buffer, start, length);
                    }
                }
                if (position < limit) {
                    position++; // the newline
                    lines++;
                    return new Line(lines, tooLong ? new byte[0] : line.toByteArray(), true, tooLong);
                }
            }
        }
    }
}
