package io.stenographer.verifier;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** verify-bundle on a real bundle, then on copies with exactly one byte flipped. */
class VerifyBundleCommandTest {

    private static final LogFixture LOG = new LogFixture(45);

    @TempDir
    static Path dir;
    private static Path bundle;
    private static byte[] bytes;
    private static String text;

    @BeforeAll
    static void writeBundle() throws IOException {
        // Leaves 3..39 of a 45-leaf tree; the payloads of 5, 12, 19, 26 and 33 were purged.
        bundle = LOG.writeBundle(dir.resolve("acme.ndjson"), 3, 40, i -> i % 7 == 5);
        bytes = Files.readAllBytes(bundle);
        text = new String(bytes, StandardCharsets.UTF_8);
    }

    private static Cli verify(Path file, String... extra) {
        String[] base = {"verify-bundle", "--bundle", file.toString(), "--key", LOG.verifierKey()};
        String[] origin = List.of(extra).contains("--origin") ? new String[0]
                : new String[] {"--origin", LogFixture.ORIGIN};
        return Cli.run(Stream.of(base, origin, extra).flatMap(Stream::of).toArray(String[]::new));
    }

    @Test
    void aGenuineBundleVerifies() {
        Cli result = verify(bundle, "--origin", LogFixture.ORIGIN);
        assertThat(result.exit()).as(result.toString()).isZero();
        assertThat(result.out()).isEqualTo("OK: 37 entries, 32 events, 5 purged; all proofs verify against "
                + "checkpoint size 45 of example/acme\n");
        assertThat(result.err()).isEmpty();
        assertThat(verify(bundle).exit()).isZero(); // --origin is optional
    }

    @Test
    void theKeyMayComeFromAFile() throws IOException {
        Path key = Files.writeString(dir.resolve("acme.vkey"), LOG.verifierKey() + "\n");
        Cli result = Cli.run("verify-bundle", "--bundle", bundle.toString(), "--key", key.toString(), "--origin",
                LogFixture.ORIGIN);
        assertThat(result.exit()).as(result.toString()).isZero();
    }

    @Test
    void anotherKeyOrOriginFails() {
        LogFixture other = new LogFixture(1);
        Cli wrongKey = Cli.run("verify-bundle", "--bundle", bundle.toString(), "--key", other.verifierKey(),
                "--origin", LogFixture.ORIGIN);
        assertThat(wrongKey.exit()).isEqualTo(1);
        assertThat(wrongKey.err()).contains("FAIL: line 1: checkpoint signature does not verify with key example/acme+"
                + other.signer.verifier().keyIdHex() + ": checkpoint carries no signature by a key in the key set\n");
        Cli wrongOrigin = verify(bundle, "--origin", "example/globex");
        assertThat(wrongOrigin.exit()).isEqualTo(1);
        assertThat(wrongOrigin.err()).isEqualTo(
                "FAIL: line 1: header origin 'example/acme' is not the expected origin 'example/globex'\n"
                        + "FAILED: 1 failure (37 entries, 32 events, 5 purged read) in " + bundle + "\n");
    }

