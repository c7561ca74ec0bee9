package io.stenographer.verifier;

import static org.assertj.core.api.Assertions.assertThat;

import io.stenographer.domain.json.CanonicalJson;
import io.stenographer.domain.json.JsonObject;
import io.stenographer.domain.json.JsonParser;
import io.stenographer.domain.json.JsonString;
import io.stenographer.domain.json.JsonValue;
import io.stenographer.domain.merkle.Hash;
import io.stenographer.domain.stream.OcsfFormat;
import io.stenographer.domain.stream.OcsfMapping;
import io.stenographer.domain.stream.StreamCheckpointRecord;
import io.stenographer.domain.stream.StreamRecord;
import io.stenographer.domain.stream.StreamRecordFormat;
import io.stenographer.domain.stream.StreamTruncatedRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** verify-stream on captured streams of a real in-memory log: clean, then with one thing wrong each. */
class VerifyStreamCommandTest {

    private static final LogFixture LOG = new LogFixture(30);

    @TempDir
    Path dir;

    /** Native lines: events 0..29, a checkpoint record after every 8 (sizes 8, 16, 24). */
    private static List<String> clean() {
        List<String> lines = new ArrayList<>();
        long last = 0;
        for (int i = 0; i < 30; i++) {
            lines.add(StreamRecordFormat.write(StreamRecord.of(i, LOG.events.get(i))));
            if ((i + 1) % 8 == 0) {
                lines.add(StreamRecordFormat.write(checkpoint(last, i + 1)));
                last = i + 1;
            }
        }
        return lines;
    }

    private static StreamCheckpointRecord checkpoint(long from, long to) {
        return StreamCheckpointRecord.of("acme", LOG.checkpoint(to), from, to, LOG.tree);
    }

    private Cli verify(List<String> lines, String... extra) throws IOException {
        Path file = Files.write(dir.resolve("capture.ndjson"), (String.join("\n", lines) + "\n")
                .getBytes(StandardCharsets.UTF_8));
        List<String> args = new ArrayList<>(List.of("verify-stream", "--stream", file.toString(), "--key",
                LOG.verifierKey()));
        if (!List.of(extra).contains("--origin")) {
            args.addAll(List.of("--origin", LogFixture.ORIGIN));
        }
        args.addAll(List.of(extra));
        return Cli.run(args.toArray(String[]::new));
    }

    private static void failsWith(Cli result, String... failures) {
        assertThat(result.exit()).as(result.toString()).isEqualTo(1);
        for (String failure : failures) {
            assertThat(result.err()).as(result.toString()).contains("FAIL: " + failure);
        }
    }

    @Test
    void aCleanStreamVerifies() throws IOException {
        Cli result = verify(clean(), "--origin", LogFixture.ORIGIN);
        assertThat(result.exit()).as(result.toString()).isZero();
        assertThat(result.err()).isEmpty();
        assertThat(result.out()).isEqualTo("NOTE: 6 events are not proven included (the first at index 24): no "
                + "checkpoint record in the capture covers them whole (they follow the last checkpoint record, size "
                + "24)\nOK: 30 events (indices 0..29), 0 identical duplicates, 3 checkpoint records; 24 of 30 events "
                + "proven included under a signed checkpoint of example/acme\n");
    }

    @Test
    void aCaptureWithNoEventProvenIncludedFails() throws IOException {
        // Made-up events with self-computed leaf hashes and no checkpoint record: nothing the key stands behind.
        List<String> eventsOnly = clean().stream().filter(line -> !line.contains("\"kind\":\"checkpoint\""))
                .toList();
        failsWith(verify(eventsOnly), "no event of the capture is proven included under a signed checkpoint");
    }

