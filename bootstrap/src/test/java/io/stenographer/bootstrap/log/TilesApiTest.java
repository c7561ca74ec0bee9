package io.stenographer.bootstrap.log;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.stenographer.bootstrap.support.Events;
import io.stenographer.bootstrap.support.Proofs;
import io.stenographer.bootstrap.support.TestTokens;
import io.stenographer.domain.checkpoint.Checkpoint;
import io.stenographer.domain.checkpoint.NoteVerifier;
import io.stenographer.domain.checkpoint.SignedNote;
import io.stenographer.domain.merkle.Hash;
import io.stenographer.domain.merkle.InclusionProof;
import io.stenographer.domain.merkle.MerkleHashes;
import io.stenographer.domain.merkle.MerkleTree;
import io.stenographer.domain.tiles.EntryBundle;
import io.stenographer.domain.tiles.Tile;
import io.stenographer.domain.tiles.TileLayout;
import io.stenographer.domain.tiles.TiledHashSource;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The log as C2SP tlog-tiles over HTTP, checked the way an outside client would: entries hash to the level-0
 * tiles, those leaves give the signed root, and every served tile equals the one the spec's formula gives.
 */
@QuarkusTest
class TilesApiTest {

    private static final int EVENTS = 600;
    private static final String BOTH_PUBLIC = "{\"publicCheckpoint\":true,\"publicHashTiles\":true}";

    @Test
    void tilesAndEntryBundlesAreTheSignedTreeAsTheSpecDefinesIt() {
        String tenant = "tiles-" + UUID.randomUUID().toString().substring(0, 8);
        List<String> ids = new ArrayList<>(Events.recordBatch(tenant, 300));
        ids.addAll(Events.recordBatch(tenant, 300));
        Proofs.await(tenant, ids.get(EVENTS - 1));
        String auditor = TestTokens.auditor("aud", tenant);
        NoteVerifier key = NoteVerifier.parse(given().when().get("/api/v1/logs/" + tenant + "/verifier-key")
                .then().statusCode(200).extract().asString().trim());
        String note = given().auth().oauth2(auditor).when().get("/api/v1/logs/" + tenant + "/checkpoint")
                .then().statusCode(200)
                .header("Cache-Control", "private, max-age=2").extract().asString();
        Checkpoint checkpoint = Checkpoint.verifiedFrom(SignedNote.parse(note), key);
        long size = checkpoint.treeSize();
        assertThat(size).isGreaterThanOrEqualTo(EVENTS);

        // Entries first: each is a sealed event, and their leaf hashes alone give the signed root.
        List<Hash> leaves = new ArrayList<>();
        for (Tile tile : TileLayout.tilesOf(size)) {
            if (tile.level() == 0) {
                List<byte[]> entries = EntryBundle.decode(get(auditor, tenant, tile.entriesPath()));
                assertThat(entries).hasSize(tile.width());
                entries.forEach(entry -> leaves.add(MerkleHashes.leafHash(entry)));
            }
        }
        assertThat(MerkleTree.root(leaves)).isEqualTo(checkpoint.rootHash());
        String firstEntry = new String(EntryBundle.decode(get(auditor, tenant, "tile/entries/000")).get(0),
                StandardCharsets.UTF_8);
        assertThat(firstEntry).contains(ids.get(0)).startsWith("{");

        // Every tile, at every level, is what the spec's formula gives for those leaves.
        for (Tile tile : TileLayout.tilesOf(size)) {
            long span = 1L << tile.treeLevel();
            List<Hash> expected = new ArrayList<>();
            for (int i = 0; i < tile.width(); i++) {
                long start = (tile.firstHash() + i) * span;
                expected.add(MerkleTree.root(leaves.subList((int) start, (int) (start + span))));
            }
            assertThat(TileLayout.decode(get(auditor, tenant, tile.path()), tile.width())).as(tile.path())
                    .isEqualTo(expected);
        }
        // A narrower partial tile of a full one is its prefix; it never changes either.
        assertThat(TileLayout.decode(get(auditor, tenant, "tile/0/001.p/3"), 3)).isEqualTo(leaves.subList(256, 259));

        // A proof computed by a client from the tiles alone is the service's own.
        TiledHashSource fromTiles = new TiledHashSource(size,
                tile -> TileLayout.decode(get(auditor, tenant, tile.path()), tile.width()));
        InclusionProof clientSide = InclusionProof.compute(300, size, fromTiles);
        JsonPath serverSide = given().auth().oauth2(auditor).queryParam("index", 300).queryParam("size", size)
                .when().get("/api/v1/logs/" + tenant + "/proof/inclusion").then().statusCode(200).extract().jsonPath();
        assertThat(clientSide.path()).isEqualTo(serverSide.getList("inclusionProof", String.class).stream()
                .map(Hash::fromBase64).toList());
        assertThat(clientSide.verify(leaves.get(300), checkpoint.rootHash())).isTrue();

        // Reading entries discloses events, so it is itself on the record.
        given().auth().oauth2(auditor).queryParam("action", "audit.entries-read").queryParam("actor", "aud")
                .when().get("/api/v1/events").then().statusCode(200).body("events.size()",
                        org.hamcrest.Matchers.greaterThanOrEqualTo(3));
    }

