package io.stenographer.bootstrap.report;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.stenographer.bootstrap.support.Await;
import io.stenographer.bootstrap.support.TestTokens;
import io.stenographer.domain.checkpoint.NoteVerifier;
import io.stenographer.domain.report.bundle.ReportBundleVerification;
import io.stenographer.domain.report.bundle.ReportBundleVerifier;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;

/** Reports end to end: request, poll, download every type and format, verify, pin, audit, secure. */
@QuarkusTest
class ReportEndpointsTest {

    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    private static final String FROM = NOW.minus(1, ChronoUnit.HOURS).toString();
    private static final String TO = NOW.plus(1, ChronoUnit.HOURS).toString();

    /** A small log: views/exports by two clerks, a burst of denials, an export without a reason. */
    private static String seeded() throws Exception {
        String tenant = "rep-" + UUID.randomUUID().toString().substring(0, 8);
        List<String> events = new ArrayList<>();
        events.add(event(tenant, "clerk-1", "case.view", "BC-1", "success", "ticket 1", 0));
        events.add(event(tenant, "clerk-1", "case.export", "BC-1", "success", null, 1));
        events.add(event(tenant, "=HYPERLINK(\\\"http://evil\\\")", "case.view", "BC-1", "success", "-1+1", 2));
        for (int i = 0; i < 5; i++) {
            events.add(event(tenant, "mallory", "case.view", "BC-" + (10 + i), "denied", "curious", 3 + i));
        }
        events.add(event(tenant, "clerk-2", "case.edit", "BC-1", "success", "fix typo", 9));
        record(tenant, events);
        awaitTreeSize(tenant, events.size());
        return tenant;
    }

    private static String event(String tenant, String actor, String action, String resource, String outcome,
            String reason, int second) {
        return """
                {"tenant":"%s","actor":{"id":"%s","type":"user","displayName":"Person %s"},"action":"%s",
                 "resource":{"type":"background-check","id":"%s"},%s"outcome":"%s","occurredAt":"%s",
                 "source":{"application":"portal","ip":"192.0.2.7"},"metadata":{"ssn":"123-45-6789","rows":1}}
                """.formatted(tenant, actor, actor.length() > 10 ? "X" : actor, action, resource,
                reason == null ? "" : "\"reason\":\"" + reason + "\",", outcome,
                NOW.minus(30, ChronoUnit.MINUTES).plusSeconds(second));
    }

    private static void record(String tenant, List<String> events) {
        given().auth().oauth2(TestTokens.writer("writer", tenant)).contentType("application/json")
                .body("{\"events\":[" + String.join(",", events) + "]}").when().post("/api/v1/events/batch")
                .then().statusCode(200).body("created", equalTo(events.size()));
    }

    private static long awaitTreeSize(String tenant, long size) {
        return Await.until("the log of " + tenant + " at size " + size + " or more", Await.DEADLINE, () -> {
            Response response = given().auth().oauth2(TestTokens.auditor("aud", tenant)).accept("application/json")
                    .when().get("/api/v1/logs/" + tenant + "/checkpoint");
            return response.statusCode() == 200 ? response.jsonPath().getLong("treeSize") : 0L;
        }, treeSize -> treeSize >= size);
    }

    static String auditor(String tenant) {
        return TestTokens.auditor("auditor-1", tenant);
    }

    private static JsonPath request(String tenant, String type, String format, String parameters) {
        Response response = given().auth().oauth2(auditor(tenant)).contentType("application/json")
                .body("{\"tenant\":\"" + tenant + "\",\"type\":\"" + type + "\",\"format\":\"" + format
                        + "\",\"parameters\":{\"from\":\"" + FROM + "\",\"to\":\"" + TO + "\"" + parameters + "}}")
                .when().post("/api/v1/reports");
        response.then().statusCode(202).header("Location", containsString("/api/v1/reports/"))
                .body("status", equalTo("queued"));
        return awaitDone(tenant, response.jsonPath().getString("id"));
    }

    static JsonPath awaitDone(String tenant, String id) {
        JsonPath status = Await.until("report " + id + " to finish", Await.DEADLINE,
                () -> given().auth().oauth2(auditor(tenant)).when().get("/api/v1/reports/" + id)
                        .then().statusCode(200).extract().jsonPath(),
                seen -> Set.of("succeeded", "failed").contains(seen.getString("status")), JsonPath::prettify);
        assertThat(status.getString("error")).isNull();
        assertThat(status.getString("status")).isEqualTo("succeeded");
        return status;
    }

    private static byte[] download(String tenant, JsonPath status, String mediaType) {
        return given().auth().oauth2(auditor(tenant)).when().get(status.getString("links.content"))
                .then().statusCode(200).contentType(startsWith(mediaType))
                .header("Content-Disposition", startsWith("attachment; filename=\"report-"))
                .header("Repr-Digest", startsWith("sha-256=:"))
                .extract().asByteArray();
    }

