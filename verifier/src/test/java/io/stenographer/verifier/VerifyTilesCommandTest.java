package io.stenographer.verifier;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.stenographer.domain.checkpoint.Checkpoint;
import io.stenographer.domain.checkpoint.Ed25519Keys;
import io.stenographer.domain.checkpoint.NoteSigner;
import io.stenographer.domain.event.AuditEvent;
import io.stenographer.domain.event.SealedEventFormat;
import io.stenographer.domain.json.CanonicalJson;
import io.stenographer.domain.merkle.Hash;
import io.stenographer.domain.merkle.MerkleHashes;
import io.stenographer.domain.merkle.MerkleTree;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * verify-tiles: a c2sp.org/tlog-tiles log written by this test, tile by tile from the spec's formula (hash i of tile
 * n at level l is MTH(D[(n*256+i)*256^l : (n*256+i+1)*256^l])), not by the domain's tiles code under test.
 */
class VerifyTilesCommandTest {

    private static final int SIZE = 1000;
    /** Its entry is too long for a bundle, so the bundle carries an empty marker. */
    private static final int OVERSIZED = 700;
    private static final String TOKEN = "s3cret-Token_1.2~3+4/5==";

    private static final LogFixture LOG = new LogFixture(SIZE);
    private static final List<byte[]> ENTRIES = new ArrayList<>();
    private static final List<Hash> LEAF_HASHES = new ArrayList<>();

    @TempDir
    static Path temp;
    private static Path good;
    private static Path eventFile;
    private static int copies;

    private static HttpServer server;
    private static final Map<String, Path> SERVED = new ConcurrentHashMap<>();
    private static final List<String> AUTHORIZATIONS = new CopyOnWriteArrayList<>();
    private static final java.util.Set<String> TWO_FACED_SERVED = ConcurrentHashMap.newKeySet();

