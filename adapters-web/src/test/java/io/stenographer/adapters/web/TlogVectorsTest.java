package io.stenographer.adapters.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.stenographer.domain.checkpoint.Checkpoint;
import io.stenographer.domain.checkpoint.NoteVerifier;
import io.stenographer.domain.checkpoint.SignedNote;
import io.stenographer.domain.json.JsonArray;
import io.stenographer.domain.json.JsonBoolean;
import io.stenographer.domain.json.JsonNull;
import io.stenographer.domain.json.JsonObject;
import io.stenographer.domain.json.JsonParser;
import io.stenographer.domain.json.JsonString;
import io.stenographer.domain.json.JsonValue;
import io.stenographer.domain.merkle.ConsistencyProof;
import io.stenographer.domain.merkle.Hash;
import io.stenographer.domain.merkle.InclusionProof;
import io.stenographer.domain.merkle.MerkleHashes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Writes target/tlog-vectors.json for the browser test of tlog.js, after checking every vector with the domain's
 * verifiers: a vector the Java side disagrees with would only test the JavaScript against a mistake.
 */
class TlogVectorsTest {

    @Test
    void writesVectorsTheDomainAgreesWith() throws Exception {
        assertThat(MerkleHashes.leafHash(TlogVectors.V1_EVENT.getBytes(StandardCharsets.UTF_8)).hex())
                .isEqualTo(TlogVectors.V1_LEAF_HASH);
        assertThat(MerkleHashes.leafHash(TlogVectors.V2_EVENT.getBytes(StandardCharsets.UTF_8)).hex())
                .isEqualTo(TlogVectors.V2_LEAF_HASH);

        String json = TlogVectors.build();
        assertThat(TlogVectors.build()).as("deterministic").isEqualTo(json);
        JsonObject doc = (JsonObject) JsonParser.parse(json, 32);
        List<JsonValue> cases = ((JsonArray) doc.get("cases")).elements();
        assertThat(cases).hasSizeGreaterThanOrEqualTo(10);
        for (JsonValue value : cases) {
            JsonObject vector = (JsonObject) value;
            boolean expected = ((JsonBoolean) ((JsonObject) vector.get("expect")).get("verified")).value();
            assertThat(javaVerifies((JsonObject) vector.get("evidence"), vector.get("pinnedKey")))
                    .as(((JsonString) vector.get("name")).value()).isEqualTo(expected);
        }
        for (JsonValue value : ((JsonArray) doc.get("consistency")).elements()) {
            JsonObject vector = (JsonObject) value;
            ConsistencyProof proof = new ConsistencyProof(Long.parseLong(text(vector, "size1")),
                    Long.parseLong(text(vector, "size2")), hashes((JsonArray) vector.get("proof")));
            assertThat(proof.verify(Hash.fromBase64(text(vector, "root1")), Hash.fromBase64(text(vector, "root2"))))
                    .as("consistency " + text(vector, "size1") + " -> " + text(vector, "size2"))
                    .isEqualTo(((JsonBoolean) vector.get("valid")).value());
        }

        Path out = Path.of("target", "tlog-vectors.json");
        Files.createDirectories(out.getParent());
        Files.writeString(out, json + "\n", StandardCharsets.UTF_8);
    }

    /** The same four checks as Tlog.verifyEvidence, done by the domain. */
    private static boolean javaVerifies(JsonObject evidence, JsonValue pinnedKey) {
        if (pinnedKey == JsonNull.INSTANCE || evidence.get("leafIndex") == null) {
            return false;
        }
        try {
            byte[] bytes = Base64.getDecoder().decode(text(evidence, "leafInput"));
            Hash leaf = MerkleHashes.leafHash(bytes);
            if (!leaf.hex().equals(text(evidence, "leafHash"))) {
                return false;
            }
            InclusionProof proof = new InclusionProof(Long.parseLong(text(evidence, "leafIndex")),
                    Long.parseLong(text(evidence, "treeSize")), hashes((JsonArray) evidence.get("inclusionProof")));
            Hash root = proof.rootFrom(leaf);
            Checkpoint checkpoint = Checkpoint.verifiedFrom(SignedNote.parse(text(evidence, "checkpoint")),
                    NoteVerifier.parse(((JsonString) pinnedKey).value()));
            return root.equals(Hash.fromBase64(text(evidence, "rootHash"))) && checkpoint.rootHash().equals(root)
                    && checkpoint.treeSize() == proof.treeSize()
                    && checkpoint.origin().endsWith("/" + text(evidence, "tenant"));
        } catch (IllegalArgumentException refused) {
            return false;
        }
    }

    private static String text(JsonObject object, String name) {
        return ((JsonString) object.get(name)).value();
    }

    private static List<Hash> hashes(JsonArray array) {
        return array.elements().stream().map(v -> Hash.fromBase64(((JsonString) v).value())).toList();
    }
}