    @Test
    void aGapFails() throws IOException {
        List<String> lines = clean();
        lines.remove(21); // index 19
        lines.remove(20); // index 18
        Cli result = verify(lines);
        failsWith(result, "gap: 2 indices between 0 and 29 never arrived: 18..19\n");
        assertThat(result.err()).endsWith("FAILED: 1 failure (28 events (indices 0..29), 0 identical duplicates, "
                + "3 checkpoint records; 16 of 28 events proven included under a signed checkpoint of example/acme) in "
                + dir.resolve("capture.ndjson") + "\n");
    }

    @Test
    void anIdenticalDuplicateIsCountedAndPasses() throws IOException {
        List<String> lines = clean();
        lines.addAll(List.copyOf(lines.subList(8, 13))); // resent after a lost acknowledgement: checkpoint 8, 8..11
        Cli result = verify(lines);
        assertThat(result.exit()).as(result.toString()).isZero();
        assertThat(result.out()).contains("OK: 30 events (indices 0..29), 4 identical duplicates, "
                + "4 checkpoint records (1 repeated); 24 of 30");
    }

    @Test
    void aDuplicateWithOtherContentFails() throws IOException {
        List<String> lines = clean();
        StreamRecord other = new StreamRecord(6, LOG.events.get(7).leafHash(), "acme",
                StreamRecord.of(7, LOG.events.get(7)).event());
        lines.add(StreamRecordFormat.write(other));
        failsWith(verify(lines), "line 34: index 6: delivered again with other content: first event "
                + LOG.events.get(6).id() + " with leaf hash " + LOG.events.get(6).leafHash().hex() + ", now event "
                + LOG.events.get(7).id());
    }

    @Test
    void aTamperedEventFails() throws IOException {
        List<String> lines = clean();
        StreamRecord genuine = StreamRecord.of(3, LOG.events.get(3));
        Map<String, JsonValue> event = new LinkedHashMap<>(genuine.event().members());
        event.put("actor", new JsonObject(Map.of("id", new JsonString("officer-999"), "type", new JsonString("user"))));
        lines.set(3, StreamRecordFormat.write(new StreamRecord(3, genuine.leafHash(), "acme", new JsonObject(event))));
        failsWith(verify(lines), "line 4: index 3: leaf hash " + genuine.leafHash().hex() + " does not match its event",
                "checkpoint record on line 9 (size 8): the events at indices 0..7 do not hash to the signed root");
    }

    @Test
    void aBadCheckpointSignatureFails() throws IOException {
        List<String> lines = clean();
        StreamCheckpointRecord genuine = checkpoint(8, 16);
        String note = genuine.note();
        int at = Cli.base64FlipOffset(note, note.lastIndexOf(' ') + 9); // past the 4-byte key id
        String forged = note.substring(0, at) + (char) (note.charAt(at) ^ 1) + note.substring(at + 1);
        lines.set(17, StreamRecordFormat.write(new StreamCheckpointRecord("acme", forged, 8, 16,
                genuine.consistencyProof(), genuine.frontier())));
        Cli result = verify(lines);
        failsWith(result, "line 18: checkpoint record [8, 16): the checkpoint does not verify with key example/acme+"
                + LOG.signer.verifier().keyIdHex() + ": checkpoint signature by example/acme+"
                + LOG.signer.verifier().keyIdHex() + " does not verify");
        // The next checkpoint's range then starts at a size the capture holds no verified checkpoint of.
        assertThat(result.err()).contains("FAIL: line 27: checkpoint record [16, 24): the range starts at 16, not at "
                + "the previous checkpoint record's size 8");
    }

    @Test
    void aBadConsistencyProofFails() throws IOException {
        List<String> lines = clean();
        StreamCheckpointRecord genuine = checkpoint(16, 24);
        List<Hash> proof = new ArrayList<>(genuine.consistencyProof());
        byte[] bytes = proof.get(proof.size() - 1).bytes();
        bytes[31] ^= (byte) 0x80;
        proof.set(proof.size() - 1, new Hash(bytes));
        lines.set(26, StreamRecordFormat.write(new StreamCheckpointRecord("acme", genuine.note(), 16, 24, proof,
                genuine.frontier())));
        failsWith(verify(lines), "line 27: checkpoint record [16, 24): the consistency proof from size 16 to size 24 "
                + "does not verify against the previous checkpoint record\n");
    }

