package io.stenographer.bootstrap.report;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.stenographer.bootstrap.support.Await;
import io.stenographer.bootstrap.support.EmbeddedPostgresTestResource;
import io.stenographer.bootstrap.support.Events;
import io.stenographer.bootstrap.support.S3MockTestResource;
import io.stenographer.bootstrap.support.TestTokens;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Report files through the API (docs/REPORTS.md, "Report files"): small files from the database and large ones from
 * the archive store (S3Mock here, with {@code inline-max-bytes} 16 KiB in the test profile), each download checked
 * against the recorded digest before any header is sent, single byte ranges and validators, and the purge of expired
 * files (retention {@code PT8S} in the test profile) that a legal hold over the report's period stops.
 */
@QuarkusTest
class ReportFilesEndpointsTest {

    private static final String PROBLEM = "urn:stenographer:problem:";
    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    private static final String FROM = NOW.minus(1, ChronoUnit.HOURS).toString();
    private static final String TO = NOW.plus(1, ChronoUnit.HOURS).toString();

    private static String tenantWithEvents(int events) {
        String tenant = "rf-" + UUID.randomUUID().toString().substring(0, 8);
        Events.recordBatch(tenant, events);
        Await.until("the log of " + tenant + " at size " + events, Await.DEADLINE, () -> {
            Response response = given().auth().oauth2(TestTokens.auditor("aud", tenant)).accept("application/json")
                    .when().get("/api/v1/logs/" + tenant + "/checkpoint");
            return response.statusCode() == 200 ? response.jsonPath().getLong("treeSize") : 0L;
        }, size -> size >= events);
        return tenant;
    }

    private static String auditor(String tenant) {
        return TestTokens.auditor("auditor-1", tenant);
    }

    /** A small file: the CSV export of one event. */
    private static JsonPath small(String tenant) {
        return generated(tenant, "csv", ",\"actor\":\"actor-0\"");
    }

    /** A large file: the JSON export of all (60) events, some 30 KiB. */
    private static JsonPath large(String tenant) {
        return generated(tenant, "json", "");
    }

    /** Requests a FOIA export without pseudonyms (so its size depends on the events only) and waits for it. */
    private static JsonPath generated(String tenant, String format, String parameters) {
        String id = given().auth().oauth2(auditor(tenant)).contentType("application/json")
                .body("{\"tenant\":\"" + tenant + "\",\"type\":\"foia-export\",\"format\":\"" + format
                        + "\",\"parameters\":{\"from\":\"" + FROM + "\",\"to\":\"" + TO
                        + "\",\"pseudonymiseActors\":false" + parameters + "}}")
                .when().post("/api/v1/reports").then().statusCode(202).extract().jsonPath().getString("id");
        JsonPath status = Await.until("report " + id + " to finish", Await.DEADLINE,
                () -> given().auth().oauth2(auditor(tenant)).when().get("/api/v1/reports/" + id)
                        .then().statusCode(200).extract().jsonPath(),
                seen -> Set.of("succeeded", "failed").contains(seen.getString("status")), JsonPath::prettify);
        assertThat(status.getString("status")).as(status.prettify()).isEqualTo("succeeded");
        return status;
    }

