package io.stenographer.bootstrap.log;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.stenographer.bootstrap.support.Events;
import io.stenographer.bootstrap.support.Proofs;
import io.stenographer.bootstrap.support.TestTokens;
import io.stenographer.domain.checkpoint.Checkpoint;
import io.stenographer.domain.checkpoint.KeySet;
import io.stenographer.domain.checkpoint.NoteVerifier;
import io.stenographer.domain.checkpoint.SignedNote;
import io.stenographer.domain.merkle.ConsistencyProof;
import io.stenographer.domain.merkle.Hash;
import io.stenographer.domain.merkle.InclusionProof;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The transparency surface end to end: receipts, checkpoints, proofs that verify offline. */
@QuarkusTest
class LogEndpointsTest {

    @Test
    void receiptLeadsToAnInclusionProofAgainstTheLatestSignedCheckpoint() throws Exception {
        String tenant = tenant();
        List<String> ids = Events.recordBatch(tenant, 5);
        JsonPath withProof = Proofs.await(tenant, ids.get(4));
        String signedNote = withProof.getString("proof.checkpoint");
        // The writer that holds the receipts reads the checkpoint they are checked against.
        String writer = TestTokens.writer("app", tenant);

        String publicNote = given().auth().oauth2(writer).when().get("/api/v1/logs/" + tenant + "/checkpoint")
                .then().statusCode(200).contentType("text/plain").extract().asString();
        NoteVerifier verifier = NoteVerifier.parse(given().when().get("/api/v1/logs/" + tenant + "/verifier-key")
                .then().statusCode(200).extract().asString().trim());
        Checkpoint published = Checkpoint.verifiedFrom(SignedNote.parse(publicNote), verifier);
        // The key set holds the one key there has been, valid from size 0, and checks the same note.
        KeySet keySet = KeySet.parse(given().auth().oauth2(writer).when().get("/api/v1/logs/" + tenant + "/key-set")
                .then().statusCode(200).extract().asString());
        assertThat(keySet).isEqualTo(KeySet.single(verifier));
        assertThat(Checkpoint.verifiedFrom(SignedNote.parse(publicNote), keySet)).isEqualTo(published);
        assertThat(published.origin()).isEqualTo("stenographer.local/" + tenant);
        // Every auditor read is itself logged, so the public tree may already be larger than the proof's.
        assertThat(published.treeSize()).isGreaterThanOrEqualTo(5);
        Checkpoint checkpoint = Checkpoint.verifiedFrom(SignedNote.parse(signedNote), verifier);
        assertThat(checkpoint.treeSize()).isEqualTo(withProof.getLong("proof.treeSize"));

        Hash leafHash = Hash.fromHex(withProof.getString("leafHash"));
        InclusionProof proof = new InclusionProof(withProof.getLong("proof.leafIndex"),
                withProof.getLong("proof.treeSize"), hashes(withProof.getList("proof.inclusionProof", String.class)));
        assertThat(proof.verify(leafHash, checkpoint.rootHash())).isTrue();
        Hash forged = Hash.fromHex("00".repeat(32));
        assertThat(proof.verify(forged, checkpoint.rootHash())).isFalse();

        JsonPath byHash = given().auth().oauth2(TestTokens.auditor("aud", tenant))
                .queryParam("leafHash", leafHash.hex()).queryParam("size", proof.treeSize())
                .when().get("/api/v1/logs/" + tenant + "/proof/inclusion")
                .then().statusCode(200).extract().jsonPath();
        assertThat(byHash.getLong("leafIndex")).isEqualTo(proof.leafIndex());
        assertThat(byHash.getList("inclusionProof", String.class))
                .isEqualTo(withProof.getList("proof.inclusionProof", String.class));
        JsonPath byIndex = given().auth().oauth2(TestTokens.auditor("aud", tenant))
                .queryParam("index", 0).queryParam("size", checkpoint.treeSize())
                .when().get("/api/v1/logs/" + tenant + "/proof/inclusion")
                .then().statusCode(200).extract().jsonPath();
        assertThat(new InclusionProof(0, checkpoint.treeSize(), hashes(byIndex.getList("inclusionProof", String.class)))
                .verify(Hash.fromHex(byIndex.getString("leafHash")), checkpoint.rootHash())).isTrue();

        JsonPath json = given().auth().oauth2(writer).accept("application/json")
                .when().get("/api/v1/logs/" + tenant + "/checkpoint")
                .then().statusCode(200).extract().jsonPath();
        assertThat(json.getString("origin")).isEqualTo("stenographer.local/" + tenant);
        assertThat(json.getLong("treeSize")).isGreaterThanOrEqualTo(published.treeSize());
    }