    @BeforeAll
    static void writeLog() throws IOException {
        for (int i = 0; i < SIZE; i++) {
            byte[] entry = i == OVERSIZED ? "x".repeat(70_000).getBytes(StandardCharsets.UTF_8)
                    : LOG.events.get(i).leafInput();
            ENTRIES.add(entry);
            LEAF_HASHES.add(MerkleHashes.leafHash(entry));
        }
        good = writeTiles(temp.resolve("good"), ENTRIES, LOG.signer);
        AuditEvent event = LOG.events.get(13);
        eventFile = Files.writeString(temp.resolve("event-13.json"),
                CanonicalJson.canonicalize(SealedEventFormat.toJson(event)).replace(",\"", ",\n  \""));
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.stop(0);
        }
    }

    // ---- the log on disk, by the spec -------------------------------------------------------

    /** Tiles, entry bundles and a signed checkpoint for {@code entries}, in the spec's layout under {@code dir}. */
    static Path writeTiles(Path dir, List<byte[]> entries, NoteSigner signer) throws IOException {
        List<Hash> leaves = entries.stream().map(MerkleHashes::leafHash).toList();
        long size = leaves.size();
        for (int level = 0; size >> (8 * level) > 0; level++) {
            long hashesAtLevel = size >> (8 * level);
            long span = 1L << (8 * level);
            for (long n = 0; n * 256 < hashesAtLevel; n++) {
                int width = (int) Math.min(256, hashesAtLevel - n * 256);
                ByteArrayOutputStream tile = new ByteArrayOutputStream();
                for (int i = 0; i < width; i++) {
                    long start = (n * 256 + i) * span;
                    tile.writeBytes(MerkleTree.root(leaves.subList((int) start, (int) (start + span))).bytes());
                }
                write(dir.resolve("tile/" + level + "/" + tilePath(n, width)), tile.toByteArray());
            }
        }
        for (long n = 0; n * 256 < size; n++) {
            int width = (int) Math.min(256, size - n * 256);
            ByteArrayOutputStream bundle = new ByteArrayOutputStream();
            for (int i = 0; i < width; i++) {
                byte[] entry = entries.get((int) (n * 256 + i));
                byte[] carried = entry.length > 0xFFFF ? new byte[0] : entry;
                bundle.write(carried.length >> 8);
                bundle.write(carried.length & 0xFF);
                bundle.writeBytes(carried);
            }
            write(dir.resolve("tile/entries/" + tilePath(n, width)), bundle.toByteArray());
        }
        Files.writeString(dir.resolve("checkpoint"),
                Checkpoint.of(LogFixture.ORIGIN, size, MerkleTree.root(leaves)).sign(signer).serialize());
        return dir;
    }

    /** The spec's {@code <N>[.p/<W>]}: 3-digit groups, all but the last prefixed with x. */
    static String tilePath(long n, int width) {
        StringBuilder path = new StringBuilder(String.format(Locale.ROOT, "%03d", n % 1000));
        for (long rest = n / 1000; rest > 0; rest /= 1000) {
            path.insert(0, String.format(Locale.ROOT, "x%03d/", rest % 1000));
        }
        return path + (width == 256 ? "" : ".p/" + width);
    }

    private static void write(Path file, byte[] bytes) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, bytes);
    }

    /** A fresh copy of the good log, to tamper with. */
    private static Path copyOfGoodLog() throws IOException {
        Path copy = temp.resolve("copy-" + copies++);
        try (Stream<Path> files = Files.walk(good)) {
            for (Path file : files.toList()) {
                Files.copy(file, copy.resolve(good.relativize(file).toString()));
            }
        }
        return copy;
    }

    private static void flipByte(Path file, int offset) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        bytes[offset] ^= 0x01;
        Files.write(file, bytes);
    }

    private static Cli verify(Object source, String... more) {
        return Cli.run(Stream.concat(Stream.of("verify-tiles", "--source", source.toString(), "--origin",
                LogFixture.ORIGIN, "--key", LOG.verifierKey()), Stream.of(more)).toArray(String[]::new));
    }

    private static void assertFails(Cli result, String... messages) {
        assertThat(result.exit()).as(result.toString()).isEqualTo(1);
        assertThat(result.out()).as(result.toString()).isEmpty();
        assertThat(result.err()).as(result.toString()).startsWith("FAIL: ").contains(messages)
                .doesNotContain("Exception", "\tat ");
    }

    private static void assertUsageError(Cli result, String message) {
        assertThat(result.exit()).as(result.toString()).isEqualTo(2);
        assertThat(result.err()).as(result.toString()).startsWith("error: " + message);
    }

    // ---- a good log -------------------------------------------------------------------------

    @Test
    void goodLogHashesToTheCheckpointRoot() {
        Cli result = verify(good);
        assertThat(result.exit()).as(result.toString()).isZero();
        assertThat(result.out()).isEqualTo("OK: the tiles of example/acme hash to the checkpoint root "
                + MerkleTree.root(LEAF_HASHES).base64() + " at tree size 1000 (2 tiles read from " + good + ")\n");
        assertThat(result.err()).isEmpty();
    }

    @Test
    void leafVerifiesWithItsHashFromEachSource() {
        Cli fromBundle = verify(good, "--leaf", "13");
        assertThat(fromBundle.exit()).as(fromBundle.toString()).isZero();
        assertThat(fromBundle.out()).startsWith("OK: leaf 13 (leaf hash " + LEAF_HASHES.get(13).hex()
                + " of its entry in tile/entries/000) is included in the checkpoint of example/acme at tree size "
                + "1000 (an inclusion proof of 10 hashes");

        Cli byHash = verify(good, "--leaf", "13", "--leaf-hash", LEAF_HASHES.get(13).hex());
        assertThat(byHash.exit()).as(byHash.toString()).isZero();
        assertThat(byHash.out()).startsWith("OK: leaf 13 (leaf hash " + LEAF_HASHES.get(13).hex()
                + " from --leaf-hash) is included");

        Cli byEvent = verify(good, "--leaf=13", "--event", eventFile.toString());
        assertThat(byEvent.exit()).as(byEvent.toString()).isZero();
        assertThat(byEvent.out()).startsWith("OK: leaf 13 (event " + LOG.events.get(13).id() + ", leaf hash "
                + LEAF_HASHES.get(13).hex() + ") is included");

        for (String leaf : new String[] {"0", "255", "256", "767", "768", "999"}) {
            Cli edge = verify(good, "--leaf", leaf);
            assertThat(edge.exit()).as(leaf + "\n" + edge).isZero();
            assertThat(edge.out()).startsWith("OK: leaf " + leaf + " (leaf hash ");
        }
    }

    @Test
    void anOversizedEntryIsReportedAsAMarkerNotAFailure() {
        Cli result = verify(good, "--leaf", String.valueOf(OVERSIZED));
        assertThat(result.exit()).as(result.toString()).isZero();
        assertThat(result.out()).startsWith("OK: leaf 700 (leaf hash " + LEAF_HASHES.get(OVERSIZED).hex()
                + " read off tile/0/002; the entry bundle has only a marker for it) is included")
                .contains("NOTE: entry 700 is longer than 65535 bytes, so the entry bundle carries an empty marker "
                        + "instead of it; fetch the event from the event API");
    }

    @Test
    void fullCheckReadsEveryTileAndEntry() {
        Cli result = verify(good, "--full");
        assertThat(result.exit()).as(result.toString()).isZero();
        assertThat(result.out()).startsWith("OK: every tile and entry of example/acme at tree size 1000 matches "
                + "the checkpoint root " + MerkleTree.root(LEAF_HASHES).base64() + "\ntree size 1000, 5 of 5 tiles "
                + "checked, 999 entries checked, 1 oversized-entry markers, ")
                .containsPattern("\\d+\\.\\d\\d s, \\d+ entries/s\n")
                .contains("NOTE: 1 entries are longer than 65535 bytes and carried as empty markers (at index 700)");
    }

    @Test
    void aTreeOfMoreThan65536LeavesHasThreeLevelsOfTiles() throws IOException {
        List<byte[]> entries = new ArrayList<>();
        for (int i = 0; i < 70_000; i++) {
            entries.add(("entry " + i).getBytes(StandardCharsets.UTF_8));
        }
        Path big = writeTiles(temp.resolve("big"), entries, LOG.signer);
        // The spec's example: 273 full level-0 tiles, 1 partial (112), 1 full level-1 tile, 1 partial (17), 1 (1).
        assertThat(big.resolve("tile/0/272")).exists();
        assertThat(big.resolve("tile/0/273.p/112")).exists();
        assertThat(big.resolve("tile/1/000")).exists();
        assertThat(big.resolve("tile/1/001.p/17")).exists();
        assertThat(big.resolve("tile/2/000.p/1")).exists();

        assertThat(verify(big).exit()).isZero();
        for (String leaf : new String[] {"0", "65535", "65536", "69887", "69999"}) {
            Cli result = verify(big, "--leaf", leaf);
            assertThat(result.exit()).as(leaf + "\n" + result).isZero();
        }
        Cli full = verify(big, "--full");
        assertThat(full.exit()).as(full.toString()).isZero();
        assertThat(full.out()).contains("tree size 70000, 277 of 277 tiles checked, 70000 entries checked, "
                + "0 oversized-entry markers");

        // A level-2 hash forged: only the full level-1 tile below it notices, and the root.
        Path level2 = big.resolve("tile/2/000.p/1");
        flipByte(level2, 3);
        assertFails(verify(big, "--full"), "FAIL: tile/1/000 hashes to ", ", but tile/2/000.p/1 holds ",
                " for it at position 0", "the tiles hash to root ");
    }

    // ---- tampered logs ----------------------------------------------------------------------

    @Test
    void aForgedLevelZeroHashFails() throws IOException {
        Path log = copyOfGoodLog();
        flipByte(log.resolve("tile/0/001"), 5 * 32); // leaf 261
        assertFails(verify(log, "--full"),
                "FAIL: entry 261 in tile/entries/001 hashes to " + LEAF_HASHES.get(261).hex()
                        + ", but tile/0/001 holds ",
                "FAIL: tile/0/001 hashes to ", ", but tile/1/000.p/3 holds ", " for it at position 1\n");
        assertFails(verify(log, "--leaf", "261"), "FAIL: entry 261 in tile/entries/001 hashes to ");
        assertFails(verify(log, "--leaf", "262"), "FAIL: the inclusion proof of leaf 262 read off the tiles leads "
                + "to root ", "not the checkpoint root " + MerkleTree.root(LEAF_HASHES).base64()
                        + ": the tiles do not match the checkpoint");
        // The default check only reads the tiles the root is made of, and tile/1/000.p/3 stands for tile/0/001.
        assertThat(verify(log).exit()).isZero();
    }

    @Test
    void aForgedPartialTileOrLevelOneHashFailsTheRoot() throws IOException {
        Path log = copyOfGoodLog();
        flipByte(log.resolve("tile/0/003.p/232"), 0);
        assertFails(verify(log), "FAIL: the tiles hash to root ", ", not the checkpoint root "
                + MerkleTree.root(LEAF_HASHES).base64() + " at tree size 1000\n");

        Path levelOne = copyOfGoodLog();
        flipByte(levelOne.resolve("tile/1/000.p/3"), 31);
        assertFails(verify(levelOne), "FAIL: the tiles hash to root ");
        assertFails(verify(levelOne, "--full"),
                "FAIL: tile/0/000 hashes to ", ", but tile/1/000.p/3 holds ", " for it at position 0\n",
                "FAIL: the tiles hash to root ");
        assertThat(verify(levelOne, "--full").err()).doesNotContain("tile/0/001 hashes to");
    }

    @Test
    void truncatedTilesAndBundlesFail() throws IOException {
        Path log = copyOfGoodLog();
        Path tile = log.resolve("tile/0/002");
        Files.write(tile, Arrays.copyOf(Files.readAllBytes(tile), 8000));
        assertFails(verify(log, "--full"), "FAIL: tile/0/002 is malformed: a tile of width 256 is 8192 bytes, "
                + "got 8000\n");
        assertFails(verify(log, "--leaf", "600"), "FAIL: tile/0/002 is malformed");

        Path partial = log.resolve("tile/0/003.p/232");
        Files.write(partial, Arrays.copyOf(Files.readAllBytes(partial), 232 * 32 + 1));
        assertFails(verify(log), "FAIL: tile/0/003.p/232 is malformed: a tile of width 232 is 7424 bytes, got 7425");

        Path tooLong = copyOfGoodLog();
        Files.write(tooLong.resolve("tile/0/003.p/232"), new byte[8193]);
        assertFails(verify(tooLong), "FAIL: " + tooLong.resolve("tile/0/003.p/232")
                + " is larger than 8192 bytes, more than any tile can be");

        Path bundle = copyOfGoodLog();
        Path entries = bundle.resolve("tile/entries/001");
        byte[] bytes = Files.readAllBytes(entries);
        Files.write(entries, Arrays.copyOf(bytes, bytes.length - 10));
        assertFails(verify(bundle, "--full"), "FAIL: tile/entries/001 is malformed: entry 255 claims ");
        assertFails(verify(bundle, "--leaf", "300"), "FAIL: tile/entries/001 is malformed");

        Path shortBundle = copyOfGoodLog();
        Path first = shortBundle.resolve("tile/entries/000");
        byte[] entry0 = ENTRIES.get(0);
        Files.write(first, Arrays.copyOfRange(Files.readAllBytes(first), 2 + entry0.length,
                (int) Files.size(first)));
        assertFails(verify(shortBundle, "--full"), "FAIL: tile/entries/000 holds 255 entries, not 256\n");
    }

    @Test
    void aSwappedEntryFails() throws IOException {
        Path log = copyOfGoodLog();
        List<byte[]> swapped = new ArrayList<>(ENTRIES.subList(256, 512));
        swapped.set(44, ENTRIES.get(301));
        swapped.set(45, ENTRIES.get(300));
        ByteArrayOutputStream bundle = new ByteArrayOutputStream();
        for (byte[] entry : swapped) {
            bundle.write(entry.length >> 8);
            bundle.write(entry.length & 0xFF);
            bundle.writeBytes(entry);
        }
        Files.write(log.resolve("tile/entries/001"), bundle.toByteArray());
        assertFails(verify(log, "--full"),
                "FAIL: entry 300 in tile/entries/001 hashes to " + LEAF_HASHES.get(301).hex() + ", but tile/0/001 "
                        + "holds " + LEAF_HASHES.get(300).hex() + " for it\n",
                "FAIL: entry 301 in tile/entries/001 hashes to " + LEAF_HASHES.get(300).hex());
        assertFails(verify(log, "--leaf", "301"), "FAIL: entry 301 in tile/entries/001 hashes to ");
        // The tiles themselves are intact: a leaf hash checked against them alone still verifies.
        assertThat(verify(log, "--leaf", "301", "--leaf-hash", LEAF_HASHES.get(301).hex()).exit()).isZero();
    }

    @Test
    void theWrongLeafHashOrEventFails() {
        assertFails(verify(good, "--leaf", "14", "--leaf-hash", LEAF_HASHES.get(13).hex()),
                "FAIL: leaf 14 is not leaf hash " + LEAF_HASHES.get(13).hex() + " from --leaf-hash: the tiles "
                        + "hold leaf hash " + LEAF_HASHES.get(14).hex() + " at index 14, and that one is in the "
                        + "checkpoint\n");
        assertFails(verify(good, "--leaf", "12", "--event", eventFile.toString()),
                "FAIL: leaf 12 is not event " + LOG.events.get(13).id());
    }

    @Test
    void checkpointProblemsFail() throws IOException {
        Path otherKey = copyOfGoodLog();
        NoteSigner stranger = new NoteSigner(LogFixture.ORIGIN, Ed25519Keys.generate().getPrivate());
        Files.writeString(otherKey.resolve("checkpoint"), Checkpoint.of(LogFixture.ORIGIN, SIZE,
                MerkleTree.root(LEAF_HASHES)).sign(stranger).serialize());
        assertFails(verify(otherKey), "FAIL: checkpoint " + otherKey.resolve("checkpoint")
                + ": signature does not verify with key example/acme+");

        Cli wrongOrigin = Cli.run("verify-tiles", "--source", good.toString(), "--origin", "example/other",
                "--key", LOG.verifierKey());
        assertFails(wrongOrigin, "FAIL: checkpoint origin 'example/acme' is not the expected origin "
                + "'example/other'\n");

        Path noCheckpoint = copyOfGoodLog();
        Files.delete(noCheckpoint.resolve("checkpoint"));
        assertFails(verify(noCheckpoint), "FAIL: checkpoint is missing: no such file "
                + noCheckpoint.resolve("checkpoint"));

        Path garbage = copyOfGoodLog();
        Files.writeString(garbage.resolve("checkpoint"), "not a note");
        assertFails(verify(garbage), "FAIL: checkpoint " + garbage.resolve("checkpoint")
                + " is not a valid signed note");
    }

    @Test
    void missingTilesFail() throws IOException {
        Path log = copyOfGoodLog();
        Files.delete(log.resolve("tile/0/001"));
        assertFails(verify(log, "--full"), "FAIL: tile/0/001 is missing: no such file "
                + log.resolve("tile/0/001"));
        assertFails(verify(log, "--leaf", "300"), "FAIL: tile/0/001 is missing");

        Path partial = copyOfGoodLog();
        Files.delete(partial.resolve("tile/0/003.p/232"));
        assertFails(verify(partial), "FAIL: tile/0/003.p/232 is missing: no such file");

        Path bundle = copyOfGoodLog();
        Files.delete(bundle.resolve("tile/entries/000"));
        assertFails(verify(bundle, "--leaf", "5"), "FAIL: tile/entries/000 is missing: no such file");
        assertFails(verify(bundle, "--full"), "FAIL: tile/entries/000 is missing: no such file");
    }

    @Test
    void aDeletedPartialTileIsReadFromTheFullTileThatReplacedIt() throws IOException {
        // A log of 256 entries whose checkpoint says 200: tile/0/000.p/200 is gone, tile/0/000 is there.
        Path log = writeTiles(temp.resolve("grown"), ENTRIES.subList(0, 256), LOG.signer);
        List<Hash> first200 = LEAF_HASHES.subList(0, 200);
        Files.writeString(log.resolve("checkpoint"), Checkpoint.of(LogFixture.ORIGIN, 200,
                MerkleTree.root(first200)).sign(LOG.signer).serialize());
        assertThat(log.resolve("tile/0/000.p/200")).doesNotExist();
        Cli full = verify(log, "--full");
        assertThat(full.exit()).as(full.toString()).isZero();
        assertThat(full.out()).contains("tree size 200, 1 of 1 tiles checked, 200 entries checked");
    }

    @Test
    void leavesOutsideTheTreeAndBadOptions() {
        assertFails(verify(good, "--leaf", "1000"), "FAIL: leaf 1000 is beyond the checkpoint's tree size 1000\n");
        assertUsageError(verify(good, "--leaf", "-1"), "--leaf must be a leaf index (a non-negative decimal "
                + "integer), was '-1'");
        assertUsageError(verify(good, "--leaf", "abc"), "--leaf must be a leaf index");
        assertUsageError(verify(good, "--leaf", "99999999999999999999"), "--leaf must be a leaf index");
        assertUsageError(verify(good, "--leaf", "9999999999999999999"), "--leaf 9999999999999999999 is too large");
        assertUsageError(verify(good, "--leaf-hash", LEAF_HASHES.get(0).hex()),
                "--event and --leaf-hash give the hash of the leaf at --leaf INDEX; give --leaf");
        assertUsageError(verify(good, "--leaf", "1", "--leaf-hash", "00", "--event", "e"),
                "verify-tiles takes at most one of --event and --leaf-hash");
        assertUsageError(verify(good, "--leaf", "1", "--leaf-hash", "xyz"), "--leaf-hash must be 64 hex digits");
        assertUsageError(verify(good, "--leaf", "1", "--full"), "--full checks every leaf; give --leaf without --full");
        assertUsageError(verify(good, "--full=yes"), "--full takes no value");
        assertUsageError(verify(good.resolve("nowhere")), "--source " + good.resolve("nowhere") + ": no such directory");
        assertUsageError(verify(good, "--token-file", eventFile.toString()),
                "--token-file applies only to a URL --source, not to a directory");
        assertUsageError(verify("http://example.com/log"), "--source http://example.com/log is refused: plain http "
                + "is allowed only to localhost or 127.0.0.1; use https");
        assertUsageError(verify("ftp://127.0.0.1/log"), "--source ftp://127.0.0.1/log is neither a directory nor");
        assertUsageError(verify("http://user:pw@127.0.0.1/log"), "--source http://user:pw@127.0.0.1/log must be a "
                + "base URL");
        assertUsageError(verify(good, "--leaf", "1", "--event", temp.resolve("none.json").toString()),
                "--event " + temp.resolve("none.json") + ": no such file");
        assertUsageError(Cli.run("verify-tiles", "--source", good.toString(), "--key", LOG.verifierKey()),
                "verify-tiles needs --origin");
    }

    // ---- over HTTP --------------------------------------------------------------------------

    /**
     * Serves {@code /<name>/...} from the directory registered under name; every request needs the bearer token,
     * and {@code /denied/...} refuses it.
     */
    private static synchronized String serve(String name, Path dir) throws IOException {
        if (server == null) {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/", VerifyTilesCommandTest::answer);
            server.start();
        }
        SERVED.put(name, dir);
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/" + name;
    }

    private static void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            AUTHORIZATIONS.add(String.valueOf(authorization));
            String[] parts = exchange.getRequestURI().getPath().substring(1).split("/", 2);
            if (!("Bearer " + TOKEN).equals(authorization)) {
                reply(exchange, 401, new byte[0]);
            } else if (parts[0].equals("denied")) {
                reply(exchange, 403, new byte[0]);
            } else if (parts[0].equals("two-faced") && parts.length == 2 && !parts[1].equals("checkpoint")) {
                // The first answer for a path from the forged log, every later one from the honest log.
                Path dir = TWO_FACED_SERVED.add(parts[1]) ? SERVED.get("two-faced-first") : good;
                reply(exchange, 200, Files.readAllBytes(dir.resolve(parts[1])));
            } else if (parts[0].equals("huge") && !exchange.getRequestURI().getPath().endsWith("/checkpoint")) {
                reply(exchange, 200, new byte[9000]);
            } else {
                Path dir = SERVED.get(parts[0]);
                Path file = dir == null || parts.length < 2 || parts[1].contains("..") ? null : dir.resolve(parts[1]);
                if (file == null || !Files.isRegularFile(file)) {
                    reply(exchange, 404, new byte[0]);
                } else {
                    reply(exchange, 200, Files.readAllBytes(file));
                }
            }
        }
    }

    private static void reply(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static Path tokenFile() throws IOException {
        return Files.writeString(temp.resolve("token"), TOKEN + "\n");
    }

    @Test
    void aUrlSourceIsFetchedWithTheBearerToken() throws IOException {
        String url = serve("log", good);
        String token = tokenFile().toString();
        AUTHORIZATIONS.clear();
        Cli root = verify(url, "--token-file", token);
        assertThat(root.exit()).as(root.toString()).isZero();
        assertThat(root.out()).contains("(2 tiles read from " + url + "/)");
        Cli leaf = verify(url + "/", "--token-file", token, "--leaf", "300");
        assertThat(leaf.exit()).as(leaf.toString()).isZero();
        Cli full = verify(url, "--token-file", token, "--full");
        assertThat(full.exit()).as(full.toString()).isZero();
        assertThat(full.out()).contains("5 of 5 tiles checked, 999 entries checked");
        assertThat(AUTHORIZATIONS).isNotEmpty().allMatch(("Bearer " + TOKEN)::equals);
        for (Cli result : List.of(root, leaf, full)) {
            assertThat(result.out() + result.err()).doesNotContain(TOKEN);
        }
    }

    @Test
    void aServerThatAnswersTheSameTileDifferentlyTheSecondTimeFails() throws IOException {
        // A forged first tile, with its entries and the level-1 tile that vouches for it, all consistent with each
        // other; the honest level-1 tile, which folds to the signed root, comes on the second request.
        List<byte[]> forgedEntries = new ArrayList<>(ENTRIES);
        forgedEntries.set(7, "a forged event".getBytes(StandardCharsets.UTF_8));
        Path forged = writeTiles(temp.resolve("forged-first-answers"), forgedEntries, LOG.signer);
        serve("two-faced-first", forged);
        String url = serve("two-faced", good);
        TWO_FACED_SERVED.clear();

        Cli full = verify(url, "--token-file", tokenFile().toString(), "--full");

        assertFails(full, "FAIL: tile/1/000.p/3 was served with different contents on two reads");
    }

    @Test
    void httpErrorsAreReportedClearly() throws IOException {
        String url = serve("log", good);
        String token = tokenFile().toString();
        assertFails(verify(url), "FAIL: GET " + url + "/checkpoint returned HTTP 401 (unauthorized: the log needs a "
                + "bearer token, see --token-file)\n");
        String denied = url.replace("/log", "/denied");
        assertFails(verify(denied, "--token-file", token), "FAIL: GET " + denied + "/checkpoint returned HTTP 403 "
                + "(forbidden: no access to this log with this token, or the resource is pruned)\n");

        Path gaps = copyOfGoodLog();
        Files.delete(gaps.resolve("tile/0/003.p/232"));
        String gapsUrl = serve("gaps", gaps);
        assertFails(verify(gapsUrl, "--token-file", token), "FAIL: tile/0/003.p/232 is missing: GET " + gapsUrl
                + "/tile/0/003.p/232 returned HTTP 404 (not found)\n");
        assertFails(verify(url.replace("/log", "/nothing"), "--token-file", token), "FAIL: checkpoint is missing: GET ");

        Path wrongToken = Files.writeString(temp.resolve("wrong-token"), "other");
        assertFails(verify(url, "--token-file", wrongToken.toString()), "returned HTTP 401 (unauthorized: the log "
                + "does not accept the token in --token-file)");
        Path notAToken = Files.writeString(temp.resolve("not-a-token"), "a b\nc");
        assertUsageError(verify(url, "--token-file", notAToken.toString()), "--token-file " + notAToken
                + " does not hold a bearer token");

        String huge = serve("huge", good);
        assertFails(verify(huge, "--token-file", token), "FAIL: " + huge + "/tile/",
                " is larger than 8192 bytes, more than any tile can be\n");

        // A port that was free a moment ago: nothing listens there once its socket is closed.
        int freePort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            freePort = probe.getLocalPort();
        }
        String nowhere = "http://127.0.0.1:" + freePort + "/log";
        assertFails(verify(nowhere, "--token-file", token), "FAIL: GET " + nowhere + "/checkpoint failed: ");
    }
}
