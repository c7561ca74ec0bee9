package io.stenographer.domain.report.bundle;

import io.stenographer.domain.report.bundle.CanonicalZipReader.Broken;
import io.stenographer.domain.bundle.InclusionProofJson;
import io.stenographer.domain.checkpoint.Checkpoint;
import io.stenographer.domain.checkpoint.KeySet;
import io.stenographer.domain.checkpoint.NoteVerifier;
import io.stenographer.domain.checkpoint.SignedNote;
import io.stenographer.domain.event.AuditEvent;
import io.stenographer.domain.event.SealedEventFormat;
import io.stenographer.domain.json.CanonicalJson;
import io.stenographer.domain.json.JsonArray;
import io.stenographer.domain.json.JsonNumber;
import io.stenographer.domain.json.JsonObject;
import io.stenographer.domain.json.JsonParser;
import io.stenographer.domain.json.JsonString;
import io.stenographer.domain.json.JsonValue;
import io.stenographer.domain.merkle.Hash;
import io.stenographer.domain.event.PersonalField;
import io.stenographer.domain.privacy.Disclosure;
import io.stenographer.domain.merkle.InclusionProof;
import io.stenographer.domain.merkle.MerkleHashes;
import io.stenographer.domain.report.ReportHeader;
import io.stenographer.domain.report.ReportJson;
import io.stenographer.domain.report.ReportType;
import io.stenographer.domain.report.bundle.CanonicalZipReader.Broken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;

/**
 * Verifies a report bundle (see {@link ReportBundleWriter}) offline, trusting only the log key it is
 * given. One streaming pass with bounded memory:
 * <ul>
 *   <li>ZIP structure: entries in the fixed order, every header, descriptor, the central directory and
 *       the end record exactly as {@link CanonicalZip} writes them, nothing after;</li>
 *   <li>the manifest is signed by the trusted key, names the checkpoint's origin and size, and its
 *       prefix hash and file hashes match the bytes read (so any changed byte anywhere is caught);</li>
 *   <li>the checkpoint is signed by the trusted key (and has the expected origin), the bundle's key is
 *       the trusted key, report.json is pinned to that checkpoint and counts the event lines;</li>
 *   <li>each event line: canonical JSON, increasing index below the tree size, the leaf hash recomputed
 *       from the event unless it is marked redacted, and its inclusion proof leads to the root. A
 *       public-records export that redacts withholds redacted events' leaf hashes and all proofs (they
 *       would let anyone test guesses of the removed values); such lines are counted as unproven, and
 *       are accepted only in a {@code foia-export} report.</li>
 * </ul>
 */
public final class ReportBundleVerifier {

    public static final int MAX_FAILURES = 100;
    static final int MAX_SMALL_ENTRY = 1 << 20;
    static final int MAX_LINE = 2 << 20;
    private static final Set<String> LINE_MEMBERS = Set.of("index", "leafHash", "event", "redactions",
            "inclusionProof", "personalData");

    private final KeySet trustedKeys;
    private final String expectedOrigin;

    public ReportBundleVerifier(NoteVerifier trustedKey, String expectedOrigin) {
        this(KeySet.single(Objects.requireNonNull(trustedKey, "trustedKey")), expectedOrigin);
    }

    /**
     * With the log's key set: the checkpoint must be signed by the key valid at its size; the manifest
     * and the bundle's key file by a key of the set, so a report made before a rotation still verifies.
     */
    public ReportBundleVerifier(KeySet trustedKeys, String expectedOrigin) {
        this.trustedKeys = Objects.requireNonNull(trustedKeys, "trustedKeys");
        this.expectedOrigin = expectedOrigin;
    }

    public ReportBundleVerification verify(InputStream in) throws IOException {
        Run run = new Run(new CanonicalZipReader(in));
        run.execute();
        return new ReportBundleVerification(run.reportId, run.origin, run.treeSize, run.lines, run.redacted,
                run.unproven, run.failures);
    }

