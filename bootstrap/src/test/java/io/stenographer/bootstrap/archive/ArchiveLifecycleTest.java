package io.stenographer.bootstrap.archive;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.stenographer.bootstrap.support.Await;
import io.stenographer.bootstrap.support.EmbeddedPostgresTestResource;
import io.stenographer.bootstrap.support.Events;
import io.stenographer.bootstrap.support.Proofs;
import io.stenographer.bootstrap.support.S3MockTestResource;
import io.stenographer.bootstrap.support.TestTokens;
import io.stenographer.domain.archive.SegmentKeys;
import io.stenographer.domain.checkpoint.Checkpoint;
import io.stenographer.domain.checkpoint.NoteVerifier;
import io.stenographer.domain.checkpoint.SignedNote;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.merkle.Hash;
import io.stenographer.domain.merkle.InclusionProof;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ObjectLockLegalHoldStatus;
import software.amazon.awssdk.services.s3.model.ObjectLockRetention;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * Retention end to end against a real S3Mock process and PostgreSQL: a tenant policy that archives at once,
 * the archive job (dry run, then for real), what the bucket holds, a legal hold mirrored onto the segment,
 * purge, reading purged events back, proofs that still verify, and deletion once retention ends.
 *
 * <p>S3Mock records Object Lock retention and legal holds and reports them back, but does NOT enforce them
 * (a delete would go through); AWS S3 does. These tests check what the service sets and reads back.
 */
@QuarkusTest
class ArchiveLifecycleTest {

    private static S3Client s3;

    @org.junit.jupiter.api.BeforeAll
    static void openClient() {
        s3 = S3MockTestResource.client();
    }

    @AfterAll
    static void closeClient() {
        if (s3 != null) {
            s3.close();
        }
    }