    @Test
    void everyTypeAnswersItsQuestionInJson() throws Exception {
        String tenant = seeded();
        JsonPath access = new JsonPath(new String(download(tenant, request(tenant, "record-access", "json",
                ",\"resourceType\":\"background-check\",\"resourceId\":\"BC-1\""), "application/json"),
                StandardCharsets.UTF_8));
        assertThat(access.getList("events.event.actor.id", String.class))
                .containsExactly("clerk-1", "clerk-1", "=HYPERLINK(\"http://evil\")", "clerk-2");
        assertThat(access.getList("header.ruleVersions", String.class)).containsExactly("summary/1", "record-access/1");
        assertThat(access.getString("header.requestedBy")).isEqualTo("auditor-1");
        assertThat(access.getLong("header.checkpoint.treeSize")).isGreaterThanOrEqualTo(9);
        assertThat(access.getString("header.query.resourceId")).isEqualTo("BC-1");

        JsonPath denied = new JsonPath(new String(download(tenant, request(tenant, "denied-access", "json",
                ",\"deniedThreshold\":5,\"deniedWindow\":\"PT10M\""), "application/json"), StandardCharsets.UTF_8));
        assertThat(denied.getList("rules[0].findings.kind", String.class)).containsExactly("repeated-denials");
        assertThat(denied.getInt("rules[0].findings[0].count")).isEqualTo(5);
        assertThat(denied.getList("events")).hasSize(5);

        JsonPath unjustified = new JsonPath(new String(download(tenant, request(tenant, "unjustified-access", "json",
                ""), "application/json"), StandardCharsets.UTF_8));
        assertThat(unjustified.getList("events.event.action", String.class)).containsExactly("case.export");

        JsonPath actor = new JsonPath(new String(download(tenant, request(tenant, "actor-activity", "json",
                ",\"actor\":\"mallory\""), "application/json"), StandardCharsets.UTF_8));
        assertThat(actor.getList("events")).hasSize(5);

        JsonPath volume = new JsonPath(new String(download(tenant, request(tenant, "unusual-volume", "json",
                ",\"volumeThreshold\":4,\"volumeWindow\":\"PT2H\""), "application/json"), StandardCharsets.UTF_8));
        assertThat(volume.getList("rules[0].findings.subject", String.class)).containsExactly("mallory");
    }

    @Test
    void csvIsEscapedAgainstFormulaInjection() throws Exception {
        String tenant = seeded();
        String csv = new String(download(tenant, request(tenant, "foia-export", "csv",
                ",\"pseudonymiseActors\":false"), "text/csv"), StandardCharsets.UTF_8);
        assertThat(csv).startsWith("\"index\",\"leafHash\",\"eventId\",").contains("\r\n");
        assertThat(csv).contains(",\"'=HYPERLINK(\"\"http://evil\"\")\",", ",\"'-1+1\",");
        assertThat(csv.split("\r\n")).hasSize(1 + 9);
    }

    @Test
    void pdfHasTheReportForPeople() throws Exception {
        String tenant = seeded();
        JsonPath status = request(tenant, "denied-access", "pdf", "");
        byte[] pdf = download(tenant, status, "application/pdf");
        JsonPath json = new JsonPath(new String(download(tenant, request(tenant, "denied-access", "json",
                ",\"treeSize\":" + status.getLong("treeSize")), "application/json"), StandardCharsets.UTF_8));
        try (PDDocument document = Loader.loadPDF(pdf)) {
            int pages = document.getNumberOfPages();
            String text = new PDFTextStripper().getText(document);
            assertThat(text).contains("Denied access report", "Tenant: " + tenant, "Query", "deniedThreshold: 5",
                    "Summary", "Denied events by actor", "mallory", "Activity over time", "Findings",
                    "repeated-denials", "Events", "Signed checkpoint and how to verify it", "Page 1 of " + pages,
                    "Page " + pages + " of " + pages, "verify-report-pdf");
            assertThat(text).contains(json.getString("header.checkpoint.rootHash"));
            assertThat(text).contains("stenographer.local/" + tenant);
        }
        assertThat(PdfChecks.pdfA3bFailures(pdf)).isEmpty();
        assertThat(PdfChecks.verifyOffline(pdf, tenant)).startsWith("OK: ");
    }