    private final class Run {
        private final CanonicalZipReader zip;
        private final List<String> failures = new ArrayList<>();
        private final List<CanonicalZip.Entry> entries = new ArrayList<>();
        private final List<ReportManifest.FileDigest> digests = new ArrayList<>();
        private String reportId;
        private String origin;
        private long treeSize = -1;
        private Hash root;
        private String checkpointText;
        private String tenant;
        private long declaredEvents = -1;
        private long lines;
        private long redacted;
        private long unproven;
        private boolean mayWithholdProofs;
        private long lastIndex = -1;

        Run(CanonicalZipReader zip) {
            this.zip = zip;
        }

        void fail(String message) {
            if (failures.size() < MAX_FAILURES) {
                failures.add(message);
            } else if (failures.size() == MAX_FAILURES) {
                failures.add("stopped listing failures after " + MAX_FAILURES);
            }
        }

        void execute() throws IOException {
            try {
                for (String name : ReportBundleWriter.CONTENT_ENTRIES) {
                    entry(name);
                }
                long prefixLength = zip.offset();
                Hash prefix = zip.snapshot();
                byte[] manifest = manifestEntry();
                long centralOffset = zip.offset();
                byte[] rest = zip.readRest(entries.size() * 200 + 1_000);
                if (!Arrays.equals(rest, CanonicalZip.centralDirectory(entries, centralOffset))) {
                    fail("zip: the central directory or end record is not exactly the one the entries call for "
                            + "(changed, or bytes appended)");
                }
                manifest(manifest, prefixLength, prefix);
            } catch (Broken broken) {
                fail("zip: " + broken.getMessage() + "; the rest of the bundle could not be read");
                return;
            }
            if (declaredEvents >= 0 && declaredEvents != lines) {
                fail(ReportBundleWriter.REPORT + ": header.eventCount is " + declaredEvents + " but "
                        + ReportBundleWriter.EVENTS + " holds " + lines + " events");
            }
        }

        private void entry(String name) throws IOException, Broken {
            long offset = zip.offset();
            byte[] header = zip.localHeader(name);
            if (!Arrays.equals(header, CanonicalZip.localHeader(new CanonicalZip.Entry(name, false, 0, 0, 0, 0)))) {
                throw new Broken("the local header of " + name + " (entry " + (entries.size() + 1)
                        + ") is not canonical");
            }
            ByteArrayOutputStream small = new ByteArrayOutputStream();
            LineSplitter splitter = name.equals(ReportBundleWriter.EVENTS) ? new LineSplitter(this::eventLine) : null;
            CanonicalZipReader.Inflated inflated;
            try {
                inflated = zip.inflate((bytes, from, length) -> {
                    if (splitter != null) {
                        splitter.accept(bytes, from, length);
                    } else if (small.size() + length > MAX_SMALL_ENTRY) {
                        throw new Broken(name + " is larger than " + MAX_SMALL_ENTRY + " bytes");
                    } else {
                        small.write(bytes, from, length);
                    }
                });
            } catch (DataFormatException e) {
                throw new Broken(name + ": the compressed data is corrupt (" + e.getMessage() + ")");
            }
            if (splitter != null) {
                splitter.finish();
            }
            CanonicalZip.Entry entry = new CanonicalZip.Entry(name, false, inflated.crc(), inflated.compressedSize(),
                    inflated.size(), offset);
            byte[] descriptor = zip.read(16);
            if (descriptor == null || !Arrays.equals(descriptor, CanonicalZip.descriptor(entry))) {
                throw new Broken("the data descriptor of " + name + " does not match its data (CRC or sizes)");
            }
            entries.add(entry);
            digests.add(new ReportManifest.FileDigest(name, inflated.sha256(), inflated.size()));
            if (splitter == null) {
                content(name, small.toByteArray());
            }
        }