    @Test
    void archivesPurgesReadsBackAndDeletesAfterRetention() throws Exception {
        String tenant = "arch-" + UUID.randomUUID().toString().substring(0, 8);
        createPolicy(tenant, "PT0S", "PT8S");
        List<String> ids = record(tenant, 6, i -> i < 2 ? "held-user" : "user-" + i);
        Proofs.await(tenant, ids.get(ids.size() - 1));
        String holdId = placeHold(tenant, "held-user");

        JsonPath dryRun = runJob("archive", tenant, true);
        assertThat(dryRun.getString("status")).isEqualTo("succeeded");
        assertThat(dryRun.getLong("details.tenants." + tenant + ".eventsArchived")).isGreaterThanOrEqualTo(6);
        String key = SegmentKeys.segmentKey(TenantId.of(tenant), 0);
        assertThat(exists(key)).as("a dry run uploads nothing").isFalse();

        Instant before = Instant.now();
        JsonPath archived = runJob("archive", tenant, false);
        assertThat(archived.getString("status")).isEqualTo("succeeded");
        long archivedCount = archived.getLong("details.tenants." + tenant + ".eventsArchived");
        assertThat(archivedCount).isGreaterThanOrEqualTo(6);

        // What the upload carried, read back from the bucket: COMPLIANCE until the retention end, SHA-256.
        HeadObjectResponse head = s3.headObject(b -> b.bucket(S3MockTestResource.BUCKET).key(key)
                .checksumMode(ChecksumMode.ENABLED));
        assertThat(head.contentLength()).isPositive();
        ObjectLockRetention retention = s3.getObjectRetention(b -> b.bucket(S3MockTestResource.BUCKET).key(key))
                .retention();
        assertThat(retention.modeAsString()).isEqualTo("COMPLIANCE");
        assertThat(retention.retainUntilDate()).isAfter(before.plusSeconds(7)).isBefore(Instant.now().plusSeconds(9));
        assertThat(legalHold(key)).as("the segment holds events under a hold").isEqualTo(ObjectLockLegalHoldStatus.ON);
        assertThat(exists(SegmentKeys.manifestKey(key))).isTrue();

        JsonPath purged = runJob("purge", tenant, false);
        assertThat(purged.getString("status")).isEqualTo("succeeded");
        assertThat(purged.getLong("details.tenants." + tenant + ".eventsHeld")).isEqualTo(2);
        assertThat(purged.getLong("details.tenants." + tenant + ".eventsPurged")).isEqualTo(archivedCount - 2);

        // A purged event is read back from its checked segment, and its inclusion proof still verifies.
        given().auth().oauth2(TestTokens.auditor("aud", tenant)).when().get("/api/v1/events/" + ids.get(3))
                .then().statusCode(200).body("id", equalTo(ids.get(3))).body("actor.id", equalTo("user-3"));
        JsonPath proof = given().auth().oauth2(TestTokens.auditor("aud", tenant)).queryParam("proof", "true")
                .when().get("/api/v1/events/" + ids.get(4)).then().statusCode(200).extract().jsonPath();
        verifyProof(tenant, proof);
        List<String> hot = given().auth().oauth2(TestTokens.auditor("aud", tenant)).queryParam("tenant", tenant)
                .queryParam("action", "case.view").when().get("/api/v1/events")
                .then().statusCode(200).extract().jsonPath().getList("events.id", String.class);
        assertThat(hot).containsExactlyInAnyOrder(ids.get(0), ids.get(1));
        JsonPath firstPage = given().auth().oauth2(TestTokens.auditor("aud", tenant)).queryParam("tenant", tenant)
                .queryParam("action", "case.view").queryParam("includeArchived", "true").queryParam("limit", 4)
                .when().get("/api/v1/events").then().statusCode(200).extract().jsonPath();
        assertThat(firstPage.getString("nextCursor")).isNotBlank();
        List<String> secondPage = given().auth().oauth2(TestTokens.auditor("aud", tenant))
                .queryParam("tenant", tenant).queryParam("action", "case.view").queryParam("includeArchived", "true")
                .queryParam("limit", 4).queryParam("cursor", firstPage.getString("nextCursor"))
                .when().get("/api/v1/events").then().statusCode(200).extract().jsonPath()
                .getList("events.id", String.class);
        List<String> all = new ArrayList<>(firstPage.getList("events.id", String.class));
        all.addAll(secondPage);
        assertThat(all).as("hot and purged events, paged across both").hasSize(6)
                .containsExactlyInAnyOrderElementsOf(ids);

        // A report pinned to the log reads purged events back from the archive: nothing goes missing.
        String from = Instant.now().minusSeconds(3600).toString();
        String to = Instant.now().plusSeconds(60).toString();
        String reportId = given().auth().oauth2(TestTokens.auditor("aud", tenant)).contentType("application/json")
                .body("{\"tenant\":\"" + tenant + "\",\"type\":\"actor-activity\",\"format\":\"json\","
                        + "\"parameters\":{\"from\":\"" + from + "\",\"to\":\"" + to + "\",\"actor\":\"user-3\"}}")
                .when().post("/api/v1/reports").then().statusCode(202).extract().jsonPath().getString("id");
        JsonPath report = awaitReport(tenant, reportId);
        assertThat(report.getLong("eventCount")).as("user-3's event was purged and is still reported").isEqualTo(1);

        // Verification still passes with payloads gone; the export bundle carries purged leaves as hash + proof.
        given().auth().oauth2(TestTokens.auditor("aud", tenant)).contentType("application/json").body("{}")
                .when().post("/api/v1/logs/" + tenant + "/verifications")
                .then().log().ifValidationFails().statusCode(200).body("ok", equalTo(true));
        String bundle = given().auth().oauth2(TestTokens.auditor("aud", tenant)).queryParam("from", 0)
                .queryParam("to", 6).when().get("/api/v1/logs/" + tenant + "/export")
                .then().statusCode(200).extract().asString();
        assertThat(bundle.lines().filter(line -> line.contains("\"type\":\"entry\"")))
                .hasSize(6).filteredOn(line -> !line.contains("\"event\"")).hasSize(4);
        String metrics = given().auth().oauth2(TestTokens.valid("scraper", Set.of("metrics-reader"), tenant)).when().get("/q/metrics")
                .then().statusCode(200).extract().asString();
        assertThat(metrics).contains("stenographer_archive_events_total{tenant=\"" + tenant + "\"}")
                .contains("stenographer_purge_events_total{tenant=\"" + tenant + "\"}")
                .contains("stenographer_archive_lag_seconds{tenant=\"" + tenant + "\"}");

        // Releasing the hold clears the segment's flag; the next purge takes the formerly held events.
        given().auth().oauth2(TestTokens.admin("admin", tenant)).contentType("application/json")
                .body("{\"reason\":\"case closed\"}").when().post("/api/v1/legal-holds/" + holdId + "/release")
                .then().statusCode(200);
        assertThat(legalHold(key)).isEqualTo(ObjectLockLegalHoldStatus.OFF);
        assertThat(runJob("purge", tenant, false).getLong("details.tenants." + tenant + ".eventsPurged"))
                .isEqualTo(2);
        // Out of the hot store, the events' personal values stay: their archived copy can still be read.
        assertThat(personalValuesOf(ids)).as("v2 events with values, copy still archived").isEqualTo(ids.size());

        // After retain-until, the copy is deleted; the event is gone for good, its proof is not.
        // The S3 adapter checks retention against the system clock (it is not given the application's Clock), so
        // wait for real time to pass the lock's end, with a margin for the stored date's rounding.
        Instant deletable = retention.retainUntilDate().plusMillis(500);
        Await.until("the clock to pass the segment's retain-until " + deletable, Await.DEADLINE,
                () -> Instant.now().isAfter(deletable));
        JsonPath expired = runJob("purge", tenant, false);
        assertThat(expired.getLong("details.tenants." + tenant + ".segmentsDeleted")).isEqualTo(1);
        assertThat(exists(key)).isFalse();
        // That was the last copy: the personal values of its events went with it (V24).
        assertThat(personalValuesOf(ids)).as("values of events whose last copy is deleted").isZero();
        given().auth().oauth2(TestTokens.auditor("aud", tenant)).when().get("/api/v1/events/" + ids.get(3))
                .then().statusCode(410).body("type", equalTo("urn:stenographer:problem:event-past-retention"));
        JsonPath byIndex = given().auth().oauth2(TestTokens.auditor("aud", tenant)).queryParam("index", 3)
                .when().get("/api/v1/logs/" + tenant + "/proof/inclusion").then().statusCode(200).extract().jsonPath();
        assertThat(byIndex.getString("leafHash")).isNotBlank();

        List<String> runs = given().auth().oauth2(TestTokens.admin("admin", tenant)).when().get("/api/v1/jobs/runs")
                .then().statusCode(200).extract().jsonPath().getList("id", String.class);
        assertThat(runs).contains(expired.getString("id"), archived.getString("id"));
        List<String> recorded = given().auth().oauth2(TestTokens.auditor("aud", tenant)).queryParam("tenant", tenant)
                .queryParam("action", "purge.run").queryParam("includeArchived", "true").when().get("/api/v1/events")
                .then().statusCode(200).extract().jsonPath().getList("events.action", String.class);
        assertThat(recorded).hasSizeGreaterThanOrEqualTo(3);
    }