    /**
     * A tenant's checkpoint and key set are its own callers' until a compliance admin makes them public: without a
     * token, or with another tenant's, the answer is the same for a tenant that exists and one that does not, so
     * neither its existence nor its size nor its auditors' activity shows.
     */
    @Test
    void checkpointAndKeySetArePrivateUntilAComplianceAdminMakesThemPublic() throws Exception {
        String tenant = tenant();
        String unknown = tenant();
        Proofs.await(tenant, Events.recordBatch(tenant, 2).get(1));
        String prefix = "/api/v1/logs/" + tenant + "/";
        String admin = TestTokens.admin("admin-1", tenant);
        String auditor = TestTokens.auditor("aud", tenant);
        String stranger = TestTokens.auditor("aud", "someone-else");

        for (String path : new String[] {"checkpoint", "key-set"}) {
            String closed = given().when().get(prefix + path).then().statusCode(401)
                    .contentType("application/problem+json").header("WWW-Authenticate", "Bearer")
                    .body("detail", org.hamcrest.Matchers.containsString("not public")).extract().asString();
            given().when().get("/api/v1/logs/" + unknown + "/" + path).then().statusCode(401)
                    .body(equalTo(closed.replace(tenant, unknown)));
            given().auth().oauth2(stranger).when().get(prefix + path).then().statusCode(403)
                    .body("type", equalTo("urn:stenographer:problem:tenant-access-denied"));
            given().auth().oauth2(stranger).when().get("/api/v1/logs/" + unknown + "/" + path).then().statusCode(403);
            for (String own : new String[] {TestTokens.writer("app", tenant), auditor, admin}) {
                given().auth().oauth2(own).when().get(prefix + path).then().statusCode(200);
            }
        }
        for (String path : new String[] {"checkpoint", "key-set"}) {
            given().auth().oauth2(auditor).when().get(prefix + path).then().statusCode(200)
                    .header("Cache-Control", "private, max-age=2").header("Vary", "Accept, Authorization");
        }
        given().auth().oauth2(auditor).when().get(prefix + "visibility").then().statusCode(200)
                .body("publicCheckpoint", equalTo(false)).body("publicHashTiles", equalTo(false));

        given().auth().oauth2(admin).contentType("application/json")
                .body("{\"publicCheckpoint\":true,\"publicHashTiles\":false}")
                .when().put(prefix + "visibility").then().statusCode(200)
                .body("publicCheckpoint", equalTo(true)).body("changedBy", equalTo("admin-1"));
        String note = given().when().get(prefix + "checkpoint").then().statusCode(200)
                .header("Cache-Control", "public, max-age=2").extract().asString();
        NoteVerifier key = NoteVerifier.parse(given().when().get(prefix + "verifier-key")
                .then().statusCode(200).extract().asString().trim());
        Checkpoint published = Checkpoint.verifiedFrom(SignedNote.parse(note), KeySet.parse(
                given().when().get(prefix + "key-set").then().statusCode(200)
                        .header("Cache-Control", "public, max-age=2").extract().asString()));
        assertThat(published).isEqualTo(Checkpoint.verifiedFrom(SignedNote.parse(note), key));
        given().auth().oauth2(stranger).when().get(prefix + "checkpoint").then().statusCode(200);
        // Opening one tenant opens nothing else, and the hash tiles stay closed.
        given().when().get("/api/v1/logs/" + unknown + "/checkpoint").then().statusCode(401);
        given().when().get(prefix + "tile/0/000.p/1").then().statusCode(401);
        given().auth().oauth2(auditor).queryParam("action", "audit.log-visibility-changed")
                .when().get("/api/v1/events").then().statusCode(200).body("events.size()", equalTo(1))
                .body("events[0].metadata.publicCheckpoint", equalTo(true))
                .body("events[0].metadata.publicHashTiles", equalTo(false))
                .body("events[0].actor.id", equalTo("admin-1"));

        given().auth().oauth2(admin).contentType("application/json")
                .body("{\"publicCheckpoint\":false,\"publicHashTiles\":false}")
                .when().put(prefix + "visibility").then().statusCode(200).body("publicCheckpoint", equalTo(false));
        given().when().get(prefix + "checkpoint").then().statusCode(401);
        given().when().get(prefix + "key-set").then().statusCode(401);
        given().auth().oauth2(stranger).when().get(prefix + "checkpoint").then().statusCode(403);
    }