    @Test
    void tileRequestsAreValidatedScopedAndBoundedByTheSignedTree() {
        String tenant = "tiles-" + UUID.randomUUID().toString().substring(0, 8);
        List<String> ids = Events.recordBatch(tenant, 5);
        long size = Proofs.await(tenant, ids.get(4)).getLong("proof.treeSize");
        String auditor = TestTokens.auditor("aud", tenant);
        String prefix = "/api/v1/logs/" + tenant + "/";

        byte[] partial = given().auth().oauth2(auditor).when().get(prefix + "tile/0/000.p/" + size)
                .then().statusCode(200).contentType("application/octet-stream")
                .header("Cache-Control", "private, max-age=31536000, immutable").extract().asByteArray();
        assertThat(partial).hasSize((int) size * 32);

        given().auth().oauth2(auditor).when().get(prefix + "tile/0/000")
                .then().statusCode(404).contentType("application/problem+json")
                .body("detail", containsString("latest checkpoint"));
        given().auth().oauth2(auditor).when().get(prefix + "tile/0/000.p/" + (size + 100))
                .then().statusCode(404);
        given().auth().oauth2(auditor).when().get(prefix + "tile/1/000.p/1").then().statusCode(404);
        for (String bad : new String[] {"tile/0/0", "tile/0/000.p/0", "tile/0/000.p/256", "tile/00/000",
                "tile/entries/x000/001", "tile/0/000.p/01", "tile/64/000", "tile/0/abc", "tile/x"}) {
            given().auth().oauth2(auditor).when().get(prefix + bad)
                    .then().statusCode(400).contentType("application/problem+json").body("field", equalTo("path"));
        }
        given().when().get(prefix + "tile/0/000.p/1").then().statusCode(401);
        given().auth().oauth2(TestTokens.writer("w", tenant)).when().get(prefix + "tile/0/000.p/1")
                .then().statusCode(403);
        given().auth().oauth2(TestTokens.auditor("aud", "someone-else")).when().get(prefix + "tile/entries/000.p/1")
                .then().statusCode(403).body("type", equalTo("urn:stenographer:problem:tenant-access-denied"));
    }

    @Test
    void aComplianceAdminCanOpenTheHashTilesToAnyoneButNeverTheEntries() {
        String tenant = "tiles-" + UUID.randomUUID().toString().substring(0, 8);
        List<String> ids = Events.recordBatch(tenant, 5);
        long size = Proofs.await(tenant, ids.get(4)).getLong("proof.treeSize");
        String prefix = "/api/v1/logs/" + tenant + "/";
        String admin = TestTokens.admin("admin-1", tenant);
        String auditor = TestTokens.auditor("aud", tenant);

        given().when().get(prefix + "tile/0/000.p/1").then().statusCode(401)
                .contentType("application/problem+json");
        given().auth().oauth2(auditor).when().get(prefix + "visibility").then().statusCode(200)
                .body("publicHashTiles", equalTo(false)).body("changedBy", org.hamcrest.Matchers.nullValue());
        for (String notAdmin : new String[] {auditor, TestTokens.writer("w", tenant), TestTokens.admin("a", "other")}) {
            given().auth().oauth2(notAdmin).contentType("application/json").body(BOTH_PUBLIC)
                    .when().put(prefix + "visibility").then().statusCode(403);
        }
        for (String bad : new String[] {"{}", "{\"publicHashTiles\":true}", "{\"publicCheckpoint\":true}",
                "{\"publicCheckpoint\":true,\"publicHashTiles\":\"yes\"}",
                "{\"publicCheckpoint\":true,\"publicHashTiles\":true,\"x\":1}", "[]"}) {
            given().auth().oauth2(admin).contentType("application/json").body(bad)
                    .when().put(prefix + "visibility").then().statusCode(400)
                    .contentType("application/problem+json");
        }
        // Public tiles tell the tree's size anyway: they come with a public checkpoint or not at all.
        given().auth().oauth2(admin).contentType("application/json")
                .body("{\"publicCheckpoint\":false,\"publicHashTiles\":true}")
                .when().put(prefix + "visibility").then().statusCode(400).body("field", equalTo("publicHashTiles"));
        given().when().get(prefix + "tile/0/000.p/1").then().statusCode(401);

        given().auth().oauth2(admin).contentType("application/json").body(BOTH_PUBLIC)
                .when().put(prefix + "visibility").then().statusCode(200)
                .body("publicHashTiles", equalTo(true)).body("changedBy", equalTo("admin-1"));
        byte[] anonymous = given().when().get(prefix + "tile/0/000.p/" + size).then().statusCode(200)
                .header("Cache-Control", "public, max-age=31536000, immutable").extract().asByteArray();
        assertThat(anonymous).isEqualTo(get(auditor, tenant, "tile/0/000.p/" + size));
        given().when().get(prefix + "tile/entries/000.p/1").then().statusCode(401);
        given().when().get(prefix + "tile/0/000").then().statusCode(404);
        given().when().get(prefix + "tile/0/01").then().statusCode(400);
        given().auth().oauth2(TestTokens.auditor("aud", "someone-else")).when().get(prefix + "tile/0/000.p/1")
                .then().statusCode(200);
        given().auth().oauth2(TestTokens.auditor("aud", "someone-else")).when().get(prefix + "tile/entries/000.p/1")
                .then().statusCode(403);
        given().auth().oauth2(auditor).queryParam("action", "audit.log-visibility-changed")
                .when().get("/api/v1/events").then().statusCode(200).body("events.size()", equalTo(1))
                .body("events[0].metadata.publicHashTiles", equalTo(true));

        given().auth().oauth2(admin).contentType("application/json")
                .body("{\"publicCheckpoint\":true,\"publicHashTiles\":false}")
                .when().put(prefix + "visibility").then().statusCode(200).body("publicHashTiles", equalTo(false));
        given().when().get(prefix + "tile/0/000.p/1").then().statusCode(401);
    }

    private static byte[] get(String token, String tenant, String path) {
        return given().auth().oauth2(token).when().get("/api/v1/logs/" + tenant + "/" + path)
                .then().statusCode(200).extract().asByteArray();
    }

}