    @Test
    void jobEndpointsNeedTheAdminRoleAndTheTenant() {
        String tenant = "arch-" + UUID.randomUUID().toString().substring(0, 8);
        given().when().post("/api/v1/jobs/archive/runs?tenant=" + tenant).then().statusCode(401);
        given().auth().oauth2(TestTokens.auditor("aud", tenant)).when().post("/api/v1/jobs/archive/runs?tenant=" + tenant)
                .then().statusCode(403);
        given().auth().oauth2(TestTokens.admin("admin", "other-tenant")).when()
                .post("/api/v1/jobs/purge/runs?tenant=" + tenant)
                .then().statusCode(403).body("type", equalTo("urn:stenographer:problem:tenant-access-denied"));
        given().auth().oauth2(TestTokens.admin("admin", tenant)).when().post("/api/v1/jobs/archive/runs")
                .then().statusCode(400).body("field", equalTo("tenant"));
        given().auth().oauth2(TestTokens.admin("admin", tenant)).when()
                .post("/api/v1/jobs/archive/runs?tenant=" + tenant + "&dryRun=maybe")
                .then().statusCode(400).body("field", equalTo("dryRun"));
        given().auth().oauth2(TestTokens.admin("admin", tenant)).when().post("/api/v1/jobs/compact/runs?tenant=" + tenant)
                .then().statusCode(404);
        given().auth().oauth2(TestTokens.writer("w", tenant)).when().get("/api/v1/jobs/runs").then().statusCode(403);
        given().auth().oauth2(TestTokens.auditor("aud", tenant)).when().get("/api/v1/jobs/runs/not-a-uuid")
                .then().statusCode(400);
    }