    @Test
    void consecutiveCheckpointsAreProvablyConsistent() throws Exception {
        String tenant = tenant();
        List<String> first = Events.recordBatch(tenant, 3);
        long fromSize = Proofs.await(tenant, first.get(2)).getLong("proof.treeSize");
        List<String> second = Events.recordBatch(tenant, 4);
        long toSize = Proofs.await(tenant, second.get(3)).getLong("proof.treeSize");
        assertThat(toSize).isGreaterThanOrEqualTo(fromSize + 4);

        JsonPath answer = given().auth().oauth2(TestTokens.auditor("aud", tenant))
                .queryParam("from", fromSize).queryParam("to", toSize)
                .when().get("/api/v1/logs/" + tenant + "/proof/consistency")
                .then().statusCode(200).extract().jsonPath();
        Hash oldRoot = Hash.fromBase64(answer.getString("fromRootHash"));
        Hash newRoot = Hash.fromBase64(answer.getString("toRootHash"));
        ConsistencyProof proof = new ConsistencyProof(fromSize, toSize, hashes(answer.getList("proof", String.class)));
        assertThat(proof.verify(oldRoot, newRoot)).isTrue();
        assertThat(proof.verify(newRoot, oldRoot)).isFalse();
    }

    /**
     * A writer checks its own receipts: inclusion by event id, and consistency, in its tenants only. By index or
     * leaf hash it is refused; another tenant's event id is answered as an unknown one; events stay unreadable.
     */
    @Test
    void writersMayFetchProofsOfTheirTenantsOnly() throws Exception {
        String tenant = tenant();
        String other = tenant();
        List<String> ids = Events.recordBatch(tenant, 3);
        String foreignId = Events.recordBatch(other, 1).get(0);
        Proofs.await(tenant, ids.get(2));
        Proofs.await(other, foreignId);
        String writer = TestTokens.writer("w", tenant);

        JsonPath byId = given().auth().oauth2(writer).queryParam("eventId", ids.get(1))
                .when().get("/api/v1/logs/" + tenant + "/proof/inclusion")
                .then().statusCode(200).extract().jsonPath();
        assertThat(byId.getString("eventId")).isEqualTo(ids.get(1));
        // By index or leaf hash a writer could list other applications' event ids: auditors only.
        given().auth().oauth2(writer).queryParam("leafHash", byId.getString("leafHash"))
                .when().get("/api/v1/logs/" + tenant + "/proof/inclusion")
                .then().statusCode(403);
        given().auth().oauth2(writer).queryParam("index", byId.getLong("leafIndex"))
                .when().get("/api/v1/logs/" + tenant + "/proof/inclusion")
                .then().statusCode(403);
        given().auth().oauth2(writer).queryParam("from", byId.getLong("treeSize"))
                .when().get("/api/v1/logs/" + tenant + "/proof/consistency")
                .then().statusCode(200);
        given().auth().oauth2(writer).queryParam("eventId", foreignId)
                .when().get("/api/v1/logs/" + tenant + "/proof/inclusion")
                .then().statusCode(400).body("field", equalTo("eventId"));
        given().auth().oauth2(writer).queryParam("eventId", foreignId)
                .when().get("/api/v1/logs/" + other + "/proof/inclusion")
                .then().statusCode(403).body("type", equalTo("urn:stenographer:problem:tenant-access-denied"));
        given().auth().oauth2(writer).queryParam("from", 1)
                .when().get("/api/v1/logs/" + other + "/proof/consistency")
                .then().statusCode(403);
        given().auth().oauth2(writer).queryParam("eventId", "not-a-uuid")
                .when().get("/api/v1/logs/" + tenant + "/proof/inclusion")
                .then().statusCode(400).body("field", equalTo("eventId"));
        given().auth().oauth2(TestTokens.auditor("aud", tenant)).queryParam("eventId", ids.get(0))
                .queryParam("index", 0).when().get("/api/v1/logs/" + tenant + "/proof/inclusion")
                .then().statusCode(400).body("field", equalTo("index"));
        given().auth().oauth2(writer).when().get("/api/v1/events/" + ids.get(0)).then().statusCode(403);
        given().auth().oauth2(TestTokens.admin("adm", tenant)).queryParam("eventId", ids.get(0))
                .when().get("/api/v1/logs/" + tenant + "/proof/inclusion")
                .then().statusCode(403);
    }

