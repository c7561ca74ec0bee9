package io.stenographer.verifier;

import static org.assertj.core.api.Assertions.assertThat;

import io.stenographer.domain.checkpoint.Checkpoint;
import io.stenographer.domain.json.CanonicalJson;
import io.stenographer.domain.json.JsonArray;
import io.stenographer.domain.json.JsonNumber;
import io.stenographer.domain.json.JsonObject;
import io.stenographer.domain.json.JsonString;
import io.stenographer.domain.json.JsonValue;
import io.stenographer.domain.merkle.ConsistencyProof;
import io.stenographer.domain.merkle.Hash;
import io.stenographer.domain.merkle.InMemoryMerkleTree;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** verify-consistency: two signed checkpoints and the proof that the log only grew between them. */
class VerifyConsistencyCommandTest {

    private static final LogFixture LOG = new LogFixture(45);

    @TempDir
    static Path dir;
    private static Path older;
    private static Path newer;
    private static ConsistencyProof proof;

    @BeforeAll
    static void writeCheckpoints() throws IOException {
        older = Files.writeString(dir.resolve("old.note"), LOG.checkpoint(19));
        newer = Files.writeString(dir.resolve("new.note"), LOG.checkpoint(45));
        proof = LOG.tree.consistencyProof(19, 45);
    }

    /** The JSON the API returns (ConsistencyProofResponse), optionally with the extras left out. */
    private static String apiJson(ConsistencyProof proof, boolean full) {
        Map<String, JsonValue> members = new LinkedHashMap<>();
        members.put("fromSize", new JsonNumber(proof.fromSize()));
        members.put("toSize", new JsonNumber(proof.toSize()));
        members.put("proof", new JsonArray(proof.path().stream().map(h -> (JsonValue) new JsonString(h.base64()))
                .toList()));
        if (full) {
            members.put("fromRootHash", new JsonString(LOG.tree.root(proof.fromSize()).base64()));
            members.put("toRootHash", new JsonString(LOG.tree.root(proof.toSize()).base64()));
            members.put("fromCheckpoint", new JsonString(LOG.checkpoint(proof.fromSize())));
            members.put("toCheckpoint", new JsonString(LOG.checkpoint(proof.toSize())));
        }
        return CanonicalJson.canonicalize(new JsonObject(members));
    }

    private static Cli verify(Path old, Path fresh, Path proofFile, String... origin) {
        String[] args = {"verify-consistency", "--old", old.toString(), "--new", fresh.toString(), "--proof",
            proofFile.toString(), "--key", LOG.verifierKey()};
        args = Stream.concat(Arrays.stream(args), Stream.of("--origin",
                origin.length > 0 ? origin[0] : LogFixture.ORIGIN)).toArray(String[]::new);
        return Cli.run(args);
    }

    @Test
    void acceptsTheApiJsonMinimalJsonAndPlainHashes() throws IOException {
        String plain = proof.path().stream().map(Hash::base64).collect(Collectors.joining("\n", "", "\n"));
        for (String content : List.of(apiJson(proof, true), apiJson(proof, false), plain)) {
            Path file = Files.writeString(dir.resolve("proof"), content);
            Cli result = verify(older, newer, file, LogFixture.ORIGIN);
            assertThat(result.exit()).as(result.toString()).isZero();
            assertThat(result.out()).isEqualTo("OK: checkpoint size 19 is consistent with checkpoint size 45 of "
                    + "example/acme (" + proof.path().size() + " proof hashes)\n");
        }
    }

    @Test
    void everyFlippedByteOfTheProofFails() throws IOException {
        byte[] bytes = apiJson(proof, false).getBytes(StandardCharsets.UTF_8);
        for (int position = 0; position < bytes.length; position++) {
            byte[] tampered = bytes.clone();
            tampered[position] ^= 0x01;
            Path file = Files.write(dir.resolve("flipped.json"), tampered);
            Cli result = verify(older, newer, file);
            assertThat(result.exit()).as("flip at byte %d\n%s", position, result).isEqualTo(1);
            assertThat(result.err()).startsWith("FAIL: ");
        }
    }