    /** How many of these events still have a personal_value row, read as the superuser. */
    private static long personalValuesOf(List<String> eventIds) throws SQLException {
        try (Connection db = EmbeddedPostgresTestResource.server().superuserConnection();
                PreparedStatement count = db.prepareStatement(
                        "SELECT count(*) FROM personal_value WHERE event_id = ANY (?::uuid[])")) {
            count.setArray(1, db.createArrayOf("text", eventIds.toArray()));
            try (ResultSet rs = count.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static JsonPath awaitReport(String tenant, String id) {
        JsonPath status = Await.until("report " + id + " to finish", Await.DEADLINE,
                () -> given().auth().oauth2(TestTokens.auditor("aud", tenant)).when()
                        .get("/api/v1/reports/" + id).then().statusCode(200).extract().jsonPath(),
                seen -> !List.of("queued", "running").contains(seen.getString("status")), JsonPath::prettify);
        assertThat(status.getString("status")).as(status.prettify()).isEqualTo("succeeded");
        return status;
    }

    static JsonPath runJob(String job, String tenant, boolean dryRun) {
        return given().auth().oauth2(TestTokens.admin("admin", tenant)).queryParam("tenant", tenant)
                .queryParam("dryRun", dryRun).when().post("/api/v1/jobs/" + job + "/runs")
                .then().statusCode(200).extract().jsonPath();
    }

    /** A tenant-wide policy; shorter than the 7-year default, so proposed by one admin and approved by another. */
    static void createPolicy(String tenant, String archiveAfter, String retainFor) {
        String approve = given().auth().oauth2(TestTokens.admin("admin", tenant)).contentType("application/json")
                .body(Map.of("id", "fast-archive", "tenant", tenant, "archiveAfter", archiveAfter,
                        "retainFor", retainFor, "legalBasis", "test: archive at once"))
                .when().post("/api/v1/retention-policies").then().statusCode(202)
                .extract().jsonPath().getString("approve");
        given().auth().oauth2(TestTokens.admin("second-admin", tenant)).when().post(approve).then().statusCode(201);
    }

    static String placeHold(String tenant, String actor) {
        return given().auth().oauth2(TestTokens.admin("admin", tenant)).contentType("application/json")
                .body(Map.of("tenant", tenant, "actorId", actor, "reason", "litigation", "caseReference", "CASE-1"))
                .when().post("/api/v1/legal-holds").then().statusCode(201).extract().jsonPath().getString("id");
    }

    static List<String> record(String tenant, int count, IntFunction<String> actor) {
        StringBuilder batch = new StringBuilder("{\"events\":[");
        for (int i = 0; i < count; i++) {
            batch.append(i == 0 ? "" : ",").append(Events.event(tenant, actor.apply(i), "case.view", "C-" + i));
        }
        batch.append("]}");
        return given().auth().oauth2(TestTokens.writer("writer", tenant)).contentType("application/json")
                .body(batch.toString()).when().post("/api/v1/events/batch")
                .then().statusCode(200).body("created", equalTo(count))
                .extract().jsonPath().getList("items.id", String.class);
    }

    private static void verifyProof(String tenant, JsonPath withProof) {
        NoteVerifier verifier = NoteVerifier.parse(given().when().get("/api/v1/logs/" + tenant + "/verifier-key")
                .then().statusCode(200).extract().asString().trim());
        Checkpoint checkpoint = Checkpoint.verifiedFrom(SignedNote.parse(withProof.getString("proof.checkpoint")),
                verifier);
        InclusionProof proof = new InclusionProof(withProof.getLong("proof.leafIndex"),
                withProof.getLong("proof.treeSize"), withProof.getList("proof.inclusionProof", String.class).stream()
                        .map(Hash::fromBase64).toList());
        assertThat(proof.verify(Hash.fromHex(withProof.getString("leafHash")), checkpoint.rootHash())).isTrue();
    }

    static boolean exists(String key) {
        return exists(s3, key);
    }

    static boolean exists(S3Client s3, String key) {
        try {
            s3.headObject(b -> b.bucket(S3MockTestResource.BUCKET).key(key));
            return true;
        } catch (software.amazon.awssdk.services.s3.model.NoSuchKeyException e) {
            return false;
        } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw e;
        }
    }

    static ObjectLockLegalHoldStatus legalHold(String key) {
        return s3.getObjectLegalHold(b -> b.bucket(S3MockTestResource.BUCKET).key(key)).legalHold().status();
    }
}