    @Test
    void proofRequestsAreValidatedAndTenantScoped() throws Exception {
        String tenant = tenant();
        Proofs.await(tenant, Events.recordBatch(tenant, 1).get(0));
        String auditor = TestTokens.auditor("aud", tenant);
        given().auth().oauth2(auditor).when().get("/api/v1/logs/" + tenant + "/proof/inclusion")
                .then().statusCode(400).contentType("application/problem+json").body("field", equalTo("index"));
        given().auth().oauth2(auditor).queryParam("index", 0).queryParam("size", 99)
                .when().get("/api/v1/logs/" + tenant + "/proof/inclusion")
                .then().statusCode(400).body("field", equalTo("size"));
        given().auth().oauth2(auditor).queryParam("leafHash", "xyz")
                .when().get("/api/v1/logs/" + tenant + "/proof/inclusion")
                .then().statusCode(400).body("field", equalTo("leafHash"));
        given().auth().oauth2(auditor).queryParam("from", "abc")
                .when().get("/api/v1/logs/" + tenant + "/proof/consistency")
                .then().statusCode(400).body("field", equalTo("from"));
        given().queryParam("index", 0).when().get("/api/v1/logs/" + tenant + "/proof/inclusion")
                .then().statusCode(401);
        given().auth().oauth2(TestTokens.auditor("aud", "someone-else")).queryParam("index", 0)
                .when().get("/api/v1/logs/" + tenant + "/proof/inclusion")
                .then().statusCode(403).body("type", equalTo("urn:stenographer:problem:tenant-access-denied"));
        String noSuchLog = "no-such-log-" + UUID.randomUUID().toString().substring(0, 8);
        given().auth().oauth2(TestTokens.auditor("aud", noSuchLog)).when()
                .get("/api/v1/logs/" + noSuchLog + "/checkpoint")
                .then().statusCode(404).contentType("application/problem+json");
        given().when().get("/api/v1/logs/Not_A_Tenant/checkpoint").then().statusCode(400);
    }

    @Test
    void verificationOnDemandIsStoredListedAndAudited() throws Exception {
        String tenant = tenant();
        Proofs.await(tenant, Events.recordBatch(tenant, 3).get(2));
        String admin = TestTokens.admin("admin-1", tenant);
        JsonPath report = given().auth().oauth2(admin).contentType("application/json").body("{}")
                .when().post("/api/v1/logs/" + tenant + "/verifications")
                .then().statusCode(200).extract().jsonPath();
        assertThat(report.getBoolean("ok")).isTrue();
        assertThat(report.getLong("treeSize")).isGreaterThanOrEqualTo(3);
        String runId = report.getString("id");
        given().auth().oauth2(TestTokens.auditor("aud", tenant))
                .when().get("/api/v1/logs/" + tenant + "/verifications/" + runId)
                .then().statusCode(200).body("ok", equalTo(true)).body("triggeredBy", equalTo("admin-1"));
        given().auth().oauth2(TestTokens.auditor("aud", tenant))
                .when().get("/api/v1/logs/" + tenant + "/verifications")
                .then().statusCode(200).body("[0].id", equalTo(runId));
        given().auth().oauth2(TestTokens.auditor("aud", tenant))
                .queryParam("action", "audit.verify").queryParam("actor", "admin-1")
                .when().get("/api/v1/events")
                .then().statusCode(200).body("events.size()", equalTo(1));
        given().auth().oauth2(TestTokens.writer("w", tenant)).contentType("application/json").body("{}")
                .when().post("/api/v1/logs/" + tenant + "/verifications")
                .then().statusCode(403);

        // The next run continues from the newest checkpoint the sound run accepted: it re-checks that one, then only
        // newer checkpoints and leaves; on request, all of them.
        assertThat(report.getLong("anchoredAtSize")).isZero();
        assertThat(report.getBoolean("full")).isTrue();
        JsonPath next = given().auth().oauth2(admin).contentType("application/json").body("{}")
                .when().post("/api/v1/logs/" + tenant + "/verifications")
                .then().statusCode(200).extract().jsonPath();
        assertThat(next.getBoolean("ok")).isTrue();
        assertThat(next.getLong("anchoredAtSize")).isPositive();
        assertThat(next.getBoolean("full")).isFalse();
        assertThat(next.getLong("leavesCheckedFrom")).isEqualTo(next.getLong("anchoredAtSize"));
        assertThat(next.getLong("eventsChecked")).isEqualTo(next.getLong("treeSize") - next.getLong("anchoredAtSize"));
        JsonPath all = given().auth().oauth2(admin).contentType("application/json").body("{\"full\":true}")
                .when().post("/api/v1/logs/" + tenant + "/verifications")
                .then().statusCode(200).extract().jsonPath();
        assertThat(all.getBoolean("ok")).isTrue();
        assertThat(all.getLong("anchoredAtSize")).isZero();
        assertThat(all.getLong("leavesCheckedFrom")).isZero();
        assertThat(all.getLong("eventsChecked")).isEqualTo(all.getLong("treeSize"));
        assertThat(all.getLong("checkpointsChecked")).isGreaterThanOrEqualTo(next.getLong("checkpointsChecked"));
        // The request's former field is refused by name, so an old client does not silently get an incremental run.
        given().auth().oauth2(admin).contentType("application/json").body("{\"allCheckpoints\":true}")
                .when().post("/api/v1/logs/" + tenant + "/verifications")
                .then().statusCode(400).body("field", equalTo("allCheckpoints"));
        given().auth().oauth2(admin).contentType("application/json").body("{\"full\":\"yes\"}")
                .when().post("/api/v1/logs/" + tenant + "/verifications")
                .then().statusCode(400);
    }