    private static Response get(String tenant, JsonPath status, Map<String, String> headers) {
        return given().auth().oauth2(auditor(tenant)).headers(headers).when()
                .get("/api/v1/reports/" + status.getString("id") + "/content");
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    /** The tenant's self-audit events of one action, with their metadata as JSON text, oldest first. */
    private static List<String> selfAudit(String tenant, String action) throws SQLException {
        try (Connection db = EmbeddedPostgresTestResource.server().superuserConnection();
                PreparedStatement query = db.prepareStatement(
                        "SELECT metadata FROM audit_event WHERE tenant = ? AND action = ? ORDER BY received_at, id")) {
            query.setString(1, tenant);
            query.setString(2, action);
            List<String> metadata = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    metadata.add(rows.getString(1));
                }
            }
            return metadata;
        }
    }

    @Test
    void aSmallFileComesFromTheDatabaseAndALargeOneFromTheArchiveStoreEachWithItsDigest() throws Exception {
        String tenant = tenantWithEvents(60);
        JsonPath small = small(tenant);
        JsonPath large = large(tenant);

        assertThat(small.getLong("contentBytes")).isLessThanOrEqualTo(16_384);
        assertThat(small.getString("fileLocation")).isEqualTo("database");
        assertThat(large.getLong("contentBytes")).isGreaterThan(16_384);
        assertThat(large.getString("fileLocation")).isEqualTo("archive");
        for (JsonPath status : List.of(small, large)) {
            assertThat(status.getString("fileStatus")).isEqualTo("available");
            assertThat(Instant.parse(status.getString("fileExpiresAt")))
                    .isEqualTo(Instant.parse(status.getString("fileStoredAt")).plusSeconds(8));
            Response response = get(tenant, status, Map.of());
            response.then().statusCode(200).header("Accept-Ranges", "bytes")
                    .header("ETag", "\"" + status.getString("contentSha256") + "\"")
                    .header("Cache-Control", "private, no-cache")
                    .header("Content-Length", String.valueOf(status.getLong("contentBytes")));
            assertThat(sha256(response.asByteArray())).isEqualTo(status.getString("contentSha256"));
        }
        String key = "reports/" + tenant + "/" + large.getString("id") + ".json";
        try (S3Client s3 = S3MockTestResource.client()) {
            var retention = s3.getObjectRetention(b -> b.bucket(S3MockTestResource.BUCKET).key(key)).retention();
            assertThat(retention.modeAsString()).isEqualTo("COMPLIANCE");
            assertThat(retention.retainUntilDate()).isAfterOrEqualTo(Instant.parse(large.getString("fileStoredAt")));
        }
        assertThat(selfAudit(tenant, "report.downloaded")).hasSize(2);
    }

    @Test
    void singleRangesValidatorsAndConditionalRequestsAreAnsweredAndAuditedAsDocumented() throws Exception {
        String tenant = tenantWithEvents(3);
        JsonPath status = generated(tenant, "csv", "");
        byte[] whole = get(tenant, status, Map.of()).then().statusCode(200).extract().asByteArray();
        String etag = "\"" + sha256(whole) + "\"";
        int size = whole.length;

        Response first = get(tenant, status, Map.of("Range", "bytes=0-9"));
        first.then().statusCode(206).header("Content-Range", "bytes 0-9/" + size).header("Content-Length", "10")
                .header("ETag", etag).header("Repr-Digest", containsString("sha-256=:"));
        assertThat(first.asByteArray()).isEqualTo(Arrays.copyOfRange(whole, 0, 10));
        assertThat(get(tenant, status, Map.of("Range", "bytes=-7")).then().statusCode(206)
                .header("Content-Range", "bytes " + (size - 7) + "-" + (size - 1) + "/" + size).extract()
                .asByteArray()).isEqualTo(Arrays.copyOfRange(whole, size - 7, size));
        assertThat(get(tenant, status, Map.of("Range", "bytes=5-")).then().statusCode(206).extract().asByteArray())
                .isEqualTo(Arrays.copyOfRange(whole, 5, size));
        get(tenant, status, Map.of("Range", "bytes=" + size + "-")).then().statusCode(416)
                .contentType("application/problem+json").header("Content-Range", "bytes */" + size)
                .body("type", equalTo(PROBLEM + "range-not-satisfiable"));
        assertThat(get(tenant, status, Map.of("Range", "bytes=0-1,4-5")).then().statusCode(200).extract()
                .asByteArray()).as("several ranges: the whole file").isEqualTo(whole);

        Response notModified = get(tenant, status, Map.of("If-None-Match", "\"something-else\", " + etag));
        notModified.then().statusCode(304).header("ETag", etag);
        assertThat(notModified.asByteArray()).isEmpty();
        get(tenant, status, Map.of("If-None-Match", "\"something-else\"")).then().statusCode(200);
        assertThat(get(tenant, status, Map.of("Range", "bytes=0-3", "If-Range", etag)).then().statusCode(206)
                .extract().asByteArray()).isEqualTo(Arrays.copyOfRange(whole, 0, 4));
        assertThat(get(tenant, status, Map.of("Range", "bytes=0-3", "If-Range", "\"an-older-file\"")).then()
                .statusCode(200).extract().asByteArray()).isEqualTo(whole);
        get(tenant, status, Map.of("If-Match", "\"an-older-file\"")).then().statusCode(412)
                .body("type", equalTo(PROBLEM + "precondition-failed"));

        given().auth().oauth2(auditor(tenant)).when().head("/api/v1/reports/" + status.getString("id") + "/content")
                .then().statusCode(200).header("ETag", etag).header("Content-Length", String.valueOf(size));

        // Every answer that handed out content or confirmed the caller's copy is one event; 416, 412 and HEAD are not.
        List<String> downloads = selfAudit(tenant, "report.downloaded");
        assertThat(downloads).hasSize(9);
        assertThat(downloads).filteredOn(m -> m.contains("\"range\":\"bytes 0-9/" + size + "\"")).hasSize(1);
        assertThat(downloads).filteredOn(m -> m.contains("\"notModified\":true")).hasSize(1);
        assertThat(downloads).allSatisfy(m -> assertThat(m).contains(sha256(whole)));
    }

    @Test
    void aFileChangedInEitherStoreIsRefusedWithAProblemBeforeAnyOfItIsSent() throws Exception {
        String tenant = tenantWithEvents(60);
        JsonPath small = small(tenant);
        JsonPath large = large(tenant);
        try (Connection db = EmbeddedPostgresTestResource.server().superuserConnection();
                Statement statement = db.createStatement()) {
            // Only a superuser with the triggers off can change stored bytes; the record's digest still says what
            // the file was.
            statement.execute("SET session_replication_role = replica");
            statement.execute("UPDATE report_file_content SET content = overlay(content placing '\\x58'::bytea from 3)"
                    + " WHERE report_id = '" + small.getString("id") + "'");
        }
        try (S3Client s3 = S3MockTestResource.client()) {
            // S3Mock enforces no Object Lock, so the object can be overwritten (AWS S3 would keep the locked version).
            byte[] altered = get(tenant, large, Map.of()).then().statusCode(200).extract().asByteArray();
            altered[altered.length / 2] ^= 1;
            s3.putObject(b -> b.bucket(S3MockTestResource.BUCKET)
                    .key("reports/" + tenant + "/" + large.getString("id") + ".json"), RequestBody.fromBytes(altered));
        }
        int before = selfAudit(tenant, "report.downloaded").size();
        for (JsonPath status : List.of(small, large)) {
            for (Map<String, String> headers : List.<Map<String, String>>of(Map.of(), Map.of("Range", "bytes=0-1"))) {
                Response refused = get(tenant, status, headers);
                refused.then().statusCode(500).contentType("application/problem+json")
                        .body("type", equalTo(PROBLEM + "report-file-integrity-violation"))
                        .body("detail", containsString("do not match the digest recorded"))
                        .body("detail", containsString(status.getString("id")));
                assertThat(refused.getHeader("Content-Range")).isNull();
                assertThat(refused.getHeader("ETag")).isNull();
            }
        }
        assertThat(selfAudit(tenant, "report.downloaded")).as("nothing was handed out").hasSize(before);
        assertThat(selfAudit(tenant, "report.file.integrity-failed")).as("each failed check is in the tenant's log")
                .hasSize(4).allSatisfy(metadata -> assertThat(metadata).contains("do not match the digest recorded"));
    }

    @Test
    void expiredFilesArePurgedUnlessAHoldCoversTheReportsPeriodAndThenAnswer410() throws Exception {
        String tenant = tenantWithEvents(60);
        JsonPath small = small(tenant);
        JsonPath large = large(tenant);
        String holdId = given().auth().oauth2(TestTokens.admin("admin", tenant)).contentType("application/json")
                .body(Map.of("tenant", tenant, "from", FROM, "reason", "litigation", "caseReference", "CASE-9"))
                .when().post("/api/v1/legal-holds").then().statusCode(201).extract().jsonPath().getString("id");
        // The archive copy's lock was set from the writer's clock just before the file was recorded, rounded up to the
        // second: it ends at most a second after the recorded expiry.
        Instant expires = Instant.parse(large.getString("fileExpiresAt")).plusMillis(1200);
        Await.until("both files past their retention and lock (" + expires + ")", Await.DEADLINE,
                () -> Instant.now().isAfter(expires));

        JsonPath held = runReportFilesJob(tenant, false);
        assertThat(held.getLong("details.tenants." + tenant + ".filesHeld")).isEqualTo(2);
        assertThat(held.getLong("details.tenants." + tenant + ".filesPurged")).isZero();
        get(tenant, small, Map.of()).then().statusCode(200);

        given().auth().oauth2(TestTokens.admin("admin", tenant)).contentType("application/json")
                .body("{\"reason\":\"case closed\"}").when().post("/api/v1/legal-holds/" + holdId + "/release")
                .then().statusCode(200);
        assertThat(runReportFilesJob(tenant, true).getLong("details.tenants." + tenant + ".filesWouldPurge"))
                .isEqualTo(2);
        JsonPath purged = runReportFilesJob(tenant, false);
        assertThat(purged.getString("job")).isEqualTo("report_files");
        assertThat(purged.getLong("details.tenants." + tenant + ".filesPurged")).isEqualTo(2);
        assertThat(purged.getLong("details.reportFilesPurged")).isEqualTo(2);

        for (JsonPath status : List.of(small, large)) {
            get(tenant, status, Map.of()).then().statusCode(410).contentType("application/problem+json")
                    .body("type", equalTo(PROBLEM + "report-file-gone"))
                    .body("detail", containsString("purged"))
                    .body("detail", containsString(status.getString("contentSha256")));
            JsonPath after = given().auth().oauth2(auditor(tenant)).when()
                    .get("/api/v1/reports/" + status.getString("id")).then().statusCode(200).extract().jsonPath();
            assertThat(after.getString("fileStatus")).isEqualTo("purged");
            assertThat(after.getString("filePurgedAt")).isNotNull();
            assertThat(after.getString("contentSha256")).isEqualTo(status.getString("contentSha256"));
            assertThat(after.getMap("links")).doesNotContainKey("content");
        }
        try (S3Client s3 = S3MockTestResource.client()) {
            assertThat(s3.listObjectsV2(b -> b.bucket(S3MockTestResource.BUCKET).prefix("reports/" + tenant + "/"))
                    .contents()).as("the archive copy is deleted").isEmpty();
        }
        List<String> events = selfAudit(tenant, "report.file.purged");
        assertThat(events).hasSize(2);
        assertThat(events).anySatisfy(m -> assertThat(m).contains(small.getString("id")).contains("\"database\""));
        assertThat(events).anySatisfy(m -> assertThat(m).contains(large.getString("id")).contains("\"archive\""));
        assertThat(selfAudit(tenant, "report.file-purge.run")).hasSize(3);
        assertThat(runReportFilesJob(tenant, false).getLong("details.tenants." + tenant + ".filesPurged")).isZero();
    }

    @Test
    void theReportFilesJobIsForComplianceAdminsOfTheTenant() {
        String tenant = "rf-" + UUID.randomUUID().toString().substring(0, 8);
        given().auth().oauth2(auditor(tenant)).when().post("/api/v1/jobs/report-files/runs?tenant=" + tenant)
                .then().statusCode(403);
        given().auth().oauth2(TestTokens.admin("admin", "other-tenant")).when()
                .post("/api/v1/jobs/report-files/runs?tenant=" + tenant)
                .then().statusCode(403).body("type", equalTo(PROBLEM + "tenant-access-denied"));
        String body = given().auth().oauth2(TestTokens.admin("admin", tenant)).when()
                .post("/api/v1/jobs/report-files/runs?tenant=" + tenant).then().statusCode(200).extract().asString();
        assertThat(body).contains("\"job\":\"report_files\"").contains("\"status\":\"succeeded\"")
                .contains(tenant);
    }

    private static JsonPath runReportFilesJob(String tenant, boolean dryRun) {
        JsonPath run = given().auth().oauth2(TestTokens.admin("admin", tenant)).queryParam("tenant", tenant)
                .queryParam("dryRun", dryRun).when().post("/api/v1/jobs/report-files/runs")
                .then().statusCode(200).extract().jsonPath();
        assertThat(run.getString("status")).as(run.prettify()).isEqualTo("succeeded");
        return run;
    }
}