        private byte[] manifestEntry() throws IOException, Broken {
            long offset = zip.offset();
            byte[] fixed = zip.read(30);
            if (fixed == null || CanonicalZip.u32(fixed, 0) != CanonicalZip.LOCAL) {
                throw new Broken(ReportBundleWriter.MANIFEST + " is missing after " + ReportBundleWriter.EVENTS);
            }
            long crc = CanonicalZip.u32(fixed, 14);
            long size = CanonicalZip.u32(fixed, 18);
            if (size > 64 * 1024) {
                throw new Broken(ReportBundleWriter.MANIFEST + " claims " + size + " bytes, more than a manifest has");
            }
            byte[] name = zip.read(CanonicalZip.u16(fixed, 26));
            CanonicalZip.Entry entry = new CanonicalZip.Entry(ReportBundleWriter.MANIFEST, true, crc, size, size,
                    offset);
            byte[] expected = CanonicalZip.localHeader(entry);
            if (name == null || !Arrays.equals(CanonicalZipReader.concat(fixed, name), expected)) {
                throw new Broken("the local header of " + ReportBundleWriter.MANIFEST + " is not canonical");
            }
            byte[] content = zip.read((int) size);
            if (content == null) {
                throw new Broken(ReportBundleWriter.MANIFEST + " is truncated");
            }
            CRC32 check = new CRC32();
            check.update(content);
            if (check.getValue() != crc) {
                throw new Broken(ReportBundleWriter.MANIFEST + " does not match the CRC in its header");
            }
            entries.add(entry);
            return content;
        }

        private void manifest(byte[] bytes, long prefixLength, Hash prefix) {
            String m = ReportBundleWriter.MANIFEST + ": ";
            SignedNote note;
            ReportManifest manifest;
            try {
                note = SignedNote.parse(utf8(bytes));
                manifest = ReportManifest.parse(note.body());
            } catch (IllegalArgumentException e) {
                fail(m + "not a valid signed manifest: " + e.getMessage());
                return;
            }
            if (!trustedKeys.signedByKeyValidAt(note, manifest.treeSize())) {
                fail(m + "the signature does not verify with a trusted key " + keyLabel() + " still signing at tree"
                        + " size " + manifest.treeSize());
            }
            if (reportId != null && !reportId.equals(manifest.reportId())) {
                fail(m + "names report " + manifest.reportId() + " but report.json is report " + reportId);
            }
            reportId = manifest.reportId();
            if (origin != null && (!origin.equals(manifest.origin()) || treeSize != manifest.treeSize())) {
                fail(m + "names " + manifest.origin() + " at tree size " + manifest.treeSize()
                        + ", not the checkpoint's " + origin + " at tree size " + treeSize);
            }
            if (manifest.prefixLength() != prefixLength || !manifest.prefixSha256().equals(prefix)) {
                fail(m + "the ZIP bytes before the manifest do not match its signed hash (a header, timestamp or "
                        + "compressed byte changed)");
            }
            if (manifest.files().size() != digests.size()) {
                fail(m + "lists " + manifest.files().size() + " files, the bundle holds " + digests.size());
            }
            for (int i = 0; i < Math.min(manifest.files().size(), digests.size()); i++) {
                ReportManifest.FileDigest signed = manifest.files().get(i);
                ReportManifest.FileDigest actual = digests.get(i);
                if (!signed.equals(actual)) {
                    fail(actual.name() + ": content does not match the signed manifest (SHA-256 " + actual.sha256().hex()
                            + ", " + actual.size() + " bytes; the manifest says " + signed.name() + " "
                            + signed.sha256().hex() + ", " + signed.size() + " bytes)");
                }
            }
        }