    /** The reported bug: six accesses by people named in Chinese and Cyrillic came out as "???" and "???? ??????". */
    @Test
    void aRecordAccessPdfPrintsNamesInEveryScriptAndVerifiesOffline() throws Exception {
        String tenant = "rep-" + UUID.randomUUID().toString().substring(0, 8);
        List<String> events = new ArrayList<>();
        String[] actors = {"李小龙", "Иван Петров", "محمد", "דוד", "Σωκράτης", "김민준"};
        for (int i = 0; i < actors.length; i++) {
            events.add(event(tenant, actors[i], "case.view", "BC-77", "success", "ticket " + i, i));
        }
        record(tenant, events);
        awaitTreeSize(tenant, events.size());

        byte[] pdf = download(tenant, request(tenant, "record-access", "pdf",
                ",\"resourceType\":\"background-check\",\"resourceId\":\"BC-77\""), "application/pdf");

        try (PDDocument document = Loader.loadPDF(pdf)) {
            String text = java.text.Normalizer.normalize(new PDFTextStripper().getText(document),
                    java.text.Normalizer.Form.NFKC);
            for (String actor : actors) {
                assertThat(text).contains(actor);
            }
            assertThat(text).doesNotContain("???");
        }
        assertThat(PdfChecks.pdfA3bFailures(pdf)).isEmpty();
        assertThat(PdfChecks.verifyOffline(pdf, tenant)).contains("the 6 event rows printed in the PDF");
    }

    @Test
    void bundleVerifiesOfflineAndAnyChangedByteFails() throws Exception {
        String tenant = seeded();
        byte[] zip = download(tenant, request(tenant, "foia-export", "bundle",
                ",\"redactFields\":[\"metadata.ssn\",\"source.ip\"]"), "application/zip");
        NoteVerifier key = NoteVerifier.parse(given().when().get("/api/v1/logs/" + tenant + "/verifier-key")
                .then().statusCode(200).extract().asString().trim());
        String origin = "stenographer.local/" + tenant;
        ReportBundleVerification result = new ReportBundleVerifier(key, origin).verify(new ByteArrayInputStream(zip));
        assertThat(result.failures()).isEmpty();
        assertThat(result.events()).isEqualTo(9);
        assertThat(result.redacted()).isEqualTo(9);

        String events = entry(zip, "events.ndjson");
        assertThat(events).doesNotContain("123-45-6789", "192.0.2.7", "clerk-1", "mallory").contains("\"p-");
        long pseudonymsOfMallory = events.lines().filter(line -> line.contains("\"outcome\":\"denied\""))
                .map(line -> line.replaceAll(".*\"actor\":\\{\"id\":\"(p-[0-9a-f]+)\".*", "$1")).distinct().count();
        assertThat(pseudonymsOfMallory).isEqualTo(1);

        for (int position = 0; position < zip.length; position += Math.max(1, zip.length / 400)) {
            byte[] changed = zip.clone();
            changed[position] ^= 0x20;
            assertThat(new ReportBundleVerifier(key, origin).verify(new ByteArrayInputStream(changed)).ok())
                    .as("byte %d of %d changed", position, zip.length).isFalse();
        }
    }

    @Test
    void reportsArePinnedToTheirCheckpoint() throws Exception {
        String tenant = seeded();
        JsonPath first = request(tenant, "foia-export", "json", ",\"pseudonymiseActors\":false");
        long pinned = first.getLong("treeSize");
        record(tenant, List.of(event(tenant, "late", "case.view", "BC-1", "success", "after", 20)));
        awaitTreeSize(tenant, pinned + 1);
        JsonPath a = new JsonPath(new String(download(tenant, first, "application/json"), StandardCharsets.UTF_8));
        assertThat(a.getList("events.event.actor.id", String.class)).doesNotContain("late").hasSize(9);

        JsonPath again = request(tenant, "foia-export", "json", ",\"pseudonymiseActors\":false,\"treeSize\":" + pinned);
        JsonPath b = new JsonPath(new String(download(tenant, again, "application/json"), StandardCharsets.UTF_8));
        assertThat(b.getList("events")).isEqualTo(a.getList("events"));
        assertThat(b.getMap("summary")).isEqualTo(a.getMap("summary"));
        assertThat(b.getString("header.checkpoint.signedNote")).isEqualTo(a.getString("header.checkpoint.signedNote"));
        assertThat(b.getString("header.reportId")).isNotEqualTo(a.getString("header.reportId"));

        JsonPath latest = request(tenant, "foia-export", "json", ",\"pseudonymiseActors\":false");
        assertThat(latest.getLong("treeSize")).isGreaterThan(pinned);
    }

    @Test
    void generatingAndDownloadingAreRecordedInTheTenantsLog() throws Exception {
        String tenant = seeded();
        JsonPath status = request(tenant, "unjustified-access", "csv", "");
        download(tenant, status, "text/csv");
        String id = status.getString("id");
        for (String action : List.of("report.requested", "report.generated", "report.downloaded")) {
            given().auth().oauth2(auditor(tenant)).queryParam("tenant", tenant).queryParam("action", action)
                    .when().get("/api/v1/events")
                    .then().statusCode(200)
                    .body("events.findAll { it.metadata.reportId == '" + id + "' }.size()", equalTo(1));
        }
    }

