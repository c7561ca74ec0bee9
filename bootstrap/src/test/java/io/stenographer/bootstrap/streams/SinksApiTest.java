package io.stenographer.bootstrap.streams;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.stenographer.bootstrap.support.TestTokens;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Sinks through the API: create, read, list, pause, resume, replay, rotate secrets, delete; roles and tenants; every
 * bad input a 400 problem naming its field; secrets never returned and audit events carrying fingerprints only.
 * Delivery is off in @QuarkusTest (stenographer.streams.workers=0): the streaming ITs deliver for real.
 */
@QuarkusTest
class SinksApiTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String PROBLEM_JSON = "application/problem+json";
    private static final String SECRET = "whsec_" + Base64.getEncoder().encodeToString(bytes(32));
    private static final String ED25519 = "whsk_" + Base64.getEncoder().encodeToString(bytes(32));

    private static byte[] bytes(int n) {
        byte[] bytes = new byte[n];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    private static String tenant() {
        return "sinks-" + HexFormat.of().formatHex(bytes(6));
    }

    private static Map<String, Object> webhook(String tenant, String name) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("tenant", tenant);
        body.put("name", name);
        body.put("transport", "webhook");
        body.put("target", Map.of("url", "https://siem.example/hooks/stenographer"));
        body.put("format", "ocsf");
        body.put("settings", Map.of("batchSize", 100, "checkpointEvery", "PT5S"));
        body.put("secrets", List.of(SECRET, ED25519));
        return body;
    }

    private static Response create(String token, Object body) {
        return given().auth().oauth2(token).contentType("application/json").body(body).when().post("/api/v1/sinks");
    }

    private static List<Map<String, Object>> auditEvents(String tenant, String action) {
        return given().auth().oauth2(TestTokens.auditor("sink-auditor", tenant))
                .queryParam("tenant", tenant).queryParam("action", action)
                .when().get("/api/v1/events")
                .then().statusCode(200).extract().jsonPath().getList("events");
    }

    @Test
    void aSinkIsCreatedReadListedPausedResumedReplayedRotatedAndDeletedEachChangeAudited() {
        String tenant = tenant();
        String admin = TestTokens.admin("ciso", tenant);

        Response created = create(admin, webhook(tenant, "splunk"));
        created.then().statusCode(201)
                .body("tenant", equalTo(tenant)).body("transport", equalTo("webhook")).body("format", equalTo("ocsf"))
                .body("target.url", equalTo("https://siem.example/hooks/stenographer"))
                .body("settings.batchSize", equalTo(100)).body("settings.checkpointEvery", equalTo("PT5S"))
                .body("state", equalTo("active")).body("secretFingerprints", hasSize(2))
                .body("secretFingerprints[0]", startsWith("v1:")).body("secretFingerprints[1]", startsWith("v1a:"))
                .body("status.cursor", equalTo(0)).body("status.lagEvents", equalTo(0));
        assertThat(created.asString()).doesNotContain(SECRET.substring(6)).doesNotContain(ED25519.substring(5));
        String id = created.jsonPath().getString("id");
        created.then().header("Location", endsWith("/api/v1/sinks/" + id));

        given().auth().oauth2(TestTokens.auditor("aud", tenant)).when().get("/api/v1/sinks/{id}", id)
                .then().statusCode(200).body("name", equalTo("splunk"));
        given().auth().oauth2(TestTokens.auditor("aud", tenant)).queryParam("tenant", tenant)
                .when().get("/api/v1/sinks").then().statusCode(200).body("", hasSize(1));

        given().auth().oauth2(admin).when().post("/api/v1/sinks/{id}/pause", id)
                .then().statusCode(200).body("state", equalTo("paused"));
        given().auth().oauth2(admin).when().post("/api/v1/sinks/{id}/resume", id)
                .then().statusCode(200).body("state", equalTo("active"));
        given().auth().oauth2(admin).contentType("application/json").body(Map.of("fromIndex", 0))
                .when().post("/api/v1/sinks/{id}/replay", id).then().statusCode(200).body("status.cursor", equalTo(0));
        String rotated = "whsec_" + Base64.getEncoder().encodeToString(bytes(32));
        given().auth().oauth2(admin).contentType("application/json").body(Map.of("secrets", List.of(rotated)))
                .when().put("/api/v1/sinks/{id}/secrets", id).then().statusCode(200)
                .body("secretFingerprints", hasSize(1));
        given().auth().oauth2(admin).when().delete("/api/v1/sinks/{id}", id).then().statusCode(204);
        given().auth().oauth2(admin).when().get("/api/v1/sinks/{id}", id).then().statusCode(404)
                .contentType(PROBLEM_JSON);

        for (String action : List.of("stream.sink.created", "stream.sink.paused", "stream.sink.resumed",
                "stream.sink.replayed", "stream.sink.secrets-rotated", "stream.sink.deleted")) {
            List<Map<String, Object>> events = auditEvents(tenant, action);
            assertThat(events).as(action).hasSize(1);
            assertThat(events.get(0).toString()).as(action).doesNotContain(SECRET.substring(6))
                    .doesNotContain(rotated.substring(6)).doesNotContain(ED25519.substring(5));
        }
        assertThat(auditEvents(tenant, "stream.sink.created").get(0).toString()).contains("v1:").contains("v1a:");
    }

    @Test
    void rolesAndTenantsApplyAsEverywhereElse() {
        String tenant = tenant();
        String id = create(TestTokens.admin("ciso", tenant), webhook(tenant, "elastic")).then().statusCode(201)
                .extract().jsonPath().getString("id");

        create(TestTokens.auditor("aud", tenant), webhook(tenant, "mine")).then().statusCode(403);
        create(TestTokens.writer("app", tenant), webhook(tenant, "mine")).then().statusCode(403);
        given().when().get("/api/v1/sinks/{id}", id).then().statusCode(401);
        given().auth().oauth2(TestTokens.writer("app", tenant)).when().get("/api/v1/sinks/{id}", id)
                .then().statusCode(403);
        String stranger = TestTokens.admin("other-ciso", "other-" + tenant);
        given().auth().oauth2(stranger).when().get("/api/v1/sinks/{id}", id).then().statusCode(404);
        given().auth().oauth2(stranger).when().post("/api/v1/sinks/{id}/pause", id).then().statusCode(404);
        given().auth().oauth2(stranger).when().delete("/api/v1/sinks/{id}", id).then().statusCode(404);
        given().auth().oauth2(stranger).queryParam("tenant", tenant).when().get("/api/v1/sinks")
                .then().statusCode(403);
        create(TestTokens.admin("ciso", tenant), webhook(tenant, "elastic")).then().statusCode(409)
                .contentType(PROBLEM_JSON).body("type", equalTo("urn:stenographer:problem:sink-conflict"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "transport|\"ftp\"|transport",
        "target|{\"url\":\"http://siem.example/\"}|target.url",
        "target|{\"url\":\"https://user:pw@siem.example/\"}|target.url",
        "target|{}|target.url",
        "secrets|[\"whsec_c2hvcnQ=\"]|secrets[0]",
        "secrets|[\"sk_live_123\"]|secrets[0]",
        "secrets|[]|secrets",
        "format|\"cef\"|format",
        "settings|{\"batchSize\":0}|settings.batchSize",
        "settings|{\"checkpointEvery\":\"10 seconds\"}|settings.checkpointEvery",
        "settings|{\"deadAfter\":\"PT1S\"}|settings.deadAfter",
        "settings|{\"maxMessageBytes\":100}|settings.maxMessageBytes",
        "settings|{\"ocsfMapping\":\"*.login nine\"}|settings.ocsfMapping",
        "startIndex|5|startIndex",
        "name|\"a/b\"|name",
    })
    void everyBadFieldIsA400NamingIt(String field, String json, String reported) {
        String tenant = tenant();
        Map<String, Object> body = webhook(tenant, "bad");
        body.put(field, io.restassured.path.json.JsonPath.from("{\"v\":" + json + "}").get("v"));
        create(TestTokens.admin("ciso", tenant), body).then().statusCode(400).contentType(PROBLEM_JSON)
                .body(containsString(reported));
    }

    @Test
    void unknownFieldsAndOversizedBodiesAreRefused() {
        String tenant = tenant();
        Map<String, Object> body = webhook(tenant, "x");
        body.put("password", "hunter2");
        create(TestTokens.admin("ciso", tenant), body).then().statusCode(400)
                .body("type", equalTo("urn:stenographer:problem:unknown-field"));
        Map<String, Object> huge = webhook(tenant, "y");
        huge.put("settings", Map.of("ocsfMapping", "x".repeat(70_000)));
        create(TestTokens.admin("ciso", tenant), huge).then().statusCode(413);
    }

    @Test
    void kafkaAndSyslogTargetsAreCheckedToo() {
        String tenant = tenant();
        String admin = TestTokens.admin("ciso", tenant);
        Map<String, Object> kafka = new LinkedHashMap<>();
        kafka.put("tenant", tenant);
        kafka.put("name", "bus");
        kafka.put("transport", "kafka");
        kafka.put("target", Map.of("bootstrapServers", List.of("kafka-1.example:9093", "[2001:db8::1]:9093"),
                "topic", "audit.acme"));
        create(admin, kafka).then().statusCode(201).body("target.topic", equalTo("audit.acme"))
                .body("target.bootstrapServers[1]", equalTo("[2001:db8::1]:9093"))
                .body("target.tls", equalTo(true)); // TLS unless asked otherwise
        kafka.put("name", "bus-plain");
        kafka.put("target", Map.of("bootstrapServers", List.of("kafka-1.example:9092"), "topic", "audit", "tls",
                false));
        create(admin, kafka).then().statusCode(201).body("target.tls", equalTo(false));
        kafka.put("name", "bus-2");
        kafka.put("target", Map.of("bootstrapServers", List.of("kafka-1.example"), "topic", "audit"));
        create(admin, kafka).then().statusCode(400).body(containsString("target.bootstrapServers[0]"));
        kafka.put("target", Map.of("bootstrapServers", List.of("kafka-1.example:9093"), "topic", "a/b"));
        create(admin, kafka).then().statusCode(400).body(containsString("target.topic"));
        kafka.put("target", Map.of("bootstrapServers", List.of("kafka-1.example:9093"), "topic", "audit"));
        kafka.put("secrets", List.of(SECRET));
        create(admin, kafka).then().statusCode(400).body(containsString("only webhook sinks"));

        Map<String, Object> syslog = new LinkedHashMap<>();
        syslog.put("tenant", tenant);
        syslog.put("name", "qradar");
        syslog.put("transport", "syslog");
        syslog.put("format", "cef");
        syslog.put("target", Map.of("address", "qradar.example:6514"));
        syslog.put("settings", Map.of("maxMessageBytes", 2048));
        create(admin, syslog).then().statusCode(201).body("format", equalTo("cef"))
                .body("settings.maxMessageBytes", equalTo(2048));
        syslog.put("name", "qradar-2");
        syslog.put("target", Map.of("address", "qradar.example:99999"));
        create(admin, syslog).then().statusCode(400).body(containsString("target.address"));
        syslog.put("target", Map.of("address", "qradar.example:6514", "tls", false));
        create(admin, syslog).then().statusCode(400).body(containsString("target.tls"))
                .body(containsString("always use TLS"));
    }
}
