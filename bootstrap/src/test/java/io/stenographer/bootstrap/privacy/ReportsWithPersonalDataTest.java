package io.stenographer.bootstrap.privacy;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.stenographer.bootstrap.support.Await;
import io.stenographer.bootstrap.support.EmbeddedPostgresTestResource;
import io.stenographer.bootstrap.support.S3MockTestResource;
import io.stenographer.bootstrap.support.TestTokens;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Reports with personal data (docs/PRIVACY.md, "Reports with personal data"), on the real database and S3Mock: only a
 * personal-data reader may ask for or download one; its stored file (a database row when small, an S3 object when
 * large, {@code inline-max-bytes} 16 KiB in the test profile) holds no plaintext; erasing a subject whose values it
 * holds destroys its key, and the file is gone (410) while reports without that subject stay readable.
 */
@QuarkusTest
class ReportsWithPersonalDataTest {

    private static final String PROBLEM = "urn:stenographer:problem:";
    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    private final String tenant = "rpd-" + UUID.randomUUID().toString().substring(0, 8);
    private final String canaryOne = "Canary-One-" + UUID.randomUUID();
    private final String canaryTwo = "Canary-Two-" + UUID.randomUUID();

    private String reader() {
        return TestTokens.valid("privacy-officer", Set.of("auditor", "personal-data-reader"), tenant);
    }

    private String auditor() {
        return TestTokens.auditor("auditor-1", tenant);
    }

    private static String event(String tenant, String actor, String displayName, int i) {
        return """
                {"tenant":"%s","actor":{"id":"%s","type":"user","displayName":"%s"},
                 "action":"case.view","resource":{"type":"case","id":"C-7"},"reason":"review",
                 "outcome":"success","occurredAt":"%s",
                 "source":{"application":"portal","ip":"198.51.100.%d","userAgent":"%s-agent"}}
                """.formatted(tenant, actor, displayName, NOW.minus(10, ChronoUnit.MINUTES).plusMillis(i), i % 250,
                displayName);
    }