    @Test
    void onlyAuditorsOfTheTenantSeeReports() throws Exception {
        String tenant = seeded();
        JsonPath status = request(tenant, "unjustified-access", "json", "");
        String id = status.getString("id");
        String body = "{\"tenant\":\"" + tenant + "\",\"type\":\"foia-export\",\"parameters\":{\"from\":\"" + FROM
                + "\",\"to\":\"" + TO + "\"}}";

        given().when().get("/api/v1/reports/" + id).then().statusCode(401);
        given().contentType("application/json").body(body).when().post("/api/v1/reports").then().statusCode(401);
        for (String token : List.of(TestTokens.writer("w", tenant), TestTokens.admin("admin", tenant))) {
            given().auth().oauth2(token).when().get("/api/v1/reports/" + id).then().statusCode(403);
            given().auth().oauth2(token).when().get("/api/v1/reports/" + id + "/content").then().statusCode(403);
            given().auth().oauth2(token).contentType("application/json").body(body).when().post("/api/v1/reports")
                    .then().statusCode(403);
        }
        String stranger = TestTokens.auditor("other-auditor", "someone-else");
        given().auth().oauth2(stranger).when().get("/api/v1/reports/" + id).then().statusCode(404)
                .contentType("application/problem+json").body("type", equalTo("urn:stenographer:problem:not-found"));
        given().auth().oauth2(stranger).when().get("/api/v1/reports/" + id + "/content").then().statusCode(404);
        given().auth().oauth2(stranger).contentType("application/json").body(body).when().post("/api/v1/reports")
                .then().statusCode(403).body("type", equalTo("urn:stenographer:problem:tenant-access-denied"));
        given().auth().oauth2(auditor(tenant)).when().get("/api/v1/reports/" + UUID.randomUUID()).then().statusCode(404);
        given().auth().oauth2(auditor(tenant)).when().get("/api/v1/reports/not-a-uuid").then().statusCode(404);
        given().auth().oauth2(auditor(tenant)).queryParam("tenant", tenant).when().get("/api/v1/reports")
                .then().statusCode(200).body("[0].id", equalTo(id)).body("size()", equalTo(1));
        given().auth().oauth2(stranger).queryParam("tenant", tenant).when().get("/api/v1/reports")
                .then().statusCode(403);
    }

    @Test
    void invalidRequestsAreRefusedNamingTheField() throws Exception {
        String tenant = seeded();
        String token = auditor(tenant);
        String period = "\"from\":\"" + FROM + "\",\"to\":\"" + TO + "\"";
        List<String[]> cases = List.of(
                new String[] {"{\"type\":\"nonsense\",\"parameters\":{" + period + "}}", "type"},
                new String[] {"{\"type\":\"foia-export\",\"format\":\"xls\",\"parameters\":{" + period + "}}", "format"},
                new String[] {"{\"type\":\"foia-export\"}", "parameters"},
                new String[] {"{\"type\":\"record-access\",\"parameters\":{" + period + "}}", "parameters.resourceType"},
                new String[] {"{\"type\":\"foia-export\",\"parameters\":{\"from\":\"2020-01-01T00:00:00Z\",\"to\":\""
                        + TO + "\"}}", "parameters.to"},
                new String[] {"{\"type\":\"foia-export\",\"parameters\":{" + period + ",\"deniedThreshold\":3}}",
                        "parameters.deniedThreshold"},
                new String[] {"{\"type\":\"foia-export\",\"parameters\":{" + period + ",\"treeSize\":999999}}",
                        "parameters.treeSize"},
                new String[] {"{\"type\":\"foia-export\",\"colour\":1,\"parameters\":{" + period + "}}", "colour"});
        for (String[] c : cases) {
            given().auth().oauth2(token).contentType("application/json")
                    .body(c[0].replaceFirst("\\{", "{\"tenant\":\"" + tenant + "\",")).when().post("/api/v1/reports")
                    .then().statusCode(400).contentType("application/problem+json").body("field", equalTo(c[1]));
        }
        String queued = given().auth().oauth2(token).contentType("application/json")
                .body("{\"tenant\":\"" + tenant + "\",\"type\":\"foia-export\",\"parameters\":{" + period + "}}")
                .when().post("/api/v1/reports").then().statusCode(202).extract().jsonPath().getString("id");
        awaitDone(tenant, queued);
    }

    static String entry(byte[] zip, String name) throws Exception {
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                if (entry.getName().equals(name)) {
                    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
            }
        }
        throw new AssertionError("no entry " + name);
    }
}
