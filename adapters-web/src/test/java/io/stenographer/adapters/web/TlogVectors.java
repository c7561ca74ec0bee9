package io.stenographer.adapters.web;

import io.stenographer.adapters.web.ConsoleEventsResource.EventView;
import io.stenographer.domain.checkpoint.Checkpoint;
import io.stenographer.domain.checkpoint.Ed25519Keys;
import io.stenographer.domain.checkpoint.NoteSigner;
import io.stenographer.domain.checkpoint.SignedNote;
import io.stenographer.domain.json.CanonicalJson;
import io.stenographer.domain.json.JsonArray;
import io.stenographer.domain.json.JsonBoolean;
import io.stenographer.domain.json.JsonNull;
import io.stenographer.domain.json.JsonObject;
import io.stenographer.domain.json.JsonParser;
import io.stenographer.domain.json.JsonString;
import io.stenographer.domain.json.JsonValue;
import io.stenographer.domain.merkle.ConsistencyProof;
import io.stenographer.domain.merkle.Hash;
import io.stenographer.domain.merkle.InMemoryMerkleTree;
import io.stenographer.domain.merkle.InclusionProof;
import io.stenographer.domain.merkle.MerkleHashes;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Known answers for tlog.js, built with the domain's own Merkle and signed-note code: evidence exactly as the event
 * page embeds it ({@link EventView#json()}), each with the key to pin and the outcome the browser must reach, and
 * raw consistency proofs. Deterministic (fixed keys), so the file is the same on every build.
 */
public final class TlogVectors {

    public static final String ORIGIN = "stenographer.local/acme";
    public static final String KEY_NAME = "stenographer.local";

    /** The v1 worked example of docs/FORMATS.md, section 1. */
    public static final String V1_EVENT = "{\"action\":\"case.export\",\"actor\":{\"displayName\":\"Dana Doe\",\"id\":\"u-1029\","
            + "\"type\":\"user\"},\"clientEventId\":\"portal-evt-000123\",\"correlationId\":\"req-7f3a\","
            + "\"format\":\"stenographer.event/v1\",\"id\":\"019ac4c2-55a1-7c3e-9b6d-2f1e0c8a7b11\",\"metadata\":{\"fields\":"
            + "[\"ssn\",\"dob\"],\"rows\":1,\"ticket\":\"HR-4711 \u00e9\"},\"occurredAt\":\"2026-11-27T09:14:03.250000Z\","
            + "\"outcome\":\"success\",\"reason\":\"Requested by HR ticket 4711\",\"receivedAt\":\"2026-11-27T09:14:03.512345Z\","
            + "\"resource\":{\"id\":\"BC-2026-0042\",\"type\":\"background-check\"},\"source\":{\"application\":\"portal\","
            + "\"ip\":\"192.0.2.10\",\"userAgent\":\"Mozilla/5.0\"},\"submittedBy\":\"svc-portal\",\"tenant\":\"acme\"}";
    public static final String V1_LEAF_HASH = "26b1c833b04d896f9968037fe0096e4574cdd69234e166961f8313525f61861b";

    /** The v2 worked example of docs/FORMATS.md, section 1b (personal fields committed). */
    public static final String V2_EVENT = "{\"action\":\"case.export\",\"actor\":{\"id\":\"u-1029\",\"type\":\"user\"},"
            + "\"clientEventId\":\"portal-evt-000123\",\"correlationId\":\"req-7f3a\",\"format\":\"stenographer.event/v2\","
            + "\"id\":\"019ac4c2-55a1-7c3e-9b6d-2f1e0c8a7b11\",\"metadata\":{\"fields\":[\"ssn\",\"dob\"],\"rows\":1,"
            + "\"ticket\":\"HR-4711 \u00e9\"},\"occurredAt\":\"2026-11-27T09:14:03.250000Z\",\"outcome\":\"success\","
            + "\"personal\":{\"actor.displayName\":\"3b34c8d511bf8a9c90628ca79873e07850f77facf4ebefd83d2c6d6cd1e9f400\","
            + "\"source.ip\":\"1fd0d0508c060f7bb5edf0f05e7b4ad8cc2c815c5baa3d6ad218611108a19a58\","
            + "\"source.userAgent\":\"89670c13cf1affc58c68b811c0d323b9d64feb84b776c6a91fb218726da0bd8a\"},"
            + "\"reason\":\"Requested by HR ticket 4711\",\"receivedAt\":\"2026-11-27T09:14:03.512345Z\",\"resource\":"
            + "{\"id\":\"BC-2026-0042\",\"type\":\"background-check\"},\"source\":{\"application\":\"portal\"},"
            + "\"submittedBy\":\"svc-portal\",\"tenant\":\"acme\"}";
    public static final String V2_LEAF_HASH = "01bd64ce5f3aeee0df049873cabcaceb753f9f8dd8b5abbec9cabf8d98e03fb4";

    static final int TREE_SIZE = 21;
    static final int V1_INDEX = 5;
    static final int V2_INDEX = 13;
    static final int LAST_INDEX = TREE_SIZE - 1;

    private TlogVectors() {
    }

    /** PKCS#8 DER of an Ed25519 private key is this prefix and the 32-byte seed (RFC 8410). */
    static NoteSigner signer(int seedByte) {
        byte[] der = HexFormat.of().parseHex("302e020100300506032b657004220420" + String.format("%02x", seedByte).repeat(32));
        return new NoteSigner(KEY_NAME, Ed25519Keys.privateKeyFromPkcs8(der));
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** A small v1 event for other leaves; its bytes are canonical, as the server's are. */
    static byte[] fillerEvent(int index) {
        String id = String.format("019ac4c2-55a1-7c3e-9b6d-%012x", index);
        JsonValue parsed = JsonParser.parse("{\"format\":\"stenographer.event/v1\",\"id\":\"" + id + "\",\"tenant\":\"acme\","
                + "\"action\":\"vector.filler\",\"actor\":{\"id\":\"svc\",\"type\":\"service\"},\"outcome\":\"success\","
                + "\"metadata\":{\"n\":" + index + ",\"nested\":{\"deep\":true}}}", 16);
        return CanonicalJson.canonicalBytes(parsed);
    }

    /** The vectors as one JSON document (canonical, keys sorted). */
    public static String build() {
        NoteSigner logKey = signer(0x11);
        NoteSigner otherKey = signer(0x22);
        String pinned = logKey.verifier().toVerifierKey();
        String other = otherKey.verifier().toVerifierKey();

        List<byte[]> leaves = new ArrayList<>();
        for (int i = 0; i < TREE_SIZE; i++) {
            leaves.add(i == V1_INDEX ? utf8(V1_EVENT) : i == V2_INDEX ? utf8(V2_EVENT) : fillerEvent(i));
        }
        InMemoryMerkleTree tree = InMemoryMerkleTree.of(leaves.stream().map(MerkleHashes::leafHash).toList());
        String checkpoint = Checkpoint.of(ORIGIN, TREE_SIZE, tree.root()).sign(logKey).serialize();

        List<JsonValue> cases = new ArrayList<>();
        cases.add(vector("v1 worked example at index 5", pinned, true, null,
                evidence(leaves, tree, V1_INDEX, TREE_SIZE, checkpoint, pinned)));
        cases.add(vector("v2 worked example (personal commitments) at index 13", pinned, true, null,
                evidence(leaves, tree, V2_INDEX, TREE_SIZE, checkpoint, pinned)));
        cases.add(vector("last leaf (right edge of the tree)", pinned, true, null,
                evidence(leaves, tree, LAST_INDEX, TREE_SIZE, checkpoint, pinned)));
        cases.add(vector("first leaf", pinned, true, null, evidence(leaves, tree, 0, TREE_SIZE, checkpoint, pinned)));
        String one = Checkpoint.of(ORIGIN, 1, tree.root(1)).sign(logKey).serialize();
        cases.add(vector("tree of one leaf (empty proof)", pinned, true, null, evidence(leaves, tree, 0, 1, one, pinned)));

        Map<String, JsonValue> tamperedProof = evidence(leaves, tree, V1_INDEX, TREE_SIZE, checkpoint, pinned);
        tamperedProof.put("inclusionProof", flipFirstByte((JsonArray) tamperedProof.get("inclusionProof"), 1));
        cases.add(vector("tampered proof hash", pinned, false, "inclusion", tamperedProof));

        Map<String, JsonValue> tamperedBytes = evidence(leaves, tree, V1_INDEX, TREE_SIZE, checkpoint, pinned);
        tamperedBytes.put("leafInput", new JsonString(Base64.getEncoder().encodeToString(
                utf8(V1_EVENT.replace("\"rows\":1", "\"rows\":2")))));
        cases.add(vector("tampered event bytes (leaf hash unchanged)", pinned, false, "leaf-hash", tamperedBytes));

        cases.add(vector("pinned key is another key of the same name", other, false, "signature",
                evidence(leaves, tree, V1_INDEX, TREE_SIZE, checkpoint, pinned)));
        cases.add(vector("nothing pinned", null, false, "signature",
                evidence(leaves, tree, V1_INDEX, TREE_SIZE, checkpoint, pinned)));

        // A checkpoint whose root was altered, signature kept: the proof no longer matches it and the signature fails.
        SignedNote good = SignedNote.parse(checkpoint);
        String forgedBody = Checkpoint.of(ORIGIN, TREE_SIZE, tree.root(TREE_SIZE - 1)).body();
        String forged = new SignedNote(forgedBody, good.signatures()).serialize();
        Map<String, JsonValue> forgedCheckpoint = evidence(leaves, tree, V1_INDEX, TREE_SIZE, forged, pinned);
        cases.add(vector("checkpoint root altered after signing", pinned, false, "checkpoint", forgedCheckpoint));

        String smaller = Checkpoint.of(ORIGIN, TREE_SIZE - 1, tree.root(TREE_SIZE - 1)).sign(logKey).serialize();
        cases.add(vector("validly signed checkpoint of another size", pinned, false, "checkpoint",
                evidence(leaves, tree, V1_INDEX, TREE_SIZE, smaller, pinned)));

        String otherLog = Checkpoint.of("stenographer.local/globex", TREE_SIZE, tree.root()).sign(logKey).serialize();
        cases.add(vector("checkpoint of another tenant's log", pinned, false, "checkpoint",
                evidence(leaves, tree, V1_INDEX, TREE_SIZE, otherLog, pinned)));

        Map<String, JsonValue> pending = new LinkedHashMap<>(jsonOf(new EventView(
                "019ac4c2-55a1-7c3e-9b6d-2f1e0c8a7b11", "acme", "stenographer.event/v1",
                Base64.getEncoder().encodeToString(utf8(V1_EVENT)), V1_LEAF_HASH, null, null, null, List.of(), null,
                pinned, Map.of())));
        cases.add(vector("pending event (no proof yet)", pinned, false, "inclusion", pending));

        List<JsonValue> consistency = new ArrayList<>();
        int[][] pairs = {{1, 1}, {1, 2}, {1, 21}, {3, 7}, {4, 8}, {4, 21}, {5, 21}, {6, 8}, {7, 21}, {8, 16}, {13, 21},
            {16, 21}, {20, 21}, {0, 21}};
        for (int[] pair : pairs) {
            ConsistencyProof proof = ConsistencyProof.compute(pair[0], pair[1], tree);
            consistency.add(consistencyVector(pair[0], pair[1], tree.root(pair[0]), tree.root(pair[1]),
                    proof.path(), true));
        }
        ConsistencyProof base = ConsistencyProof.compute(5, 21, tree);
        List<Hash> bad = new ArrayList<>(base.path());
        bad.set(0, flip(bad.get(0)));
        consistency.add(consistencyVector(5, 21, tree.root(5), tree.root(21), bad, false));
        consistency.add(consistencyVector(5, 21, tree.root(6), tree.root(21), base.path(), false));

        Map<String, JsonValue> doc = new LinkedHashMap<>();
        doc.put("about", new JsonString("Known answers for tlog.js / verify.js, written by TlogVectorsTest. Each case:"
                + " 'evidence' is the event page's #event-data block, 'pinnedKey' the key to pin (null: none), 'expect'"
                + " the outcome (failedStep: first failing step of leaf-hash, inclusion, checkpoint, signature)."));
        doc.put("verifierKey", new JsonString(pinned));
        doc.put("otherVerifierKey", new JsonString(other));
        doc.put("origin", new JsonString(ORIGIN));
        doc.put("cases", new JsonArray(cases));
        doc.put("consistency", new JsonArray(consistency));
        return CanonicalJson.canonicalize(new JsonObject(doc));
    }

    private static Map<String, JsonValue> evidence(List<byte[]> leaves, InMemoryMerkleTree tree, int index, int size,
            String checkpoint, String verifierKey) {
        byte[] bytes = leaves.get(index);
        InclusionProof proof = InclusionProof.compute(index, size, tree);
        String format = ((JsonString) ((JsonObject) JsonParser.parse(bytes, 16)).members().get("format")).value();
        String id = ((JsonString) ((JsonObject) JsonParser.parse(bytes, 16)).members().get("id")).value();
        EventView view = new EventView(id, "acme", format, Base64.getEncoder().encodeToString(bytes),
                MerkleHashes.leafHash(bytes).hex(), (long) index, (long) size, tree.root(size).base64(),
                proof.path().stream().map(Hash::base64).toList(), checkpoint, verifierKey, Map.of());
        return new LinkedHashMap<>(jsonOf(view));
    }

    /** The page's data block read back, so the vectors hold exactly what the page embeds. */
    private static Map<String, JsonValue> jsonOf(EventView view) {
        return ((JsonObject) JsonParser.parse(view.json(), 16)).members();
    }

    private static JsonValue vector(String name, String pinnedKey, boolean verified, String failedStep,
            Map<String, JsonValue> evidence) {
        Map<String, JsonValue> expect = new LinkedHashMap<>();
        expect.put("verified", JsonBoolean.of(verified));
        expect.put("failedStep", failedStep == null ? JsonNull.INSTANCE
                : new JsonString(failedStep));
        Map<String, JsonValue> members = new LinkedHashMap<>();
        members.put("name", new JsonString(name));
        members.put("pinnedKey", pinnedKey == null ? JsonNull.INSTANCE
                : new JsonString(pinnedKey));
        members.put("expect", new JsonObject(expect));
        members.put("evidence", new JsonObject(evidence));
        return new JsonObject(members);
    }

    private static JsonValue consistencyVector(long from, long to, Hash fromRoot, Hash toRoot, List<Hash> path,
            boolean valid) {
        Map<String, JsonValue> members = new LinkedHashMap<>();
        members.put("size1", new JsonString(Long.toString(from)));
        members.put("size2", new JsonString(Long.toString(to)));
        members.put("root1", new JsonString(fromRoot.base64()));
        members.put("root2", new JsonString(toRoot.base64()));
        members.put("proof", new JsonArray(path.stream().<JsonValue>map(h -> new JsonString(h.base64())).toList()));
        members.put("valid", JsonBoolean.of(valid));
        return new JsonObject(members);
    }

    private static JsonArray flipFirstByte(JsonArray hashes, int which) {
        List<JsonValue> out = new ArrayList<>(hashes.elements());
        out.set(which, new JsonString(flip(Hash.fromBase64(((JsonString) out.get(which)).value())).base64()));
        return new JsonArray(out);
    }

    private static Hash flip(Hash hash) {
        byte[] bytes = hash.bytes();
        bytes[0] ^= 0x01;
        return new Hash(bytes);
    }
}