    /** Subject one: {@code count} events; subject two: one. */
    private void ingest(int count) {
        List<String> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            events.add(event(tenant, "subject-one", canaryOne, i));
        }
        events.add(event(tenant, "subject-two", canaryTwo, count));
        given().auth().oauth2(TestTokens.writer("writer", tenant)).contentType("application/json")
                .body("{\"events\":[" + String.join(",", events) + "]}")
                .when().post("/api/v1/events/batch").then().statusCode(200).body("created", equalTo(count + 1));
        Await.until("the log of " + tenant + " at size " + (count + 1), Await.DEADLINE, () -> {
            Response response = given().auth().oauth2(TestTokens.auditor("aud", tenant)).accept("application/json")
                    .when().get("/api/v1/logs/" + tenant + "/checkpoint");
            return response.statusCode() == 200 ? response.jsonPath().getLong("treeSize") : 0L;
        }, size -> size >= count + 1);
    }

    private Response request(String token, String type, String format, String parameters) {
        return given().auth().oauth2(token).contentType("application/json")
                .body("{\"tenant\":\"" + tenant + "\",\"type\":\"" + type + "\",\"format\":\"" + format
                        + "\",\"parameters\":{\"from\":\"" + NOW.minus(1, ChronoUnit.HOURS) + "\",\"to\":\""
                        + NOW.plus(1, ChronoUnit.HOURS) + "\"" + parameters + "}}")
                .when().post("/api/v1/reports");
    }

    private JsonPath generated(String type, String format, String parameters) {
        String id = request(reader(), type, format, parameters).then().statusCode(202).extract().jsonPath()
                .getString("id");
        JsonPath status = Await.until("report " + id + " to finish", Await.DEADLINE,
                () -> given().auth().oauth2(reader()).when().get("/api/v1/reports/" + id)
                        .then().statusCode(200).extract().jsonPath(),
                seen -> Set.of("succeeded", "failed").contains(seen.getString("status")), JsonPath::prettify);
        assertThat(status.getString("status")).as(status.prettify()).isEqualTo("succeeded");
        return status;
    }

    private Response download(String token, JsonPath report) {
        return given().auth().oauth2(token).when().get("/api/v1/reports/" + report.getString("id") + "/content");
    }

    private static byte[] storedRow(String reportId) throws Exception {
        try (Connection db = EmbeddedPostgresTestResource.server().superuserConnection();
                PreparedStatement query = db.prepareStatement(
                        "SELECT content FROM report_file_content WHERE report_id = ?::uuid")) {
            query.setString(1, reportId);
            try (ResultSet row = query.executeQuery()) {
                assertThat(row.next()).as("a database row for report " + reportId).isTrue();
                return row.getBytes(1);
            }
        }
    }

    private static byte[] storedObject(String reportId) {
        try (S3Client s3 = S3MockTestResource.client()) {
            String key = s3.listObjectsV2(b -> b.bucket(S3MockTestResource.BUCKET).prefix("reports/")).contents()
                    .stream().map(o -> o.key()).filter(k -> k.contains(reportId)).findFirst().orElseThrow();
            return s3.getObjectAsBytes(b -> b.bucket(S3MockTestResource.BUCKET).key(key)).asByteArray();
        }
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    @Test
    void onlyAPersonalDataReaderAsksForOneAndAFoiaExportNeverCarriesPersonalValues() {
        ingest(1);

        request(auditor(), "record-access", "csv",
                ",\"resourceType\":\"case\",\"resourceId\":\"C-7\",\"personalData\":true")
                .then().statusCode(403).contentType("application/problem+json");
        request(reader(), "foia-export", "csv", ",\"personalData\":true")
                .then().statusCode(400).contentType("application/problem+json")
                .body(containsString("parameters.personalData"));
        // Without the flag, a reader's report carries commitments only, as before.
        JsonPath plain = generated("record-access", "csv", ",\"resourceType\":\"case\",\"resourceId\":\"C-7\"");
        String csv = download(reader(), plain).then().statusCode(200).extract().asString();
        assertThat(csv).doesNotContain(canaryOne).doesNotContain(canaryTwo);
    }

    @Test
    void theValuesReachTheReaderOnlyAndErasureShredsEveryStoredFileThatHoldsThem() throws Exception {
        ingest(40);
        String recordAccess = ",\"resourceType\":\"case\",\"resourceId\":\"C-7\",\"personalData\":true";
        JsonPath csv = generated("record-access", "csv", recordAccess);
        JsonPath json = generated("record-access", "json", recordAccess);
        JsonPath onlyTwo = generated("actor-activity", "csv", ",\"actor\":\"subject-two\",\"personalData\":true");

        // The reader downloads the values, each field with its status.
        String table = download(reader(), csv).then().statusCode(200).extract().asString();
        assertThat(table).contains(canaryOne).contains(canaryTwo).contains("198.51.100.3")
                .contains("actor.displayName=revealed");
        JsonPath full = download(reader(), json).then().statusCode(200).extract().jsonPath();
        assertThat(full.getString("events[0].personalData.'actor.displayName'.status")).isEqualTo("revealed");
        assertThat(full.getString("events[0].personalData.'actor.displayName'.opening")).matches("[0-9a-f]{64}");
        // An auditor without the permission may see that the report exists, not its content.
        download(auditor(), csv).then().statusCode(403).contentType("application/problem+json");

        // What is stored holds no plaintext: the small report in its database row, the large ones in S3.
        assertThat(onlyTwo.getLong("contentBytes")).isLessThanOrEqualTo(16_384);
        assertThat(csv.getLong("contentBytes")).isGreaterThan(16_384);
        assertThat(json.getLong("contentBytes")).isGreaterThan(16_384);
        for (byte[] stored : List.of(storedRow(onlyTwo.getString("id")), storedObject(csv.getString("id")),
                storedObject(json.getString("id")))) {
            assertThat(text(stored)).startsWith("STNRF1\n").doesNotContain(canaryOne).doesNotContain(canaryTwo)
                    .doesNotContain("198.51.100.");
        }

        // Erasing subject one destroys the keys of the two reports that hold its values, not of the third.
        given().auth().oauth2(TestTokens.admin("admin-1", tenant)).contentType("application/json")
                .body("{\"tenant\":\"" + tenant + "\",\"reason\":\"GDPR Art. 17\"}")
                .when().post("/api/v1/subjects/subject-one/erasures")
                .then().statusCode(201).body("reportKeysDestroyed", equalTo(2));
        for (JsonPath shredded : List.of(csv, json)) {
            download(reader(), shredded).then().statusCode(410).contentType("application/problem+json")
                    .body("detail", containsString("erased"));
            // The status says so before anyone tries: no content link, and why.
            given().auth().oauth2(reader()).when().get("/api/v1/reports/" + shredded.getString("id"))
                    .then().statusCode(200).body("status", equalTo("succeeded"))
                    .body("fileStatus", equalTo("erased")).body("links.content", org.hamcrest.Matchers.nullValue());
        }
        given().auth().oauth2(reader()).when().get("/api/v1/reports/" + onlyTwo.getString("id"))
                .then().statusCode(200).body("fileStatus", equalTo("available"));
        assertThat(download(reader(), onlyTwo).then().statusCode(200).extract().asString()).contains(canaryTwo);

        // A report asked for after the erasure says the subject's fields are erased.
        JsonPath after = generated("record-access", "csv", recordAccess);
        String rows = download(reader(), after).then().statusCode(200).extract().asString();
        assertThat(rows).doesNotContain(canaryOne).contains(canaryTwo).contains("actor.displayName=erased");
    }
}