    @Test
    void anOcsfStreamVerifiesAndAChangedMappedFieldFails() throws IOException {
        List<String> lines = new ArrayList<>();
        for (String line : clean()) {
            lines.add(StreamRecordFormat.parse(line) instanceof StreamRecord event
                    ? CanonicalJson.canonicalize(OcsfFormat.toOcsf(event, OcsfMapping.DEFAULT)) : line);
        }
        Cli clean = verify(lines, "--format", "ocsf");
        assertThat(clean.exit()).as(clean.toString()).isZero();
        assertThat(clean.out()).contains("OK: 30 events (indices 0..29)");
        assertThat(verify(lines).exit()).isEqualTo(1); // an OCSF line is not a native record

        JsonObject ocsf = (JsonObject) JsonParser.parse(lines.get(10), 32); // index 9
        JsonObject actor = (JsonObject) ocsf.get("actor");
        Map<String, JsonValue> user = new LinkedHashMap<>(((JsonObject) actor.get("user")).members());
        user.put("uid", new JsonString("officer-1"));
        Map<String, JsonValue> changedActor = new LinkedHashMap<>(actor.members());
        changedActor.put("user", new JsonObject(user));
        Map<String, JsonValue> changed = new LinkedHashMap<>(ocsf.members());
        changed.put("actor", new JsonObject(changedActor));
        lines.set(10, CanonicalJson.canonicalize(new JsonObject(changed)));
        failsWith(verify(lines, "--format", "ocsf"), "line 11: index 9: OCSF field actor.user.uid is \"officer-1\" "
                + "but the sealed event it carries says \"officer-9\"\n");
    }

    @Test
    void aTruncatedRecordPassesButIsReportedAsNotVerifiableFromTheStream() throws IOException {
        List<String> lines = clean();
        lines.set(5, StreamRecordFormat.write(StreamTruncatedRecord.of(StreamRecord.of(5, LOG.events.get(5)))));
        Cli result = verify(lines);
        assertThat(result.exit()).as(result.toString()).isZero();
        assertThat(result.out()).contains("NOTE: 1 record was truncated to fit the sink's message size, so its event "
                + "is not in the stream and cannot be verified from it: fetch them from the API: 5 (event "
                + LOG.events.get(5).id() + ")\n");
        assertThat(result.out()).endsWith("OK: 29 events (indices 0..29), 1 truncated (not verifiable from the "
                + "stream: fetch them from the API), 0 identical duplicates, 3 checkpoint records; 23 of 29 events "
                + "proven included under a signed checkpoint of example/acme\n");
    }

    @Test
    void cefAndUnknownFormatsAreUsageErrors() throws IOException {
        Cli cef = verify(clean(), "--format", "cef");
        assertThat(cef.exit()).isEqualTo(2);
        assertThat(cef.err()).startsWith("error: --format cef cannot be verified: a CEF line does not carry the sealed "
                + "event in full");
        assertThat(verify(clean(), "--format", "xml").err()).startsWith("error: --format must be native or ocsf, "
                + "not 'xml'");
    }

    @Test
    void invalidUtf8AndOverlongLinesFail() throws IOException {
        Path bad = Files.write(dir.resolve("bad.ndjson"), new byte[] {'{', (byte) 0xff, '}', '\n'});
        Cli result = Cli.run("verify-stream", "--stream", bad.toString(), "--key", LOG.verifierKey(), "--origin",
                LogFixture.ORIGIN);
        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("FAIL: --stream " + bad + " is not valid UTF-8\n");
        List<String> lines = clean();
        lines.add(2, "{\"kind\":\"event\",\"x\":\"" + "y".repeat(StreamRecordFormat.MAX_LINE_CHARS) + "\"}");
        failsWith(verify(lines), "line 3: not a stream record: the line is longer than 1048576 characters\n");
    }
}