        private void content(String name, byte[] bytes) {
            switch (name) {
                case ReportBundleWriter.CHECKPOINT -> checkpoint(bytes);
                case ReportBundleWriter.KEY -> {
                    String key = utf8(bytes);
                    if (!key.endsWith("\n") || !trustedKeys.containsVerifierKey(key.substring(0, key.length() - 1))) {
                        fail(name + ": is not the trusted key " + keyLabel());
                    }
                }
                case ReportBundleWriter.REPORT -> report(bytes);
                default -> {
                }
            }
        }

        private void checkpoint(byte[] bytes) {
            String c = ReportBundleWriter.CHECKPOINT + ": ";
            try {
                checkpointText = utf8(bytes);
                SignedNote note = SignedNote.parse(checkpointText);
                Checkpoint checkpoint = Checkpoint.parseBody(note.body());
                origin = checkpoint.origin();
                treeSize = checkpoint.treeSize();
                root = checkpoint.rootHash();
                try {
                    trustedKeys.verify(note);
                } catch (IllegalArgumentException e) {
                    fail(c + "the signature does not verify with the trusted key " + keyLabel() + ": " + e.getMessage());
                }
                if (expectedOrigin != null && !expectedOrigin.equals(origin)) {
                    fail(c + "origin " + origin + " is not the expected origin " + expectedOrigin);
                }
            } catch (IllegalArgumentException e) {
                fail(c + "not a valid signed checkpoint: " + e.getMessage());
            }
        }

        private void report(byte[] bytes) {
            String r = ReportBundleWriter.REPORT + ": ";
            JsonObject report;
            try {
                JsonValue value = JsonParser.parse(bytes.length > 0 ? Arrays.copyOf(bytes, bytes.length - 1) : bytes,
                        64);
                report = (JsonObject) value;
                if (!Arrays.equals(bytes, (CanonicalJson.canonicalize(report) + "\n")
                        .getBytes(StandardCharsets.UTF_8))) {
                    fail(r + "not one line of RFC 8785 canonical JSON");
                }
            } catch (IllegalArgumentException | ClassCastException e) {
                fail(r + "not a JSON object: " + e.getMessage());
                return;
            }
            if (!ReportHeader.FORMAT.equals(ReportJson.string(report, "format"))) {
                fail(r + "format is not " + ReportHeader.FORMAT);
            }
            reportId = ReportJson.string(report, "header.reportId");
            tenant = ReportJson.string(report, "header.tenant");
            mayWithholdProofs = ReportType.FOIA_EXPORT.wireName().equals(ReportJson.string(report, "header.type"));
            if (!ReportBundleWriter.EVENTS.equals(ReportJson.string(report, "eventsFile"))) {
                fail(r + "eventsFile must be " + ReportBundleWriter.EVENTS);
            }
            if (checkpointText != null && !checkpointText.equals(ReportJson.string(report,
                    "header.checkpoint.signedNote"))) {
                fail(r + "header.checkpoint.signedNote is not the checkpoint in " + ReportBundleWriter.CHECKPOINT);
            }
            if (root != null && (!root.base64().equals(ReportJson.string(report, "header.checkpoint.rootHash"))
                    || !(ReportJson.at(report, "header.checkpoint.treeSize") instanceof JsonNumber size)
                    || size.value() != treeSize
                    || !origin.equals(ReportJson.string(report, "header.checkpoint.origin")))) {
                fail(r + "header.checkpoint (origin, treeSize, rootHash) does not match " + ReportBundleWriter.CHECKPOINT);
            }
            if (!trustedKeys.containsVerifierKey(ReportJson.string(report, "header.checkpoint.verifierKey"))) {
                fail(r + "header.checkpoint.verifierKey is not the trusted key " + keyLabel());
            }
            if (ReportJson.at(report, "header.eventCount") instanceof JsonNumber count && count.value() >= 0
                    && count.value() == Math.rint(count.value())) {
                declaredEvents = (long) count.value();
            } else {
                fail(r + "header.eventCount is missing or not a count");
            }
        }

