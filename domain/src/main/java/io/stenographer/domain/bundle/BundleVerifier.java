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
import io.stenographer.domain.merkle.MerkleHashes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * Verifies an export bundle ({@value BundleHeader#FORMAT}, see {@link BundleWriter}) against a
 * trusted log key, trusting nothing else in it.
 *
 * <p>Checks, in one streaming pass with memory for a bounded number of batches of lines (lines longer than
 * {@link #MAX_LINE_BYTES} are rejected unread), the lines checked in parallel on all cores:
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
 *
 * <p>When the trusted key signed the checkpoint, an entry line that is exactly the canonical line the writer
 * produces, whose event hashes to its leaf hash, names the header's tenant and is proven under the signed root, is
 * accepted from its bytes ({@link EntryLineFastPath}): such an event was sealed by the service, so it is a valid
 * sealed event in sealed form. Every other line gets the full checks above, which word the findings; the findings
 * are the same either way.
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
        return verify(bundle, Runtime.getRuntime().availableProcessors());
    }

    /**
     * As {@link #verify(InputStream)}, with lines checked on {@code workers} threads besides the reading one
     * (1 or less: all on the calling thread). The findings do not depend on the number.
     */
    BundleVerification verify(InputStream bundle, int workers) throws IOException {
        return verify(bundle, workers, true);
    }

    /**
     * As above; {@code fastPath} false checks every entry line the full way, which must give the same findings
     * (tests compare the two).
     */
    BundleVerification verify(InputStream bundle, int workers, boolean fastPath) throws IOException {
        Objects.requireNonNull(bundle, "bundle");
        return new Run(new LineReader(bundle, MAX_LINE_BYTES), workers, fastPath).execute();
    }

    /** One verification pass and its state. */
    private final class Run {
        private final LineReader reader;
        private final int workers;
        private final boolean fastPath;
        private final List<String> failures = new ArrayList<>();
        private boolean stopped;

        private String origin;
        private String tenant;
        private long from;
        private long to;
        private long treeSize = -1;
        private Hash root;
        private boolean checkpointSigned;

        private long entries;
        private long eventsPresent;
        private long purged;
        private long expectedIndex;
        private boolean ended;
        private boolean finished;

        Run(LineReader reader, int workers, boolean fastPath) {
            this.reader = reader;
            this.workers = workers;
            this.fastPath = fastPath;
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

        private void failAll(List<String> messages, int fromIndex, int toIndex) {
            for (int i = fromIndex; i < toIndex; i++) {
                fail(messages.get(i));
            }
        }

        // ---- header ------------------------------------------------------------------------

        /** Checks the header; false when it is too broken to check entries against. */
        private boolean header(Line line) {
            String at = "line " + line.number() + ": ";
            JsonObject header = parseLine(line, this::fail);
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
                unexpectedMembers(header, HEADER_MEMBERS, at + "header", this::fail);
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
                checkpointSigned = true;
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

        /**
         * Reads batches of lines on this thread while workers check them ({@link LineChecks}: everything that
         * does not depend on earlier lines), then takes the results in line order and does the rest here:
         * index contiguity, counts, the end line. Failures therefore come out exactly as one sequential pass
         * finds them, and reading stops at the failure limit as before.
         */
        private void body() throws IOException {
            // Only a root the trusted key signed vouches for the leaves under it.
            LineContext context = new LineContext(tenant, treeSize, root,
                    fastPath && checkpointSigned && root != null ? root : null);
            if (workers <= 1) {
                List<Line> batch;
                while (!stopped && !finished && !(batch = readBatch()).isEmpty()) {
                    take(new LineChecks(context).check(batch));
                }
            } else {
                parallelBody(context);
            }
            if (!ended && !stopped) {
                fail("the bundle ends after line " + reader.lines() + " without an end line: it is truncated");
            }
        }

        private void parallelBody(LineContext context) throws IOException {
            ExecutorService pool = Executors.newFixedThreadPool(workers, runnable -> {
                Thread thread = new Thread(runnable, "bundle-verifier");
                thread.setDaemon(true);
                return thread;
            });
            // Bounded: at most this many batches are read ahead of the one being taken.
            Deque<Future<List<LineCheck>>> inFlight = new ArrayDeque<>();
            int maxInFlight = 2 * workers + 2;
            try {
                boolean more = true;
                while (!stopped && !finished && (more || !inFlight.isEmpty())) {
                    while (more && inFlight.size() < maxInFlight) {
                        List<Line> batch = readBatch();
                        if (batch.isEmpty()) {
                            more = false;
                        } else {
                            inFlight.add(pool.submit(() -> new LineChecks(context).check(batch)));
                        }
                    }
                    if (!inFlight.isEmpty()) {
                        take(await(inFlight.poll()));
                    }
                }
            } finally {
                pool.shutdownNow();
            }
        }

        private List<LineCheck> await(Future<List<LineCheck>> checks) throws IOException {
            try {
                return checks.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while verifying the bundle");
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException runtime) {
                    throw runtime;
                }
                if (e.getCause() instanceof Error error) {
                    throw error;
                }
                throw new IllegalStateException(e.getCause());
            }
        }

        /** Up to {@link #BATCH_LINES} lines or about {@link #BATCH_BYTES} bytes; empty at the end of the stream. */
        private List<Line> readBatch() throws IOException {
            List<Line> batch = new ArrayList<>(BATCH_LINES);
            long bytes = 0;
            Line line;
            while (batch.size() < BATCH_LINES && bytes < BATCH_BYTES && (line = reader.next()) != null) {
                batch.add(line);
                bytes += line.bytes().length;
            }
            return batch;
        }

        private void take(List<LineCheck> checks) {
            for (LineCheck check : checks) {
                if (stopped || finished) {
                    return;
                }
                take(check);
            }
        }

        /** The part of a line's checks that depends on the lines before it, in the order one pass makes them. */
        private void take(LineCheck check) {
            String at = "line " + check.number + ": ";
            if (ended) {
                fail(at + "content after the end line");
                finished = true;
                return;
            }
            List<String> messages = check.messages;
            switch (check.kind) {
                case UNREADABLE, UNTYPED -> {
                    failAll(messages, 0, messages.size());
                    expectedIndex++; // most likely a damaged entry; keep the following ones aligned
                }
                case ENTRY -> entry(check);
                case END -> {
                    failAll(messages, 0, messages.size());
                    end(check.number, check.object);
                    ended = true;
                }
                case HEADER -> {
                    failAll(messages, 0, messages.size());
                    fail(at + "a second header line");
                }
                case UNKNOWN -> {
                    failAll(messages, 0, messages.size());
                    fail(at + "unknown line type " + quote(check.type));
                }
            }
        }

        private void entry(LineCheck check) {
            entries++;
            long expected = expectedIndex++;
            String at = check.at;
            failAll(check.messages, 0, check.indexChecksAt);
            Long index = check.index;
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
            if (check.eventPresent) {
                eventsPresent++;
            } else {
                purged++;
            }
            failAll(check.messages, check.indexChecksAt, check.messages.size());
        }

        private void end(long lineNumber, JsonObject end) {
            String at = "line " + lineNumber + ": ";
            unexpectedMembers(end, END_MEMBERS, at + "end line", this::fail);
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
    }

    /** Lines per batch handed to a worker: large enough that hand-over costs little, small enough to stop soon. */
    static final int BATCH_LINES = 512;

    /** Bytes per batch, so that batches of long lines stay small in memory. */
    static final long BATCH_BYTES = 1 << 20;

    /**
     * What the checks of a single line need from the header; fixed once the header is read. {@code trustedRoot} is
     * the root when the trusted key signed it and the fast path is on, else null.
     */
    private record LineContext(String tenant, long treeSize, Hash root, Hash trustedRoot) {
    }

    private enum LineKind { UNREADABLE, UNTYPED, ENTRY, END, HEADER, UNKNOWN }

    /** A line's findings that need no other line, in the order they are reported. */
    private static final class LineCheck {
        final long number;
        final List<String> messages = new ArrayList<>(0);
        LineKind kind;
        String type;
        JsonObject object; // only kept for the end line
        // entries:
        String at;
        Long index;
        boolean eventPresent;
        int indexChecksAt; // messages before this come before the index checks, the others after

        LineCheck(long number) {
            this.number = number;
        }
    }

    /**
     * Checks lines on their own: canonical JSON, members, the event, the leaf hash and the inclusion proof. Needs
     * nothing but the header's context, so batches are checked on any thread. One per batch.
     */
    private static final class LineChecks {
        private final LineContext context;
        private final ConsecutiveProofRoots proofRoots = new ConsecutiveProofRoots();
        private final EntryLineFastPath fastPath;

        LineChecks(LineContext context) {
            this.context = context;
            this.fastPath = context.trustedRoot() == null ? null
                    : new EntryLineFastPath(context.tenant(), context.treeSize(), context.trustedRoot(), proofRoots);
        }

        List<LineCheck> check(List<Line> lines) {
            List<LineCheck> checks = new ArrayList<>(lines.size());
            for (Line line : lines) {
                checks.add(check(line));
            }
            return checks;
        }

        private LineCheck check(Line line) {
            if (fastPath != null && line.terminated() && !line.tooLong()) {
                EntryLineFastPath.Accepted accepted = fastPath.accept(line.bytes());
                if (accepted != null) {
                    return acceptedEntry(line, accepted);
                }
            }
            LineCheck check = new LineCheck(line.number());
            CanonicalEvent canonicalEvent = new CanonicalEvent();
            JsonObject object = parseLine(line, check.messages::add, canonicalEvent);
            if (object == null) {
                check.kind = LineKind.UNREADABLE;
                return check;
            }
            try {
                check.type = string(object, "type", "the line");
            } catch (Problem problem) {
                check.messages.add("line " + line.number() + ": " + problem.getMessage());
                check.kind = LineKind.UNTYPED;
                return check;
            }
            switch (check.type) {
                case "entry" -> {
                    check.kind = LineKind.ENTRY;
                    entry(line, object, check, canonicalEvent.bytes);
                }
                case "end" -> {
                    check.kind = LineKind.END;
                    check.object = object;
                }
                case "header" -> check.kind = LineKind.HEADER;
                default -> check.kind = LineKind.UNKNOWN;
            }
            return check;
        }

        /** Exactly the record the full checks leave for an entry line without findings. */
        private static LineCheck acceptedEntry(Line line, EntryLineFastPath.Accepted accepted) {
            LineCheck check = new LineCheck(line.number());
            check.kind = LineKind.ENTRY;
            check.type = "entry";
            check.at = "line " + line.number() + ": entry index " + accepted.index() + " ("
                    + (accepted.eventPresent() ? "event " + sanitize(accepted.eventId()) : "purged") + "): ";
            check.index = accepted.index();
            check.indexChecksAt = 0;
            check.eventPresent = accepted.eventPresent();
            return check;
        }

        private void entry(Line line, JsonObject entry, LineCheck check, byte[] eventCanonical) {
            List<String> messages = check.messages;
            JsonValue event = entry.get("event");
            String at = "line " + line.number() + ": entry index " + describeIndex(entry.get("index"))
                    + " (" + describeEvent(event) + "): ";
            check.at = at;
            unexpectedMembers(entry, ENTRY_MEMBERS, at + "entry", messages::add);

            Long index = null;
            try {
                index = integer(entry, "index", "the entry");
            } catch (Problem problem) {
                messages.add(at + problem.getMessage());
            }
            check.index = index;
            check.indexChecksAt = messages.size();

            Hash leafHash = null;
            try {
                String hex = string(entry, "leafHash", "the entry");
                if (!isLowerHex(hex, 2 * Hash.LENGTH)) {
                    messages.add(at + "leafHash is not " + 2 * Hash.LENGTH + " lowercase hex digits");
                } else {
                    leafHash = Hash.fromHex(hex);
                }
            } catch (Problem problem) {
                messages.add(at + problem.getMessage());
            }

            check.eventPresent = event != null;
            if (event != null) {
                event(at, event, eventCanonical, leafHash, messages);
            }

            List<Hash> path = proof(at, entry.get("inclusionProof"), messages);
            long treeSize = context.treeSize();
            if (path != null && leafHash != null && index != null && context.root() != null && index < treeSize) {
                try {
                    if (!proofRoots.rootFrom(index, treeSize, path, leafHash).equals(context.root())) {
                        messages.add(at + "inclusion proof does not lead to the root of checkpoint size " + treeSize);
                    }
                } catch (IllegalArgumentException wrongLength) {
                    messages.add(at + "inclusion proof has " + path.size() + " hashes, the wrong number for index "
                            + index + " in a tree of size " + treeSize);
                }
            }
        }

        /** @param canonical the event's canonical bytes when already known, else null */
        private void event(String at, JsonValue event, byte[] canonical, Hash leafHash, List<String> messages) {
            if (!(event instanceof JsonObject json)) {
                messages.add(at + "event must be a JSON object");
                return;
            }
            AuditEvent sealed = null;
            try {
                sealed = SealedEventFormat.fromJson(json);
            } catch (IllegalArgumentException e) {
                messages.add(at + "event is not a valid sealed event: " + e.getMessage());
            }
            if (canonical == null) {
                canonical = CanonicalJson.canonicalBytes(json);
            }
            if (sealed != null) {
                if (!sealed.tenant().value().equals(context.tenant())) {
                    messages.add(at + "event tenant " + quote(sealed.tenant().value()) + " is not the bundle tenant "
                            + quote(context.tenant()));
                }
                JsonObject resealed = SealedEventFormat.toJson(sealed);
                // Equal values have equal canonical bytes, so only unequal ones need serialising to compare.
                if (!resealed.equals(json) && !Arrays.equals(CanonicalJson.canonicalBytes(resealed), canonical)) {
                    messages.add(at + "event is not in sealed form: reading and re-sealing its fields changes it "
                            + "(a non-canonical timestamp or an unknown nested member)");
                }
            }
            if (leafHash != null && !MerkleHashes.leafHash(canonical).equals(leafHash)) {
                messages.add(at + "leaf hash does not match the event");
            }
        }

        /** The proof hashes, or null (after reporting) when the member is malformed. */
        private static List<Hash> proof(String at, JsonValue value, List<String> messages) {
            if (value == null) {
                messages.add(at + "entry has no 'inclusionProof'");
                return null;
            }
            try {
                return InclusionProofJson.read(value);
            } catch (InclusionProofJson.MalformedProof e) {
                messages.add(at + e.getMessage());
                return null;
            }
        }
    }

    // ---- lines and members -----------------------------------------------------------------

    /** The canonical bytes of an entry line's event, when {@link #parseLine} had them to hand. */
    private static final class CanonicalEvent {
        byte[] bytes;
    }

    private static JsonObject parseLine(Line line, Consumer<String> fail) {
        return parseLine(line, fail, new CanonicalEvent());
    }

    /** The line as a canonical JSON object, or null after reporting why it is not one. */
    private static JsonObject parseLine(Line line, Consumer<String> fail, CanonicalEvent canonicalEvent) {
        String at = "line " + line.number() + ": ";
        if (line.tooLong()) {
            fail.accept(at + "longer than the limit of " + MAX_LINE_BYTES + " bytes");
            return null;
        }
        byte[] bytes = line.bytes();
        if (!line.terminated()) {
            fail.accept(at + "the last line does not end with a newline");
        }
        if (bytes.length == 0) {
            fail.accept(at + "empty line");
            return null;
        }
        JsonValue value;
        try {
            value = JsonParser.parse(bytes, MAX_DEPTH);
        } catch (JsonSyntaxException e) {
            fail.accept(at + "not valid JSON: " + e.getMessage());
            return null;
        }
        if (!(value instanceof JsonObject object)) {
            fail.accept(at + "not a JSON object");
            return null;
        }
        if (!isCanonical(object, bytes, canonicalEvent)) {
            fail.accept(at + (bytes[bytes.length - 1] == '\r' ? "ends with CR: lines must end with LF only"
                    : "not in RFC 8785 canonical form"));
        }
        return object;
    }

    private static final byte[] EVENT_MEMBER_PREFIX = "{\"event\":".getBytes(StandardCharsets.UTF_8);

    /**
     * Whether {@code bytes} are the canonical form of {@code object}. When "event" is an object and sorts before
     * every other member (so it comes first in the canonical line), the canonical line is
     * <code>{"event":</code> + canonical(event) + the canonical rest, so the event is serialised once here and
     * its bytes kept for the leaf hash instead of a second time.
     */
    private static boolean isCanonical(JsonObject object, byte[] bytes, CanonicalEvent canonicalEvent) {
        if (!(object.get("event") instanceof JsonObject event) || !eventSortsFirst(object)) {
            return Arrays.equals(CanonicalJson.canonicalBytes(object), bytes);
        }
        byte[] eventBytes = CanonicalJson.canonicalBytes(event);
        canonicalEvent.bytes = eventBytes;
        Map<String, JsonValue> rest = new LinkedHashMap<>(object.members());
        rest.remove("event");
        byte[] restBytes = CanonicalJson.canonicalBytes(new JsonObject(rest)); // "{...}"
        // Expected: {"event":E,<rest without its "{"> or, with nothing else, {"event":E}
        int prefix = EVENT_MEMBER_PREFIX.length;
        int restStart = prefix + eventBytes.length;
        int expectedLength = restStart + (rest.isEmpty() ? 1 : restBytes.length);
        if (bytes.length != expectedLength
                || !Arrays.equals(bytes, 0, prefix, EVENT_MEMBER_PREFIX, 0, prefix)
                || !Arrays.equals(bytes, prefix, restStart, eventBytes, 0, eventBytes.length)) {
            return false;
        }
        if (rest.isEmpty()) {
            return bytes[restStart] == '}';
        }
        return bytes[restStart] == ','
                && Arrays.equals(bytes, restStart + 1, bytes.length, restBytes, 1, restBytes.length);
    }

    private static boolean eventSortsFirst(JsonObject object) {
        for (String name : object.members().keySet()) {
            if (name.compareTo("event") < 0) {
                return false;
            }
        }
        return true;
    }

    private static void unexpectedMembers(JsonObject object, Set<String> allowed, String what, Consumer<String> fail) {
        for (String name : object.members().keySet()) {
            if (!allowed.contains(name)) {
                fail.accept(what + " has unexpected member " + quote(name));
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
            ByteArrayOutputStream line = null; // only for a line that spans buffer refills
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
                        return new Line(lines, tooLong || line == null ? new byte[0] : line.toByteArray(), false,
                                tooLong);
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
                if (line == null && !tooLong && position < limit && length <= maxBytes) {
                    position++; // the newline; the whole line was in the buffer
                    lines++;
                    return new Line(lines, Arrays.copyOfRange(buffer, start, start + length), true, false);
                }
                if (line == null) {
                    line = new ByteArrayOutputStream();
                }
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
