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
import io.stenographer.bootstrap.support.TestTokens;
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

/**
 * Personal identifiers (docs/PRIVACY.md, "Personal identifiers"), on the real database: the test profile makes
 * {@code actor.id} and {@code resource.id} personal for tenant {@value #TENANT}. The leaf and every row hold the
 * pseudonym; a caller still searches, holds, reports on and erases by the real id, which is never written in clear,
 * not even into the self-audit events of those searches.
 */
@QuarkusTest
class PersonalIdentifiersTest {

    /** Configured in application.properties ({@code %test.stenographer.privacy.tenant."clinic-ids".*}). */
    static final String TENANT = "clinic-ids";
    private static final String PSEUDONYM = "pseudonym:[0-9a-f]{64}";
    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    private final String patient = "patient-" + UUID.randomUUID();
    private final String record = "MRN-" + UUID.randomUUID();
    /** Idempotency keys that say nothing of the patient: a key is stored in clear. */
    private final String keys = "k-" + UUID.randomUUID();

    private static String auditor() {
        return TestTokens.auditor("auditor-1", TENANT);
    }

    private static String reader() {
        return TestTokens.valid("privacy-officer", Set.of("auditor", "personal-data-reader"), TENANT);
    }

    private static String admin() {
        return TestTokens.admin("admin-1", TENANT);
    }

    private static String event(String actor, String resource, String clientEventId, int i) {
        return """
                {"tenant":"%s","actor":{"id":"%s","type":"user","displayName":"Dana Doe"},
                 "action":"record.view","resource":{"type":"record","id":"%s"},"reason":"care",
                 "outcome":"success","occurredAt":"%s","clientEventId":"%s",
                 "source":{"application":"portal","ip":"198.51.100.7","userAgent":"agent"}}
                """.formatted(TENANT, actor, resource, NOW.minus(10, ChronoUnit.MINUTES).plusMillis(i),
                clientEventId);
    }

