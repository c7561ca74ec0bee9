package io.stenographer.bootstrap.log;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.stenographer.bootstrap.support.Events;
import io.stenographer.bootstrap.support.Proofs;
import io.stenographer.bootstrap.support.TestTokens;
import io.stenographer.domain.checkpoint.Checkpoint;
import io.stenographer.domain.checkpoint.NoteVerifier;
import io.stenographer.domain.checkpoint.SignedNote;
import io.stenographer.testing.GoToolchain;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A standard tlog-tiles client that is not ours, Go's golang.org/x/mod/sumdb/tlog, reads the service's tiles over
 * HTTP, authenticates every tile against the signed root, and proves a leaf and an older tree from them.
 */
@QuarkusTest
class GoTlogClientTest {

    @TestHTTPResource("/")
    URL base;

    @Test
    void goSumdbTlogReadsOurTilesAndChecksItsOwnProofs(@TempDir Path work) throws Exception {
        GoToolchain.ensureInstalled();
        String tenant = "gotiles-" + UUID.randomUUID().toString().substring(0, 8);
        List<String> ids = Events.recordBatch(tenant, 700);
        JsonPath proved = Proofs.await(tenant, ids.get(699));
        NoteVerifier key = NoteVerifier.parse(given().when().get("/api/v1/logs/" + tenant + "/verifier-key")
                .then().statusCode(200).extract().asString().trim());
        String auditor = TestTokens.auditor("aud", tenant);
        Checkpoint checkpoint = Checkpoint.verifiedFrom(SignedNote.parse(given().auth().oauth2(auditor).when()
                .get("/api/v1/logs/" + tenant + "/checkpoint").then().statusCode(200).extract().asString()), key);
        Path token = Files.writeString(work.resolve("token"), auditor);
        Path source = work.resolve("main.go");
        try (var in = GoTlogClientTest.class.getResourceAsStream("/go-tlog-client/main.go")) {
            Files.copy(in, source);
        }
        long leaf = proved.getLong("proof.leafIndex");
        String prefix = base.toString().replaceAll("/$", "") + "/api/v1/logs/" + tenant;

        GoToolchain.Result result = GoToolchain.run(source, work, List.of(prefix, token.toString(),
                Long.toString(checkpoint.treeSize()), checkpoint.rootHash().base64(), Long.toString(leaf), "300"), 120);

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("leaf " + leaf + " " + proved.getString("leafHash"));
        String oldRoot = given().auth().oauth2(auditor).queryParam("from", 300)
                .queryParam("to", checkpoint.treeSize()).when().get("/api/v1/logs/" + tenant + "/proof/consistency")
                .then().extract().jsonPath().getString("fromRootHash");
        if (oldRoot != null) {
            // A checkpoint happened to be published at size 300: its root must be the one Go computed.
            assertThat(result.output()).contains("old-root " + oldRoot);
        }

        // The same client refuses a root the tiles do not lead to.
        GoToolchain.Result forged = GoToolchain.run(source, work, List.of(prefix, token.toString(),
                Long.toString(checkpoint.treeSize()), java.util.Base64.getEncoder().encodeToString(new byte[32]),
                Long.toString(leaf), "300"), 120);
        assertThat(forged.exitCode()).as(forged.output()).isNotZero();
        assertThat(forged.output()).contains("FAIL");
    }
}