    @Test
    void aWrongProofHashIsNamed() throws IOException {
        String json = apiJson(proof, false);
        String first = proof.path().get(0).base64();
        String swapped = json.replace(first, LOG.tree.leafHash(0).base64());
        Path file = Files.writeString(dir.resolve("swapped.json"), swapped);
        assertThat(verify(older, newer, file).err()).isEqualTo("FAIL: consistency proof from size 19 to size 45 "
                + "does not verify: it does not show the old tree to be a prefix of the new one\n");
    }

    @Test
    void rewrittenHistoryIsCaught() throws IOException {
        // The same key signs a tree in which leaf 7, inside the old checkpoint, was replaced. Not even
        // that tree's own, honestly computed proof can link it to the old checkpoint.
        InMemoryMerkleTree rewritten = new InMemoryMerkleTree();
        for (int i = 0; i < 45; i++) {
            rewritten.append(i == 7 ? LOG.tree.leafHash(8) : LOG.tree.leafHash(i));
        }
        Path forged = Files.writeString(dir.resolve("rewritten.note"),
                Checkpoint.of(LogFixture.ORIGIN, 45, rewritten.root()).sign(LOG.signer).serialize());
        for (ConsistencyProof candidate : List.of(proof, rewritten.consistencyProof(19, 45))) {
            Path file = Files.writeString(dir.resolve("proof.json"), apiJson(candidate, false));
            Cli result = verify(older, forged, file);
            assertThat(result.exit()).as(result.toString()).isEqualTo(1);
            assertThat(result.err()).isEqualTo("FAIL: consistency proof from size 19 to size 45 does not verify: "
                    + "it does not show the old tree to be a prefix of the new one\n");
        }
    }

    @Test
    void mismatchedInputsAreNamed() throws IOException {
        Path file = Files.writeString(dir.resolve("proof.json"), apiJson(proof, true));
        assertThat(verify(newer, older, file).err()).isEqualTo("FAIL: old checkpoint size 45 is larger than new "
                + "checkpoint size 19 (are --old and --new swapped?)\n");
        Path other = Files.writeString(dir.resolve("size20.note"), LOG.checkpoint(20));
        assertThat(verify(other, newer, file).err()).isEqualTo("FAIL: --proof " + file + " is a proof from size 19 "
                + "to size 45, but the checkpoints have sizes 20 and 45\n");
        assertThat(verify(older, newer, file, "example/globex").err()).isEqualTo(
                "FAIL: old checkpoint origin 'example/acme' is not the expected origin 'example/globex'\n");
        LogFixture stranger = new LogFixture(45);
        Path foreign = Files.writeString(dir.resolve("foreign.note"), stranger.checkpoint(45));
        assertThat(verify(older, foreign, file).err()).startsWith("FAIL: new checkpoint " + foreign
                + ": signature does not verify with key example/acme+" + LOG.signer.verifier().keyIdHex());
        String wrongRoot = apiJson(proof, true).replace("\"fromRootHash\":\"" + LOG.tree.root(19).base64(),
                "\"fromRootHash\":\"" + LOG.tree.root(18).base64());
        Path wrong = Files.writeString(dir.resolve("wrong-root.json"), wrongRoot);
        assertThat(verify(older, newer, wrong).err()).isEqualTo("FAIL: --proof " + wrong
                + ": fromRootHash is not the root hash of the checkpoint of size 19\n");
        Path badLine = Files.writeString(dir.resolve("bad.txt"), "AAAA\n");
        assertThat(verify(older, newer, badLine).err()).isEqualTo("FAIL: --proof " + badLine
                + " line 1 is invalid: hash base64 must decode to 32 bytes, got 3\n");
    }

    @Test
    void equalSizesNeedAnEmptyProof() throws IOException {
        Path empty = Files.writeString(dir.resolve("empty.txt"), "");
        Cli result = verify(newer, newer, empty);
        assertThat(result.exit()).as(result.toString()).isZero();
        assertThat(result.out()).startsWith("OK: checkpoint size 45 is consistent with checkpoint size 45");
    }
}