        private void eventLine(byte[] bytes, boolean tooLong) {
            lines++;
            String at = ReportBundleWriter.EVENTS + " line " + lines + ": ";
            if (tooLong) {
                fail(at + "longer than " + MAX_LINE + " bytes");
                return;
            }
            JsonObject line;
            try {
                line = (JsonObject) JsonParser.parse(bytes, 40);
            } catch (IllegalArgumentException | ClassCastException e) {
                fail(at + "not a JSON object: " + e.getMessage());
                return;
            }
            if (!Arrays.equals(CanonicalJson.canonicalBytes(line), bytes)) {
                fail(at + "not in RFC 8785 canonical form");
            }
            for (String name : line.members().keySet()) {
                if (!LINE_MEMBERS.contains(name)) {
                    fail(at + "unexpected member '" + name + "'");
                }
            }
            if (!(line.get("index") instanceof JsonNumber number) || number.value() < 0
                    || number.value() != Math.rint(number.value()) || number.value() > (1L << 53)) {
                fail(at + "index must be a non-negative integer");
                return;
            }
            long index = (long) number.value();
            JsonObject event = line.get("event") instanceof JsonObject object ? object : null;
            String id = event == null ? null : ReportJson.string(event, "id");
            at = ReportBundleWriter.EVENTS + " line " + lines + " (index " + index
                    + (id == null ? "" : ", event " + id) + "): ";
            if (index <= lastIndex) {
                fail(at + "indices must increase; the previous line had index " + lastIndex);
            }
            lastIndex = Math.max(lastIndex, index);
            if (treeSize >= 0 && index >= treeSize) {
                fail(at + "index is not in the checkpointed tree of size " + treeSize);
                return;
            }
            Hash leafHash = null;
            if (line.get("leafHash") != null || line.get("redactions") == null) {
                try {
                    String hex = ((JsonString) line.get("leafHash")).value();
                    if (!hex.equals(hex.toLowerCase(Locale.ROOT))) {
                        throw new IllegalArgumentException("not lower-case hex");
                    }
                    leafHash = Hash.fromHex(hex);
                } catch (RuntimeException e) {
                    fail(at + "leafHash must be 64 lower-case hex digits");
                    return;
                }
            }
            if (event == null) {
                fail(at + "event must be a JSON object");
            } else if (line.get("redactions") != null) {
                if (!(line.get("redactions") instanceof JsonArray list) || list.elements().isEmpty()
                        || !list.elements().stream().allMatch(JsonString.class::isInstance)) {
                    fail(at + "redactions must be a non-empty array of field paths");
                }
                redacted++;
                if (tenant != null && !tenant.equals(ReportJson.string(event, "tenant"))) {
                    fail(at + "event tenant is not the report's tenant " + tenant);
                }
            } else {
                AuditEvent parsed = sealed(at, event, leafHash);
                if (parsed != null && line.get("personalData") != null) {
                    personalData(at, parsed, line.get("personalData"));
                }
            }
            if (line.get("inclusionProof") == null && mayWithholdProofs) {
                unproven++;
            } else if (leafHash == null) {
                fail(at + "an inclusion proof needs the leafHash it proves");
            } else {
                proof(at, line.get("inclusionProof"), index, leafHash);
            }
        }

        /** The event parsed, when it is a valid sealed event. */
        private AuditEvent sealed(String at, JsonObject event, Hash leafHash) {
            byte[] canonical = CanonicalJson.canonicalBytes(event);
            AuditEvent parsed = null;
            try {
                parsed = SealedEventFormat.fromJson(event);
                if (!Arrays.equals(CanonicalJson.canonicalBytes(SealedEventFormat.toJson(parsed)), canonical)) {
                    fail(at + "event is not in sealed form");
                }
                if (tenant != null && !tenant.equals(parsed.tenant().value())) {
                    fail(at + "event tenant is not the report's tenant " + tenant);
                }
            } catch (IllegalArgumentException e) {
                fail(at + "event is not a valid sealed event: " + e.getMessage());
            }
            if (!MerkleHashes.leafHash(canonical).equals(leafHash)) {
                fail(at + "leaf hash does not match the event");
            }
            return parsed;
        }