    private JsonPath ingest(int count) {
        List<String> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            events.add(event(patient, record, keys + "-" + i, i));
        }
        return given().auth().oauth2(TestTokens.writer("writer", TENANT)).contentType("application/json")
                .body("{\"events\":[" + String.join(",", events) + "]}")
                .when().post("/api/v1/events/batch").then().statusCode(200).extract().jsonPath();
    }

    private JsonPath search(String token, String parameter, String value) {
        return given().auth().oauth2(token).queryParam("tenant", TENANT).queryParam(parameter, value)
                .when().get("/api/v1/events").then().statusCode(200).extract().jsonPath();
    }

    /** Every row of the tenant, in every table with a tenant column (partitioned tables once), as text. */
    private static String rowsOfTheTenant() throws Exception {
        StringBuilder rows = new StringBuilder();
        try (Connection db = EmbeddedPostgresTestResource.server().superuserConnection()) {
            List<String> tables = new ArrayList<>();
            try (PreparedStatement query = db.prepareStatement("""
                    SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname)
                    FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
                    JOIN pg_namespace n ON n.oid = c.relnamespace
                    WHERE a.attname = 'tenant' AND NOT a.attisdropped AND c.relkind IN ('r', 'p')
                      AND NOT c.relispartition AND n.nspname NOT IN ('pg_catalog', 'information_schema')""");
                    ResultSet found = query.executeQuery()) {
                while (found.next()) {
                    tables.add(found.getString(1));
                }
            }
            assertThat(tables).as("the tables scanned").hasSizeGreaterThan(10);
            for (String table : tables) {
                try (PreparedStatement query = db.prepareStatement(
                        "SELECT t::text FROM " + table + " t WHERE t.tenant::text = ?")) {
                    query.setString(1, TENANT);
                    try (ResultSet row = query.executeQuery()) {
                        while (row.next()) {
                            rows.append(row.getString(1)).append('\n');
                        }
                    }
                }
            }
        }
        return rows.toString();
    }

    @Test
    void theLeafHoldsThePseudonymAndSearchesByTheRealIdFindTheEvents() throws Exception {
        JsonPath batch = ingest(3);
        assertThat(batch.getInt("created")).isEqualTo(3);
        String actorPseudonym = batch.getString("items[0].pseudonyms.'actor.id'");
        assertThat(actorPseudonym).matches(PSEUDONYM);
        assertThat(batch.getString("items[0].pseudonyms.'resource.id'")).matches(PSEUDONYM);
        assertThat(batch.getString("items[0].openings.'actor.id'")).matches("[0-9a-f]{64}");
        assertThat(batch.getList("items.pseudonyms.'actor.id'")).as("one subject, one pseudonym")
                .containsOnly(actorPseudonym);

        JsonPath byActor = search(auditor(), "actor", patient);
        assertThat(byActor.getList("events")).hasSize(3);
        assertThat(byActor.getString("events[0].actor.id")).isEqualTo(actorPseudonym);
        assertThat(byActor.getString("events[0].personal.'actor.id'")).matches("[0-9a-f]{64}");
        assertThat(byActor.getString("events[0].personalData.'actor.id'.status")).isEqualTo("withheld");
        assertThat(byActor.prettify()).doesNotContain(patient).doesNotContain(record);
        assertThat(search(auditor(), "actor", actorPseudonym).getList("events")).as("a pseudonym copied from a list")
                .hasSize(3);
        assertThat(search(auditor(), "resourceId", record).getList("events")).hasSize(3);

        JsonPath revealed = search(reader(), "actor", patient);
        assertThat(revealed.getString("events[0].personalData.'actor.id'.status")).isEqualTo("revealed");
        assertThat(revealed.getString("events[0].personalData.'actor.id'.value")).isEqualTo(patient);
        assertThat(revealed.getString("events[0].personalData.'resource.id'.value")).isEqualTo(record);
        assertThat(revealed.getString("events[0].actor.id")).as("the leaf's field stays the pseudonym")
                .isEqualTo(actorPseudonym);

        // The searches were recorded as audit.query events, naming the pseudonym; nothing names the real id.
        JsonPath queries = given().auth().oauth2(auditor()).queryParam("tenant", TENANT)
                .queryParam("action", "audit.query").queryParam("limit", 500).when().get("/api/v1/events")
                .then().statusCode(200).extract().jsonPath();
        assertThat(queries.getList("events.metadata.filter.actor")).contains(actorPseudonym);
        assertThat(rowsOfTheTenant()).doesNotContain(patient).doesNotContain(record);
    }

    @Test
    void aRetryGetsTheSameReceiptAndAnIdShapedLikeAPseudonymIsRefused() {
        JsonPath first = ingest(1);
        JsonPath retry = ingest(1);
        assertThat(retry.getString("items[0].status")).isEqualTo("duplicate");
        assertThat(retry.getString("items[0].leafHash")).isEqualTo(first.getString("items[0].leafHash"));
        assertThat(retry.getMap("items[0].pseudonyms")).isEqualTo(first.getMap("items[0].pseudonyms"));

        String lookalike = "pseudonym:" + "ab".repeat(32);
        given().auth().oauth2(TestTokens.writer("writer", TENANT)).contentType("application/json")
                .body("{\"events\":[" + event(lookalike, record, "lookalike-" + keys, 0) + "]}")
                .when().post("/api/v1/events/batch").then().statusCode(200)
                .body("items[0].status", equalTo("rejected"))
                .body("items[0].problem.errors[0].field", equalTo("events[0].actor.id"))
                .body("items[0].problem.errors[0].detail", containsString("has the form of a pseudonym"));
    }

    @Test
    void aHoldNamedByTheRealIdBlocksTheErasureAndTheErasureLeavesOnlyThePseudonym() throws Exception {
        ingest(2);
        JsonPath hold = given().auth().oauth2(admin()).contentType("application/json")
                .body("{\"tenant\":\"" + TENANT + "\",\"actorId\":\"" + patient + "\",\"caseReference\":\"LIT-9\","
                        + "\"reason\":\"litigation\"}")
                .when().post("/api/v1/legal-holds").then().statusCode(201).extract().jsonPath();
        assertThat(hold.getString("criteria.actorId")).as("kept as the events store it").matches(PSEUDONYM);

        given().auth().oauth2(admin()).contentType("application/json").body("{\"tenant\":\"" + TENANT + "\"}")
                .when().post("/api/v1/subjects/" + patient + "/erasures")
                .then().statusCode(409).body("type", containsString("subject-under-legal-hold"))
                .body("detail", containsString(hold.getString("id")));
        given().auth().oauth2(admin()).contentType("application/json").body("{\"reason\":\"settled\"}")
                .when().post("/api/v1/legal-holds/" + hold.getString("id") + "/release").then().statusCode(200);
        // Named by the pseudonym a listing shows, the erasure finds the same subject (never a hash of the pseudonym).
        String pseudonym = hold.getString("criteria.actorId");
        given().auth().oauth2(admin()).contentType("application/json").body("{\"tenant\":\"" + TENANT + "\"}")
                .when().post("/api/v1/subjects/" + pseudonym + "/erasures")
                .then().statusCode(201).body("keysDestroyed", equalTo(1));
        given().auth().oauth2(admin()).contentType("application/json").body("{\"tenant\":\"" + TENANT + "\"}")
                .when().post("/api/v1/subjects/" + patient + "/erasures")
                .then().statusCode(200).body("keysDestroyed", equalTo(1));
        given().auth().oauth2(auditor()).queryParam("tenant", TENANT)
                .when().get("/api/v1/subjects/" + patient + "/erasures").then().statusCode(200).body("size()", equalTo(1));

        // Still found by the real id (the pseudonym is a keyed hash, computed again), now with every value erased.
        JsonPath after = search(reader(), "actor", patient);
        assertThat(after.getList("events")).hasSize(2);
        assertThat(after.getString("events[0].personalData.'actor.id'.status")).isEqualTo("erased");
        assertThat(after.getString("events[0].personalData.'resource.id'.status")).isEqualTo("erased");
        assertThat(rowsOfTheTenant()).doesNotContain(patient).doesNotContain(record);
    }

    @Test
    void aReportNamedByTheRealIdFindsTheEventsAndShowsTheIdOnlyToAPersonalDataReader() throws Exception {
        ingest(2);
        awaitCheckpointOfEveryEvent();
        String parameters = "{\"from\":\"" + NOW.minus(1, ChronoUnit.HOURS) + "\",\"to\":\""
                + NOW.plus(1, ChronoUnit.HOURS) + "\",\"actor\":\"" + patient + "\"";
        String plain = report(parameters + "}");
        String withValues = report(parameters + ",\"personalData\":true}");

        String table = download(plain);
        assertThat(table.lines().filter(line -> line.contains("record.view"))).as(table).hasSize(2);
        assertThat(table).doesNotContain(patient).doesNotContain(record).containsPattern(PSEUDONYM);
        assertThat(download(withValues)).contains(patient).contains(record).contains("actor.id=revealed");
        // The stored request names the pseudonym, never the real id.
        assertThat(rowsOfTheTenant()).doesNotContain(patient);
    }

    /** A report reads the log at its latest checkpoint: wait until that covers every event of the tenant so far. */
    private static void awaitCheckpointOfEveryEvent() throws Exception {
        long events;
        try (Connection db = EmbeddedPostgresTestResource.server().superuserConnection();
                PreparedStatement count = db.prepareStatement("SELECT count(*) FROM audit_event WHERE tenant = ?")) {
            count.setString(1, TENANT);
            try (ResultSet row = count.executeQuery()) {
                row.next();
                events = row.getLong(1);
            }
        }
        Await.until("the log of " + TENANT + " at size " + events, Await.DEADLINE, () -> {
            Response response = given().auth().oauth2(TestTokens.auditor("aud", TENANT)).accept("application/json")
                    .when().get("/api/v1/logs/" + TENANT + "/checkpoint");
            return response.statusCode() == 200 ? response.jsonPath().getLong("treeSize") : 0L;
        }, size -> size >= events);
    }

    private String report(String parameters) {
        String id = given().auth().oauth2(reader()).contentType("application/json")
                .body("{\"tenant\":\"" + TENANT + "\",\"type\":\"actor-activity\",\"format\":\"csv\","
                        + "\"parameters\":" + parameters + "}")
                .when().post("/api/v1/reports").then().statusCode(202).extract().jsonPath().getString("id");
        JsonPath status = Await.until("report " + id + " to finish", Await.DEADLINE,
                () -> given().auth().oauth2(reader()).when().get("/api/v1/reports/" + id)
                        .then().statusCode(200).extract().jsonPath(),
                seen -> Set.of("succeeded", "failed").contains(seen.getString("status")), JsonPath::prettify);
        assertThat(status.getString("status")).as(status.prettify()).isEqualTo("succeeded");
        return id;
    }

    private String download(String reportId) {
        Response response = given().auth().oauth2(reader()).when().get("/api/v1/reports/" + reportId + "/content");
        return response.then().statusCode(200).extract().asString();
    }
}
