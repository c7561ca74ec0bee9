package io.stenographer.verifier;

import static org.assertj.core.api.Assertions.assertThat;

import io.stenographer.domain.bundle.TlogProof;
import io.stenographer.domain.event.AuditEvent;
import io.stenographer.domain.event.SealedEventFormat;
import io.stenographer.domain.json.CanonicalJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** verify-proof: a c2sp.org/tlog-proof@v1 file for one sealed event. */
class VerifyProofCommandTest {

    private static final LogFixture LOG = new LogFixture(21);
    private static final int INDEX = 13;

    @TempDir
    static Path dir;
    private static Path proofFile;
    private static Path eventFile;
    private static String proofText;
    private static AuditEvent event;

    @BeforeAll
    static void writeFiles() throws IOException {
        event = LOG.events.get(INDEX);
        proofText = TlogProof.of(LOG.tree.inclusionProof(INDEX, 21), LOG.checkpoint(21)).serialize();
        proofFile = Files.writeString(dir.resolve("event-13.tlog-proof"), proofText);
        // Pretty-printed on purpose: the leaf hash is taken over the canonical form, not the file's bytes.
        eventFile = Files.writeString(dir.resolve("event-13.json"),
                CanonicalJson.canonicalize(SealedEventFormat.toJson(event)).replace(",\"", ",\n  \""));
    }

    private static Cli verify(Path proof, String... subject) {
        return Cli.run(Stream.concat(Stream.of("verify-proof", "--proof", proof.toString(), "--origin",
                LogFixture.ORIGIN, "--key", LOG.verifierKey()), Stream.of(subject)).toArray(String[]::new));
    }

    @Test
    void verifiesBySealedEventAndByLeafHash() {
        Cli byEvent = verify(proofFile, "--event", eventFile.toString());
        assertThat(byEvent.exit()).as(byEvent.toString()).isZero();
        assertThat(byEvent.out()).isEqualTo("OK: event " + event.id() + ": leaf hash " + event.leafHash().hex()
                + " is at index 13 in checkpoint size 21 of example/acme\n");
        Cli byHash = verify(proofFile, "--leaf-hash", event.leafHash().hex());
        assertThat(byHash.exit()).as(byHash.toString()).isZero();
        assertThat(byHash.out()).startsWith("OK: leaf hash " + event.leafHash().hex() + " is at index 13");
    }

    @Test
    void anAlteredEventFails() throws IOException {
        Path altered = Files.writeString(dir.resolve("altered.json"),
                Files.readString(eventFile).replace("officer-13", "officer-31"));
        Cli result = verify(proofFile, "--event", altered.toString());
        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.err()).startsWith("FAIL: event " + event.id() + ": inclusion proof for leaf hash ")
                .endsWith(" at index 13 does not lead to the root of checkpoint size 21 of example/acme\n");
    }

    @Test
    void anotherEventsHashOrAWrongOriginFails() {
        Cli other = verify(proofFile, "--leaf-hash", LOG.events.get(12).leafHash().hex());
        assertThat(other.exit()).isEqualTo(1);
        assertThat(other.err()).contains("does not lead to the root of checkpoint size 21");
        Cli origin = Cli.run("verify-proof", "--proof", proofFile.toString(), "--leaf-hash",
                event.leafHash().hex(), "--origin", "example/globex", "--key", LOG.verifierKey());
        assertThat(origin.exit()).isEqualTo(1);
        assertThat(origin.err()).isEqualTo(
                "FAIL: checkpoint origin 'example/acme' is not the expected origin 'example/globex'\n");
    }

    @Test
    void aFileThatIsNotASealedEventFails() throws IOException {
        Path notJson = Files.writeString(dir.resolve("not.json"), "{\"id\":");
        assertThat(verify(proofFile, "--event", notJson.toString()).err())
                .startsWith("FAIL: --event " + notJson + " is not valid JSON: ");
        Path notSealed = Files.writeString(dir.resolve("unsealed.json"), "{\"format\":\"stenographer.event/v1\"}");
        assertThat(verify(proofFile, "--event", notSealed.toString()).err())
                .isEqualTo("FAIL: --event " + notSealed + " is not a valid sealed event: actor: is required\n");
    }

    static Stream<Arguments> singleByteFlips() {
        String signature = "\u2014 example/acme ";
        return Stream.of(
                Arguments.of("header line", offset("c2sp.org/tlog-proof@v1", 5),
                        "is not a valid tlog-proof: tlog-proof line 1 must be 'c2sp.org/tlog-proof@v1'"),
                Arguments.of("index", offset("index 13", 7),
                        "inclusion proof for leaf hash " + event.leafHash().hex() + " at index 12 does not lead"),
                Arguments.of("proof hash", offset("index 13\n", 9 + 10),
                        "inclusion proof for leaf hash " + event.leafHash().hex() + " at index 13 does not lead"),
                Arguments.of("checkpoint size", offset("example/acme\n21", 14),
                        ": checkpoint signature does not verify with key example/acme+"),
                Arguments.of("checkpoint root", offset("example/acme\n21\n", 20),
                        ": checkpoint signature does not verify with key example/acme+"),
                Arguments.of("checkpoint signature", offset(signature, Cli.base64FlipOffset(proofText,
                        proofText.indexOf(signature) + signature.length() + 40) - proofText.indexOf(signature)),
                        ": checkpoint signature does not verify with key example/acme+"),
                Arguments.of("empty separator line", offset("\n\nexample/acme", 1),
                        "is not a valid tlog-proof: "));
    }

    private static int offset(String anchor, int plus) {
        int at = proofText.indexOf(anchor);
        assertThat(at).as(anchor).isNotNegative();
        return proofText.substring(0, at + plus).getBytes(StandardCharsets.UTF_8).length;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("singleByteFlips")
    void oneFlippedByteFailsWithAPreciseMessage(String what, int position, String expected) throws IOException {
        byte[] tampered = proofText.getBytes(StandardCharsets.UTF_8);
        tampered[position] ^= 0x01;
        Path file = Files.write(dir.resolve("tampered.tlog-proof"), tampered);
        Cli result = verify(file, "--event", eventFile.toString());
        assertThat(result.exit()).as(result.toString()).isEqualTo(1);
        assertThat(result.err()).as(result.toString()).contains(expected);
    }

    @Test
    void everyFlippedByteOfTheProofFails() throws IOException {
        byte[] original = proofText.getBytes(StandardCharsets.UTF_8);
        for (int position = 0; position < original.length; position++) {
            byte[] tampered = original.clone();
            tampered[position] ^= 0x01;
            Path file = Files.write(dir.resolve("flip.tlog-proof"), tampered);
            Cli result = verify(file, "--leaf-hash", event.leafHash().hex());
            assertThat(result.exit()).as("flip at byte %d\n%s", position, result).isEqualTo(1);
            assertThat(result.err()).startsWith("FAIL: ");
        }
    }
}
