package io.stenographer.domain.bundle;

import static io.stenographer.domain.bundle.BundleFixture.bytes;
import static io.stenographer.domain.bundle.BundleFixture.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stenographer.domain.checkpoint.Checkpoint;
import io.stenographer.domain.checkpoint.Ed25519Keys;
import io.stenographer.domain.checkpoint.NoteSigner;
import io.stenographer.domain.checkpoint.NoteVerifier;
import io.stenographer.domain.event.SealedEventFormat;
import io.stenographer.domain.json.CanonicalJson;
import io.stenographer.domain.json.JsonObject;
import io.stenographer.domain.json.JsonParser;
import io.stenographer.domain.json.JsonString;
import io.stenographer.domain.json.JsonValue;
import io.stenographer.domain.merkle.Hash;
import io.stenographer.domain.merkle.MerkleHashes;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BundleVerifierTest {

    private static final BundleFixture LOG = new BundleFixture(45);

    private static BundleVerification verify(byte[] bundle) {
        return verify(bundle, LOG.signer.verifier(), BundleFixture.ORIGIN);
    }

    private static BundleVerification verify(byte[] bundle, NoteVerifier key, String origin) {
        try {
            return new BundleVerifier(key, origin).verify(new ByteArrayInputStream(bundle));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Replaces one member of line {@code n} (1-based), keeping the line canonical. */
    private static byte[] withMember(byte[] bundle, int n, String name, JsonValue value) {
        List<String> lines = BundleFixture.lines(bundle);
        JsonObject line = (JsonObject) JsonParser.parse(lines.get(n - 1), 64);
        Map<String, JsonValue> members = new LinkedHashMap<>(line.members());
        if (value == null) {
            members.remove(name);
        } else {
            members.put(name, value);
        }
        lines.set(n - 1, CanonicalJson.canonicalize(new JsonObject(members)));
        return BundleFixture.join(lines);
    }

    @Test
    void aFaithfulBundleVerifies() {
        byte[] bundle = LOG.bundle(3, 40, i -> i % 7 == 5);
        BundleVerification result = verify(bundle);
        assertThat(result.failures()).isEmpty();
        assertThat(result.ok()).isTrue();
        assertThat(result.entries()).isEqualTo(37);
        assertThat(result.purged()).isEqualTo(5); // 5, 12, 19, 26, 33
        assertThat(result.eventsPresent()).isEqualTo(32);
        assertThat(result.summary()).isEqualTo(
                "OK: 37 entries, 32 events, 5 purged; all proofs verify against checkpoint size 45 of example/acme");
        // Without an expected origin the trusted key alone decides.
        assertThat(verify(bundle, LOG.signer.verifier(), null).ok()).isTrue();
    }

    @Test
    void linesAreCanonicalAndFollowTheDocumentedShape() {
        List<String> lines = BundleFixture.lines(LOG.bundle(0, 2, i -> i == 1));
        assertThat(lines).hasSize(5).last().isEqualTo(""); // final newline
        assertThat(lines.get(0)).startsWith("{\"checkpoint\":\"example/acme\\n45\\n")
                .contains("\"format\":\"stenographer.bundle/v1\"", "\"from\":0", "\"to\":2", "\"treeSize\":45",
                        "\"tenant\":\"acme\"", "\"type\":\"header\"", "\"verifierKey\":\"" + LOG.verifierKey() + "\"");
        JsonObject entry = (JsonObject) JsonParser.parse(lines.get(1), 64);
        assertThat(entry.members().keySet()).containsExactly("event", "inclusionProof", "index", "leafHash", "type");
        JsonObject event = (JsonObject) entry.get("event");
        assertThat(event).isEqualTo(SealedEventFormat.toJson(LOG.events.get(0)));
        assertThat(((JsonString) entry.get("leafHash")).value())
                .isEqualTo(MerkleHashes.leafHash(CanonicalJson.canonicalBytes(event)).hex())
                .isEqualTo(LOG.events.get(0).leafHash().hex());
        assertThat(lines.get(2)).startsWith("{\"inclusionProof\":[\"").doesNotContain("\"event\"")
                .endsWith("\"index\":1,\"leafHash\":\"" + LOG.tree.leafHash(1).hex() + "\",\"type\":\"entry\"}");
        assertThat(lines.get(3)).isEqualTo("{\"count\":2,\"type\":\"end\"}");
        for (String line : lines.subList(0, 4)) {
            assertThat(CanonicalJson.canonicalize(JsonParser.parse(line, 64))).isEqualTo(line);
        }
    }

    @Test
    void emptyRangesAndTheEmptyTreeVerify() {
        assertThat(verify(LOG.bundle(45, 45, i -> false)).summary())
                .isEqualTo("OK: 0 entries, 0 events, 0 purged; all proofs verify against checkpoint size 45 of example/acme");
        BundleFixture empty = new BundleFixture(0);
        assertThat(verify(empty.bundle(0, 0, i -> false), empty.signer.verifier(), null).failures()).isEmpty();
        BundleFixture single = new BundleFixture(1);
        assertThat(verify(single.bundle(0, 1, i -> false), single.signer.verifier(), null).failures()).isEmpty();
    }

    @Test
    void namesTheEntryWhoseEventWasAltered() {
        byte[] bundle = LOG.bundle(0, 45, i -> false);
        String id = LOG.events.get(17).id().toString();
        String original = text(bundle);
        String altered = original.replace("\"id\":\"user-17\"", "\"id\":\"user-71\"");
        assertThat(altered).isNotEqualTo(original);
        assertThat(verify(bytes(altered)).failures())
                .containsExactly("line 19: entry index 17 (event " + id + "): leaf hash does not match the event");
    }

    @Test
    void reportsAWrongCheckpointSignatureAndStillChecksTheProofs() {
        NoteSigner other = new NoteSigner(BundleFixture.ORIGIN, Ed25519Keys.generate().getPrivate());
        BundleVerification result = verify(LOG.bundle(0, 45, i -> false), other.verifier(), null);
        assertThat(result.failures()).containsExactly(
                "line 1: header verifierKey '" + LOG.verifierKey() + "' is not the trusted key '"
                        + other.verifier().toVerifierKey() + "'",
                "line 1: checkpoint signature does not verify with key example/acme+" + other.verifier().keyIdHex()
                        + ": checkpoint carries no signature by a key in the key set");
        assertThat(result.summary()).isEqualTo("FAILED: 2 failures (45 entries, 45 events, 0 purged read)");
    }

    @Test
    void rejectsABundleFromAnotherLog() {
        assertThat(verify(LOG.bundle(0, 3, i -> false), LOG.signer.verifier(), "example/other").failures())
                .containsExactly("line 1: header origin 'example/acme' is not the expected origin 'example/other'");
    }

    @Test
    void aCheckpointForAnotherTreeBreaksEveryProof() {
        // A correctly signed checkpoint, but of a different tree: the proofs cannot reach its root.
        BundleFixture other = new BundleFixture(45, 7);
        String forged = Checkpoint.of(BundleFixture.ORIGIN, 45, other.tree.root()).sign(LOG.signer).serialize();
        byte[] bundle = withMember(LOG.bundle(0, 2, i -> false), 1, "checkpoint", new JsonString(forged));
        assertThat(verify(bundle).failures()).containsExactly(
                "line 2: entry index 0 (event " + LOG.events.get(0).id()
                        + "): inclusion proof does not lead to the root of checkpoint size 45",
                "line 3: entry index 1 (event " + LOG.events.get(1).id()
                        + "): inclusion proof does not lead to the root of checkpoint size 45");
    }

    @Test
    void detectsMissingDuplicatedAndSwappedEntries() {
        byte[] bundle = LOG.bundle(10, 20, i -> false);
        List<String> lines = BundleFixture.lines(bundle);

        List<String> missing = new ArrayList<>(lines);
        missing.remove(5); // index 14
        assertThat(verify(BundleFixture.join(missing)).failures()).containsExactly(
                "line 6: entry index 15 (event " + LOG.events.get(15).id()
                        + "): index 15 where index 14 was expected: entries must run contiguously from 10",
                "line 11: end line count 10 does not match the 9 entry lines");

        List<String> duplicated = new ArrayList<>(lines);
        duplicated.add(6, lines.get(5));
        assertThat(verify(BundleFixture.join(duplicated)).failures()).first().asString()
                .isEqualTo("line 7: entry index 14 (event " + LOG.events.get(14).id()
                        + "): index 14 where index 15 was expected: entries must run contiguously from 10");

        List<String> lastMissing = new ArrayList<>(lines);
        lastMissing.remove(10); // index 19
        lastMissing.set(10, "{\"count\":9,\"type\":\"end\"}");
        assertThat(verify(BundleFixture.join(lastMissing)).failures()).containsExactly(
                "line 11: end line count 9 does not match the header range [10, 20), which holds 10 entries",
                "line 11: entries 19 to 19 are missing before the end line");
    }

    @Test
    void detectsTruncationTrailingContentAndBrokenLines() {
        byte[] bundle = LOG.bundle(0, 3, i -> false);
        List<String> lines = BundleFixture.lines(bundle);
        assertThat(verify(BundleFixture.join(lines.subList(0, 3))).failures()).containsExactly(
                "line 3: the last line does not end with a newline",
                "the bundle ends after line 3 without an end line: it is truncated");
        assertThat(verify(bytes(text(bundle) + "{}\n")).failures())
                .containsExactly("line 6: content after the end line");
        assertThat(verify(bytes(text(bundle).replaceFirst("\n", "\r\n"))).failures())
                .containsExactly("line 1: ends with CR: lines must end with LF only");
        assertThat(verify(bytes(text(bundle).replace("{\"count\":3,", "{ \"count\":3,"))).failures())
                .containsExactly("line 5: not in RFC 8785 canonical form");
        assertThat(verify(new byte[0]).failures()).containsExactly("the bundle is empty: there is no header line");
        assertThat(verify(bytes("not json\n")).failures()).containsExactly(
                "line 1: not valid JSON: invalid literal, expected 'null' (at offset 0)",
                "line 1: the header is unreadable, so no entry can be checked");
        List<String> broken = new ArrayList<>(lines);
        broken.set(2, broken.get(2).substring(0, 40));
        assertThat(verify(BundleFixture.join(broken)).failures()).containsExactly(
                "line 3: not valid JSON: unexpected end of input, expected a member name or '}' (at offset 40)",
                "line 5: end line count 3 does not match the 2 entry lines");
    }

    @Test
    void rejectsAnEventOfAnotherTenantEvenWithAMatchingHash() {
        BundleFixture log = new BundleFixture(3);
        byte[] bundle = log.bundle(0, 3, i -> false);
        String header = BundleFixture.lines(bundle).get(0);
        String retargeted = text(bundle).replace(header,
                CanonicalJson.canonicalize(withTenant((JsonObject) JsonParser.parse(header, 64), "globex")));
        assertThat(verify(bytes(retargeted), log.signer.verifier(), null).failures())
                .hasSize(3).allSatisfy(failure -> assertThat(failure)
                        .contains("event tenant 'acme' is not the bundle tenant 'globex'"));
    }

    private static JsonObject withTenant(JsonObject header, String tenant) {
        Map<String, JsonValue> members = new LinkedHashMap<>(header.members());
        members.put("tenant", new JsonString(tenant));
        return new JsonObject(members);
    }

    @Test
    void rejectsEventsThatAreNotInSealedForm() {
        byte[] bundle = LOG.bundle(0, 1, i -> false);
        JsonObject entry = (JsonObject) JsonParser.parse(BundleFixture.lines(bundle).get(1), 64);
        JsonObject event = (JsonObject) entry.get("event");
        Map<String, JsonValue> actor = new LinkedHashMap<>(((JsonObject) event.get("actor")).members());
        actor.put("role", new JsonString("admin")); // fromJson ignores nested extras; the hash would not
        Map<String, JsonValue> members = new LinkedHashMap<>(event.members());
        members.put("actor", new JsonObject(actor));
        JsonObject altered = new JsonObject(members);
        Map<String, JsonValue> entryMembers = new LinkedHashMap<>(entry.members());
        entryMembers.put("event", altered);
        entryMembers.put("leafHash", new JsonString(MerkleHashes.leafHash(CanonicalJson.canonicalBytes(altered)).hex()));
        byte[] rehashed = withMember(withMember(bundle, 2, "event", altered), 2, "leafHash",
                entryMembers.get("leafHash"));
        assertThat(verify(rehashed).failures()).contains("line 2: entry index 0 (event " + LOG.events.get(0).id()
                + "): event is not in sealed form: reading and re-sealing its fields changes it "
                + "(a non-canonical timestamp or an unknown nested member)");

        byte[] invalid = withMember(bundle, 2, "event", new JsonObject(Map.of("format", new JsonString("x"))));
        assertThat(verify(invalid).failures()).contains("line 2: entry index 0 (event without a readable id): "
                + "event is not a valid sealed event: format: must be stenographer.event/v1 or stenographer.event/v2");
    }

    @Test
    void checksEveryMemberOfEveryLine() {
        byte[] bundle = LOG.bundle(0, 2, i -> false);
        String entry0 = "line 2: entry index 0 (event " + LOG.events.get(0).id() + "): ";
        assertThat(verify(withMember(bundle, 2, "leafHash", new JsonString(LOG.tree.leafHash(0).hex().toUpperCase())))
                .failures()).containsExactly(entry0 + "leafHash is not 64 lowercase hex digits");
        assertThat(verify(withMember(bundle, 2, "inclusionProof", null)).failures())
                .containsExactly(entry0 + "entry has no 'inclusionProof'");
        assertThat(verify(withMember(bundle, 2, "extra", JsonString.class.cast(new JsonString("x")))).failures())
                .containsExactly(entry0 + "entry has unexpected member 'extra'");
        assertThat(verify(withMember(bundle, 1, "format", new JsonString("stenographer.bundle/v2"))).failures())
                .containsExactly("line 1: header format 'stenographer.bundle/v2' is not stenographer.bundle/v1");
        assertThat(verify(withMember(bundle, 1, "to", new io.stenographer.domain.json.JsonNumber(46))).failures())
                .containsExactly("line 1: header range is invalid: it needs from <= to <= treeSize, but from is 0, "
                        + "to is 46 and treeSize is 45");
        assertThat(verify(withMember(bundle, 1, "treeSize", new io.stenographer.domain.json.JsonNumber(44)))
                .failures()).containsExactly("line 1: checkpoint tree size 45 does not match header treeSize 44");
        assertThat(verify(withMember(bundle, 4, "count", new io.stenographer.domain.json.JsonNumber(2.5)))
                .failures()).containsExactly("line 4: 'count' in the end line must be an integer from 0 to 2^53");
        // Control characters from the bundle never reach a terminal raw.
        assertThat(verify(withMember(bundle, 1, "origin", new JsonString("evil\u001b[2Jlog"))).failures())
                .contains("line 1: header origin 'evil\\u001b[2Jlog' is not the expected origin 'example/acme'");
    }

    @Test
    void aWrongProofNamesTheEntry() {
        byte[] bundle = LOG.bundle(0, 45, i -> i == 30);
        JsonObject entry = (JsonObject) JsonParser.parse(BundleFixture.lines(bundle).get(31), 64);
        List<JsonValue> path = new ArrayList<>(((io.stenographer.domain.json.JsonArray) entry.get("inclusionProof"))
                .elements());
        path.set(2, new JsonString(LOG.tree.leafHash(3).base64()));
        assertThat(verify(withMember(bundle, 32, "inclusionProof", new io.stenographer.domain.json.JsonArray(path)))
                .failures()).containsExactly(
                        "line 32: entry index 30 (purged): inclusion proof does not lead to the root of checkpoint size 45");
        path.remove(0);
        assertThat(verify(withMember(bundle, 32, "inclusionProof", new io.stenographer.domain.json.JsonArray(path)))
                .failures()).containsExactly("line 32: entry index 30 (purged): inclusion proof has 5 hashes, "
                        + "the wrong number for index 30 in a tree of size 45");
    }

    @Test
    void stopsAfterAHundredFailures() {
        BundleFixture log = new BundleFixture(300);
        String tampered = text(log.bundle(0, 300, i -> false)).replace("\"application\":\"background-check-portal\"",
                "\"application\":\"background-check-portaI\"");
        BundleVerification result = verify(bytes(tampered), log.signer.verifier(), null);
        assertThat(result.failures()).hasSize(BundleVerifier.MAX_FAILURES + 1);
        assertThat(result.failures().get(99)).startsWith("line 101: entry index 99 (event ");
        assertThat(result.failures().get(100))
                .isEqualTo("stopped after 100 failures; the rest of the bundle was not checked");
        assertThat(result.stoppedEarly()).isTrue();
        assertThat(result.entries()).isEqualTo(100);
        assertThat(result.summary()).startsWith("FAILED: more than 100 failures, stopped");
    }

    @Test
    void rejectsOverlongLinesWithoutKeepingThem() {
        byte[] bundle = LOG.bundle(0, 1, i -> false);
        String huge = "{\"type\":\"entry\",\"x\":\"" + "a".repeat(BundleVerifier.MAX_LINE_BYTES) + "\"}";
        List<String> lines = BundleFixture.lines(bundle);
        lines.add(2, huge);
        assertThat(verify(BundleFixture.join(lines)).failures()).first().asString()
                .isEqualTo("line 3: longer than the limit of 1048576 bytes");
    }

    @Test
    void theWriterEnforcesOrderAndRanges() throws IOException {
        StringWriter out = new StringWriter();
        BundleWriter writer = new BundleWriter(out);
        assertThatThrownBy(() -> writer.entry(0, LOG.tree.leafHash(0), LOG.events.get(0), LOG.tree.inclusionProof(0, 45)))
                .isInstanceOf(IllegalStateException.class);
        writer.header(LOG.header(2, 4));
        assertThat(out.toString()).endsWith("}\n"); // streamed, not held back
        assertThatThrownBy(() -> writer.header(LOG.header(2, 4))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> writer.entry(3, LOG.tree.leafHash(3), LOG.events.get(3), LOG.tree.inclusionProof(3, 45)))
                .hasMessageContaining("expected index 2");
        assertThatThrownBy(() -> writer.entry(2, LOG.tree.leafHash(2), LOG.events.get(2), LOG.tree.inclusionProof(2, 44)))
                .hasMessageContaining("tree of size 44");
        writer.entry(2, LOG.tree.leafHash(2), LOG.events.get(2), LOG.tree.inclusionProof(2, 45));
        assertThatThrownBy(writer::end).hasMessageContaining("entries 3 to 3 have not been written");
        writer.purged(3, LOG.tree.leafHash(3), LOG.tree.inclusionProof(3, 45));
        assertThatThrownBy(() -> writer.purged(4, LOG.tree.leafHash(4), LOG.tree.inclusionProof(4, 45)))
                .hasMessageContaining("beyond the bundle range [2, 4)");
        writer.end();
        assertThatThrownBy(writer::end).isInstanceOf(IllegalStateException.class);
        assertThat(verify(bytes(out.toString())).ok()).isTrue();
    }

    @Test
    void theHeaderMustBeSelfConsistent() {
        String note = LOG.checkpoint.serialize();
        assertThatThrownBy(() -> new BundleHeader("example/other", BundleFixture.TENANT, 0, 1, 45, note,
                LOG.verifierKey())).hasMessageContaining("checkpoint origin 'example/acme' is not the bundle origin");
        assertThatThrownBy(() -> new BundleHeader(BundleFixture.ORIGIN, BundleFixture.TENANT, 0, 1, 44, note,
                LOG.verifierKey())).hasMessageContaining("checkpoint tree size 45 is not the bundle tree size 44");
        assertThatThrownBy(() -> new BundleHeader(BundleFixture.ORIGIN, BundleFixture.TENANT, 2, 1, 45, note,
                LOG.verifierKey())).hasMessageContaining("0 <= from <= to <= treeSize");
        assertThatThrownBy(() -> new BundleHeader(BundleFixture.ORIGIN, BundleFixture.TENANT, 0, 1, 45, "x",
                LOG.verifierKey())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BundleHeader(BundleFixture.ORIGIN, BundleFixture.TENANT, 0, 1, 45, note,
                "not-a-key")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void everySingleByteFlipIsDetectedAndPinnedToItsLine() {
        BundleFixture log = new BundleFixture(5);
        byte[] bundle = log.bundle(1, 4, i -> i == 2);
        int[] lineOf = new int[bundle.length];
        int line = 1;
        for (int i = 0; i < bundle.length; i++) {
            lineOf[i] = line;
            if (bundle[i] == '\n') {
                line++;
            }
        }
        for (int position = 0; position < bundle.length; position++) {
            // Every byte with the lowest bit flipped; case (0x20) and UTF-8 (0x80) flips on every fourth.
            for (int mask : position % 4 == 0 ? new int[] {0x01, 0x20, 0x80} : new int[] {0x01}) {
                byte[] flipped = bundle.clone();
                flipped[position] ^= (byte) mask;
                BundleVerification result = verify(flipped, log.signer.verifier(), BundleFixture.ORIGIN);
                int at = position;
                assertThat(result.ok()).as("flip 0x%02x at byte %d (line %d)", mask, at, lineOf[at]).isFalse();
                // The header's range is not signed: a flip there surfaces where the range and the
                // entries disagree, and the message then names the header's range.
                assertThat(result.failures()).as("flip 0x%02x at byte %d", mask, at)
                        .anySatisfy(failure -> assertThat(failure).satisfiesAnyOf(
                                f -> assertThat(f).contains("line " + lineOf[at] + ":"),
                                f -> assertThat(lineOf[at]).isOne(),
                                f -> assertThat(f).contains("header range")));
            }
        }
    }

    @Test
    void leafHashesInTheBundleAreTheDomainsLeafHashes() {
        Hash fromEvent = LOG.events.get(9).leafHash();
        assertThat(text(LOG.bundle(9, 10, i -> false))).contains("\"leafHash\":\"" + fromEvent.hex() + "\"");
    }
}