    @Test
    void exportedBundleAndTlogProofVerifyOfflineAndFailAfterOneChangedByte() throws Exception {
        String tenant = tenant();
        List<String> ids = Events.recordBatch(tenant, 12);
        long size = Proofs.await(tenant, ids.get(11)).getLong("proof.treeSize");
        NoteVerifier key = NoteVerifier.parse(given().when().get("/api/v1/logs/" + tenant + "/verifier-key")
                .then().statusCode(200).extract().asString().trim());
        String origin = "stenographer.local/" + tenant;

        byte[] bundle = given().auth().oauth2(TestTokens.auditor("aud", tenant))
                .queryParam("from", 0).queryParam("to", 12)
                .when().get("/api/v1/logs/" + tenant + "/export")
                .then().statusCode(200).contentType("application/x-ndjson").extract().asByteArray();
        var verification = new io.stenographer.domain.bundle.BundleVerifier(key, origin)
                .verify(new ByteArrayInputStream(bundle));
        assertThat(verification.failures()).isEmpty();
        assertThat(verification.entries()).isEqualTo(12);
        assertThat(verification.treeSize()).isGreaterThanOrEqualTo(size);

        int actorAt = new String(bundle, StandardCharsets.UTF_8).indexOf("actor-7");
        byte[] tampered = bundle.clone();
        tampered[actorAt + 6] = (byte) '8';
        var broken = new io.stenographer.domain.bundle.BundleVerifier(key, origin)
                .verify(new ByteArrayInputStream(tampered));
        assertThat(broken.ok()).isFalse();
        assertThat(String.join("\n", broken.failures())).contains("leaf hash");

        String tlogProof = given().auth().oauth2(TestTokens.auditor("aud", tenant))
                .queryParam("index", 3).queryParam("format", "tlog-proof")
                .when().get("/api/v1/logs/" + tenant + "/proof/inclusion")
                .then().statusCode(200).extract().asString();
        var parsed = io.stenographer.domain.bundle.TlogProof.parse(tlogProof);
        Hash leaf = io.stenographer.domain.merkle.Hash.fromHex(given().auth().oauth2(TestTokens.auditor("aud", tenant))
                .queryParam("index", 3).when().get("/api/v1/logs/" + tenant + "/proof/inclusion")
                .then().extract().jsonPath().getString("leafHash"));
        assertThat(parsed.verify(leaf, key, origin).ok()).isTrue();
        assertThat(parsed.verify(Hash.fromHex("11".repeat(32)), key, origin).ok()).isFalse();

        given().auth().oauth2(TestTokens.auditor("aud", tenant)).queryParam("from", 5).queryParam("to", 2)
                .when().get("/api/v1/logs/" + tenant + "/export")
                .then().statusCode(400).contentType("application/problem+json");
        given().auth().oauth2(TestTokens.auditor("aud", "other-tenant"))
                .when().get("/api/v1/logs/" + tenant + "/export").then().statusCode(403);
        given().when().get("/api/v1/logs/" + tenant + "/export").then().statusCode(401);
    }

    private static String tenant() {
        return "logs-" + UUID.randomUUID().toString().substring(0, 8);
    }


    private static List<Hash> hashes(List<String> base64) {
        return base64.stream().map(Hash::fromBase64).toList();
    }
}
