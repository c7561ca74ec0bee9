package io.stenographer.bootstrap.rest;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.stenographer.bootstrap.support.Events;
import io.stenographer.bootstrap.support.TestTokens;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.containsStringIgnoringCase;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

/** Metrics, OpenAPI and Swagger UI, as an operator sees them. */
@QuarkusTest
class OperationsTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{([^}]*)\\})?\\s+(\\S+)");

    @Test
    void metricsExposeTheIngestMeters() {
        String tenant = tenant();
        post(tenant, Events.event(tenant, "alice", "case.view", "C-1")).then().statusCode(201);
        post(tenant, "{").then().statusCode(400);

        String metrics = metrics();

        assertThat(metrics).containsPattern("(?m)^# TYPE stenographer_events_ingested(_total)? counter$");
        assertThat(metrics).containsPattern("(?m)^stenographer_events_ingested_total\\{[^}]*status=\"created\"");
        assertThat(metrics).containsPattern("(?m)^# TYPE stenographer_ingest_rejected(_total)? counter$");
        assertThat(metrics).contains("# TYPE stenographer_ingest_latency_seconds histogram");
        assertThat(metrics).containsPattern("stenographer_ingest_latency_seconds_bucket\\{[^}]*le=\"[^\"]+\"");
        assertThat(metrics).containsPattern("stenographer_ingest_latency_seconds_count\\{[^}]*mode=\"single\"");
        assertThat(metrics).containsPattern("stenographer_ingest_latency_seconds_sum\\{[^}]*mode=\"single\"");
        assertThat(metrics).containsPattern("stenographer_ingest_rejected_total\\{[^}]*reason=\"malformed-json\"");
    }

    @Test
    void ingestedCounterCountsCreatedAndDuplicateEvents() {
        String tenant = tenant();
        String before = metrics();
        double created = sample(before, "stenographer_events_ingested_total", Map.of("status", "created"));
        double duplicates = sample(before, "stenographer_events_ingested_total", Map.of("status", "duplicate"));

        String keyed = Events.event(tenant, "alice", "case.view", "C-1").replaceFirst("\\{", "{\"clientEventId\":\"k1\",");
        post(tenant, keyed).then().statusCode(201);
        post(tenant, keyed).then().statusCode(200);
        given().auth().oauth2(TestTokens.writer("ops-writer", tenant)).contentType("application/json")
                .body("{\"events\":[" + Events.event(tenant, "a", "case.view", "C-2") + ","
                        + Events.event(tenant, "b", "case.view", "C-3") + "]}")
                .when().post("/api/v1/events/batch").then().statusCode(200).body("created", equalTo(2));

        String after = metrics();
        assertThat(sample(after, "stenographer_events_ingested_total", Map.of("status", "created")))
                .isEqualTo(created + 3);
        assertThat(sample(after, "stenographer_events_ingested_total", Map.of("status", "duplicate")))
                .isEqualTo(duplicates + 1);
    }

    @Test
    void rejectedCounterIncrementsByReason() {
        String tenant = tenant();
        String before = metrics();
        double validation = rejected(before, "validation-failed");
        double malformed = rejected(before, "malformed-json");
        double denied = rejected(before, "tenant-access-denied");
        double conflict = rejected(before, "idempotency-conflict");

        post(tenant, Events.event(tenant, "alice", "Not.Dotted Lower", "C-1")).then().statusCode(400);
        String after = metrics();
        assertThat(rejected(after, "validation-failed")).isEqualTo(validation + 1);
        assertThat(rejected(after, "malformed-json")).isEqualTo(malformed);

        post(tenant, "{\"tenant\":").then().statusCode(400);
        post(tenant, Events.event(tenant(), "alice", "case.view", "C-1")).then().statusCode(403);
        String keyed = Events.event(tenant, "alice", "case.view", "C-1").replaceFirst("\\{", "{\"clientEventId\":\"k\",");
        post(tenant, keyed).then().statusCode(201);
        post(tenant, keyed.replace("case.view", "case.edit")).then().statusCode(409);
        // Two invalid items in one batch count as two rejects.
        given().auth().oauth2(TestTokens.writer("ops-writer", tenant)).contentType("application/json")
                .body("{\"events\":[" + Events.event(tenant, "a", "BAD", "C-2") + ","
                        + Events.event(tenant, "b", "case.view", "C-3") + ","
                        + Events.event(tenant, "c", "ALSO BAD", "C-4") + "]}")
                .when().post("/api/v1/events/batch").then().statusCode(200).body("rejected", equalTo(2));

        String end = metrics();
        assertThat(rejected(end, "validation-failed")).isEqualTo(validation + 3);
        assertThat(rejected(end, "malformed-json")).isEqualTo(malformed + 1);
        assertThat(rejected(end, "tenant-access-denied")).isEqualTo(denied + 1);
        assertThat(rejected(end, "idempotency-conflict")).isEqualTo(conflict + 1);
    }

    @Test
    void latencyHistogramCountsEveryRequest() {
        String tenant = tenant();
        String before = metrics();
        double single = sample(before, "stenographer_ingest_latency_seconds_count", Map.of("mode", "single"));
        double batch = sample(before, "stenographer_ingest_latency_seconds_count", Map.of("mode", "batch"));

        post(tenant, Events.event(tenant, "alice", "case.view", "C-1")).then().statusCode(201);
        post(tenant, "not json").then().statusCode(400);
        given().auth().oauth2(TestTokens.writer("ops-writer", tenant)).contentType("application/json")
                .body("{\"events\":[" + Events.event(tenant, "a", "case.view", "C-2") + "]}")
                .when().post("/api/v1/events/batch").then().statusCode(200);

        String after = metrics();
        assertThat(sample(after, "stenographer_ingest_latency_seconds_count", Map.of("mode", "single")))
                .isEqualTo(single + 2);
        assertThat(sample(after, "stenographer_ingest_latency_seconds_count", Map.of("mode", "batch")))
                .isEqualTo(batch + 1);
        assertThat(sample(after, "stenographer_ingest_latency_seconds_sum", Map.of("mode", "single")))
                .isGreaterThan(0);
    }

    @Test
    void metricsAreAvailableToTheMetricsRole() {
        given().auth().oauth2(TestTokens.valid("ops-scraper", Set.of("metrics-reader"), tenant()))
                .when().get("/q/metrics")
                .then().statusCode(200).body(containsString("stenographer_"));
    }

    @Test
    void openApiDocumentsTheEventEndpoints() {
        given().queryParam("format", "json")
                .when().get("/q/openapi")
                .then().statusCode(200)
                .body("paths.'/api/v1/events'.post", notNullValue())
                .body("paths.'/api/v1/events'.get", notNullValue())
                .body("paths.'/api/v1/events/batch'.post", notNullValue())
                .body("paths.'/api/v1/events/{id}'.get", notNullValue())
                .body("components.schemas.EventRequest", notNullValue())
                .body("components.securitySchemes.bearer", notNullValue());

        given().when().get("/q/openapi")
                .then().statusCode(200)
                .body(containsString("/api/v1/events:"))
                .body(containsString("/api/v1/events/batch:"));
    }

    @Test
    void swaggerUiIsServed() {
        given().when().get("/q/swagger-ui/")
                .then().statusCode(200)
                .contentType(containsString("text/html"))
                .body(containsStringIgnoringCase("swagger-ui"));
        given().redirects().follow(true).when().get("/q/swagger-ui")
                .then().statusCode(200)
                .contentType(containsString("text/html"));
    }

    // ------------------------------------------------------------------------------------------------

    private static Response post(String tenant, String body) {
        return given().auth().oauth2(TestTokens.writer("ops-writer", tenant))
                .contentType("application/json").body(body)
                .when().post("/api/v1/events");
    }

    private static String metrics() {
        return given().auth().oauth2(TestTokens.valid("ops-scraper", Set.of("metrics-reader"), tenant()))
                .when().get("/q/metrics")
                .then().statusCode(200).extract().asString();
    }

    private static double rejected(String metrics, String reason) {
        return sample(metrics, "stenographer_ingest_rejected_total", Map.of("reason", reason));
    }

    /** Sum of the samples of {@code name} whose labels include {@code labels}; 0 when there are none yet. */
    static double sample(String metrics, String name, Map<String, String> labels) {
        double sum = 0;
        for (String line : metrics.split("\n")) {
            Matcher m = SAMPLE.matcher(line);
            if (!m.find() || !m.group(1).equals(name)) {
                continue;
            }
            String labelText = m.group(3) == null ? "" : m.group(3);
            boolean matches = labels.entrySet().stream()
                    .allMatch(label -> labelText.contains(label.getKey() + "=\"" + label.getValue() + "\""));
            if (matches) {
                sum += Double.parseDouble(m.group(4));
            }
        }
        return sum;
    }

    static String tenant() {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        return "t-" + HexFormat.of().formatHex(bytes);
    }
}