        /**
         * A report with personal data carries each revealed value with the opening of its commitment: the value is
         * the one the leaf committed to only if the two recompute the commitment in the sealed event.
         */
        private void personalData(String at, AuditEvent event, JsonValue personalData) {
            if (!(personalData instanceof JsonObject fields)) {
                fail(at + "personalData must be an object");
                return;
            }
            fields.members().forEach((path, value) -> {
                PersonalField field;
                try {
                    field = PersonalField.parse(path);
                } catch (IllegalArgumentException e) {
                    fail(at + "personalData names an unknown field " + path);
                    return;
                }
                Hash committed = event.personal().byField().get(field);
                if (committed == null) {
                    fail(at + "personalData has " + path + ", which the event does not commit to");
                    return;
                }
                if (!(value instanceof JsonObject shown) || !(shown.get("status") instanceof JsonString status)) {
                    fail(at + "personalData." + path + " must be an object with a status");
                    return;
                }
                if (!"revealed".equals(status.value())) {
                    return;
                }
                try {
                    byte[] opening = java.util.HexFormat.of().parseHex(((JsonString) shown.get("opening")).value());
                    if (!new Disclosure(field, shown.get("value"), opening).matches(committed)) {
                        fail(at + "the value of " + path + " does not open the event's commitment");
                    }
                } catch (RuntimeException e) {
                    fail(at + "personalData." + path + " needs a value and a 32-byte hex opening");
                }
            });
        }

        private void proof(String at, JsonValue value, long index, Hash leafHash) {
            List<Hash> path;
            try {
                path = InclusionProofJson.read(value);
            } catch (InclusionProofJson.MalformedProof e) {
                fail(at + e.getMessage());
                return;
            }
            if (root == null) {
                fail(at + "no valid checkpoint to check the inclusion proof against");
                return;
            }
            try {
                if (!new InclusionProof(index, treeSize, path).verify(leafHash, root)) {
                    fail(at + "inclusion proof does not lead to the root of checkpoint size " + treeSize);
                }
            } catch (IllegalArgumentException e) {
                fail(at + "inclusion proof is malformed: " + e.getMessage());
            }
        }
    }

    private String keyLabel() {
        return trustedKeys.label();
    }

    private static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("not valid UTF-8");
        }
    }

    // ---- streaming helpers -------------------------------------------------------------------

    private interface LineHandler {
        void line(byte[] bytes, boolean tooLong);
    }

    /** Splits inflated content into lines of at most {@link #MAX_LINE} bytes. */
    private static final class LineSplitter implements CanonicalZipReader.Chunk {
        private final LineHandler handler;
        private ByteArrayOutputStream line = new ByteArrayOutputStream();
        private boolean tooLong;

        LineSplitter(LineHandler handler) {
            this.handler = handler;
        }

        @Override
        public void accept(byte[] bytes, int from, int length) {
            int start = from;
            for (int i = from; i < from + length; i++) {
                if (bytes[i] == '\n') {
                    append(bytes, start, i - start);
                    handler.line(line.toByteArray(), tooLong);
                    line = new ByteArrayOutputStream();
                    tooLong = false;
                    start = i + 1;
                }
            }
            append(bytes, start, from + length - start);
        }

        private void append(byte[] bytes, int from, int length) {
            if (tooLong || line.size() + length > MAX_LINE) {
                tooLong = true;
                line = new ByteArrayOutputStream();
            } else {
                line.write(bytes, from, length);
            }
        }

        void finish() {
            if (line.size() > 0 || tooLong) {
                handler.line(line.toByteArray(), tooLong);
            }
        }
    }
}