    static Stream<Arguments> singleByteFlips() {
        String signatureLine = "\u2014 example/acme ";
        String event9 = LOG.events.get(9).id().toString();
        String event17 = LOG.events.get(17).id().toString();
        String purged12 = "\"index\":12,\"leafHash\":\"";
        return Stream.of(
                flip("header: origin", "\"origin\":\"example", 10,
                        "FAIL: line 1: header origin 'dxample/acme' is not the expected origin 'example/acme'"),
                flip("header: tenant", "\"tenant\":\"acme", 11,
                        "(event " + event9 + "): event tenant 'acme' is not the bundle tenant 'abme'"),
                flip("header: from", "\"from\":3", 7,
                        "FAIL: line 2: entry index 3 (event " + LOG.events.get(3).id()
                                + "): the first entry has index 3, but the header range starts at 2"),
                flip("header: to", "\"to\":40", 6,
                        "FAIL: line 39: end line count 37 does not match the header range [3, 41), which holds "
                                + "38 entries"),
                flip("header: treeSize", "\"treeSize\":45", 12,
                        "FAIL: line 1: checkpoint tree size 45 does not match header treeSize 44"),
                flip("header: verifierKey", "\"verifierKey\":\"example/acme+", 30,
                        "FAIL: line 1: header verifierKey '"),
                flip("header: checkpoint size", "example/acme\\n45", 15,
                        "FAIL: line 1: checkpoint signature does not verify with key example/acme+"),
                flip("header: checkpoint root", "example/acme\\n45\\n", 25,
                        "FAIL: line 1: checkpoint signature does not verify with key example/acme+"),
                flip("header: checkpoint signature", signatureLine, Cli.base64FlipOffset(text,
                        text.indexOf(signatureLine) + signatureLine.length() + 30) - text.indexOf(signatureLine),
                        "FAIL: line 1: checkpoint signature does not verify with key example/acme+"),
                flip("event: actor id", "\"id\":\"officer-17\"", 15,
                        "FAIL: line 16: entry index 17 (event " + event17 + "): leaf hash does not match the event"),
                flip("event: receivedAt", "\"receivedAt\":\"2026-03-01T09:00:09", 33,
                        "FAIL: line 8: entry index 9 (event " + event9 + "): leaf hash does not match the event"),
                flip("event: id", "\"id\":\"" + event9, 10,
                        "): leaf hash does not match the event"),
                flip("event: metadata number", "\"fields\":8", 9,
                        "FAIL: line 7: entry index 8 (event " + LOG.events.get(8).id()
                                + "): leaf hash does not match the event"),
                flip("entry: leaf hash of an event", "\"index\":9,\"leafHash\":\"", 40,
                        "FAIL: line 8: entry index 9 (event " + event9 + "): leaf hash does not match the event"),
                flip("entry: leaf hash of a purged entry", purged12, purged12.length() + 5,
                        "FAIL: line 11: entry index 12 (purged): inclusion proof does not lead to the root of "
                                + "checkpoint size 45"),
                flip("entry: inclusion proof hash", "{\"inclusionProof\":[\"", 25,
                        "FAIL: line 4: entry index 5 (purged): inclusion proof does not lead to the root of "
                                + "checkpoint size 45"),
                flip("entry: index", "\"index\":21,", 9,
                        "FAIL: line 20: entry index 20 (event " + LOG.events.get(21).id()
                                + "): index 20 where index 21 was expected: entries must run contiguously from 3"),
                flip("entry: type", "\"type\":\"entry\"", 8, "unknown line type 'dntry'"),
                flip("end: count", "{\"count\":37", 10,
                        "FAIL: line 39: end line count 36 does not match the 37 entry lines"),
                flip("line break", "\"type\":\"entry\"}\n", 15, "FAIL: line 2: not valid JSON: "),
                flip("final newline", "\"type\":\"end\"}\n", 13,
                        "FAIL: line 39: the last line does not end with a newline"));
    }

    private static Arguments flip(String what, String anchor, int offset, String expected) {
        int at = text.indexOf(anchor);
        assertThat(at).as("anchor %s", anchor).isNotNegative();
        int position = new String(bytes, StandardCharsets.UTF_8).substring(0, at + offset)
                .getBytes(StandardCharsets.UTF_8).length;
        return Arguments.of(what, position, expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("singleByteFlips")
    void oneFlippedByteFailsWithAPreciseMessage(String what, int position, String expected) throws IOException {
        byte[] tampered = bytes.clone();
        tampered[position] ^= 0x01;
        Path file = Files.write(dir.resolve("tampered.ndjson"), tampered);
        Cli result = verify(file, "--origin", LogFixture.ORIGIN);
        assertThat(result.exit()).as(result.toString()).isEqualTo(1);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).as(result.toString()).contains(expected).contains("FAILED: ");
    }

    @Test
    void aFlippedByteAnywhereFails() throws IOException {
        // Every 127th byte, several per line, across all line kinds (the domain tests flip every
        // byte of a smaller bundle).
        for (int position = 0; position < bytes.length; position += 127) {
            byte[] tampered = bytes.clone();
            tampered[position] ^= 0x01;
            Path file = Files.write(dir.resolve("flip.ndjson"), tampered);
            Cli result = verify(file, "--origin", LogFixture.ORIGIN);
            assertThat(result.exit()).as("flip at byte %d\n%s", position, result).isEqualTo(1);
            assertThat(result.err()).as("flip at byte %d", position).startsWith("FAIL: ");
        }
    }

    @Test
    void aTruncatedBundleFails() throws IOException {
        Path file = Files.writeString(dir.resolve("truncated.ndjson"), text.substring(0, text.lastIndexOf("{\"count\"")));
        Cli result = verify(file);
        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.err()).contains("FAIL: the bundle ends after line 38 without an end line: it is truncated");
    }
}
