package io.stenographer.bootstrap.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.stenographer.bootstrap.support.EmbeddedPostgresTestResource;
import io.stenographer.bootstrap.support.TestTokens;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bad input is answered with a 4xx problem (never 500) that names the offending field, and nothing of
 * a rejected request is stored. Every case uses its own tenant, so "nothing stored" is exact.
 */
@QuarkusTest
class IngestValidationTest {

    private static final String PROBLEM_JSON = "application/problem+json";
    private static final String PROBLEM = "urn:stenographer:problem:";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A bad request body built for a tenant, and what the answer must say. */
    record Case(String name, Function<String, byte[]> body, int status, String type, String field) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> badSingleEvents() {
        return Stream.of(
                text("malformed JSON", t -> "{\"tenant\":\"" + t + "\",\"actor\": }", 400, "malformed-json", null),
                text("truncated JSON", t -> {
                    String whole = valid(t).toString();
                    return whole.substring(0, whole.length() / 2);
                }, 400, "malformed-json", null),
                text("trailing data after the object", t -> valid(t) + " {}", 400, "malformed-json", null),
                text("empty body", t -> "", 400, "malformed-json", null),
                text("JSON array instead of an object", t -> "[" + valid(t) + "]", 400, "wrong-type", null),
                json("actor.id as a number", e -> ((ObjectNode) e.get("actor")).put("id", 42), 400, "wrong-type",
                        "actor.id"),
                json("metadata as an array", e -> e.putArray("metadata").add(1), 400, "validation-failed",
                        "metadata"),
                json("occurredAt as a number", e -> e.put("occurredAt", 1_700_000_000L), 400, "wrong-type",
                        "occurredAt"),
                json("actor as a string", e -> e.put("actor", "alice"), 400, "wrong-type", "actor"),
                json("missing actor", e -> e.remove("actor"), 400, "validation-failed", "actor"),
                json("missing actor.id", e -> ((ObjectNode) e.get("actor")).remove("id"), 400, "validation-failed",
                        "actor.id"),
                json("blank actor.id", e -> ((ObjectNode) e.get("actor")).put("id", "  "), 400,
                        "validation-failed", "actor.id"),
                json("missing actor.type", e -> ((ObjectNode) e.get("actor")).remove("type"), 400,
                        "validation-failed", "actor.type"),
                json("unknown actor.type", e -> ((ObjectNode) e.get("actor")).put("type", "robot"), 400,
                        "validation-failed", "actor.type"),
                json("missing action", e -> e.remove("action"), 400, "validation-failed", "action"),
                json("missing outcome", e -> e.remove("outcome"), 400, "validation-failed", "outcome"),
                json("unknown outcome", e -> e.put("outcome", "maybe"), 400, "validation-failed", "outcome"),
                json("missing occurredAt", e -> e.remove("occurredAt"), 400, "validation-failed", "occurredAt"),
                json("missing source", e -> e.remove("source"), 400, "validation-failed", "source"),
                json("missing source.application", e -> ((ObjectNode) e.get("source")).remove("application"), 400,
                        "validation-failed", "source.application"),
                json("unknown top-level field", e -> e.put("severity", "high"), 400, "unknown-field", "severity"),
                json("unknown nested field", e -> ((ObjectNode) e.get("actor")).put("email", "a@example.org"), 400,
                        "unknown-field", "actor.email"),
                text("duplicate JSON keys", t -> valid(t).toString()
                        .replaceFirst("\\{", "{\"action\":\"case.delete\","), 400, "malformed-json", null),
                raw("invalid UTF-8 inside a string", t -> {
                    String whole = valid(t).toString();
                    int cut = whole.indexOf("background check") + "background".length();
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    out.writeBytes(whole.substring(0, cut).getBytes(StandardCharsets.UTF_8));
                    out.write(0xC3);
                    out.write(0x28);
                    out.writeBytes(whole.substring(cut).getBytes(StandardCharsets.UTF_8));
                    return out.toByteArray();
                }, 400, "invalid-encoding", null),
                text("body over 256 KiB", t -> {
                    ObjectNode e = valid(t);
                    e.putObject("metadata").put("blob", "x".repeat(262_144));
                    return e.toString();
                }, 413, "payload-too-large", null),
                json("occurredAt 10 minutes in the future", e -> e.put("occurredAt",
                        Instant.now().plus(Duration.ofMinutes(10)).truncatedTo(ChronoUnit.MILLIS).toString()), 400,
                        "validation-failed", "occurredAt"),
                json("occurredAt with nanoseconds", e -> e.put("occurredAt", "2024-05-01T10:15:30.123456789Z"),
                        400, "validation-failed", "occurredAt"),
                json("occurredAt without offset", e -> e.put("occurredAt", "2024-05-01T10:15:30"), 400,
                        "validation-failed", "occurredAt"),
                json("action in upper case", e -> e.put("action", "Case.View"), 400, "validation-failed", "action"),
                json("action without a dot", e -> e.put("action", "caseview"), 400, "validation-failed", "action"),
                json("action with a space", e -> e.put("action", "case .view"), 400, "validation-failed", "action"),
                json("metadata nested 17 deep", e -> e.set("metadata", nested(17)), 400, "validation-failed",
                        "metadata"),
                json("metadata over 64 KiB", e -> e.putObject("metadata").put("notes", "y".repeat(66_000)), 400,
                        "validation-failed", "metadata"),
                text("integer beyond 2^53 in metadata",
                        t -> valid(t).toString().replace("\"count\":2", "\"count\":9007199254740993"), 400,
                        "validation-failed", "metadata.count"),
                json("source.ip not an address", e -> ((ObjectNode) e.get("source")).put("ip", "999.1.2.3"), 400,
                        "validation-failed", "source.ip"),
                json("source.ip a host name", e -> ((ObjectNode) e.get("source")).put("ip", "example.org"), 400,
                        "validation-failed", "source.ip"),
                json("tenant not a tenant id", e -> e.put("tenant", "Not A Tenant"), 400, "validation-failed",
                        "tenant"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badSingleEvents")
    void badSingleEventIsRejectedAndNothingIsStored(Case bad) {
        String tenant = tenant();

        Response response = given().auth().oauth2(TestTokens.writer("validation-writer", tenant))
                .contentType("application/json")
                .body(bad.body().apply(tenant))
                .when().post("/api/v1/events");

        assertProblem(response, bad.status(), bad.type(), bad.field());
        assertThat(stored(tenant)).as("events stored for a rejected request").isZero();
    }

    @Test
    void wrongContentTypeIs415() {
        String tenant = tenant();
        Response response = given().auth().oauth2(TestTokens.writer("validation-writer", tenant))
                .contentType("text/plain")
                .body(valid(tenant).toString())
                .when().post("/api/v1/events");

        assertProblem(response, 415, "unsupported-media-type", null);
        assertThat(stored(tenant)).isZero();

        Response batch = given().auth().oauth2(TestTokens.writer("validation-writer", tenant))
                .contentType("text/plain")
                .body("{\"events\":[" + valid(tenant) + "]}")
                .when().post("/api/v1/events/batch");
        assertProblem(batch, 415, "unsupported-media-type", null);
        assertThat(stored(tenant)).isZero();
    }

    @Test
    void batchOfMoreThan1000EventsIs413() {
        String tenant = tenant();
        StringBuilder body = new StringBuilder("{\"events\":[");
        String item = minimal(tenant).toString();
        for (int i = 0; i < 1001; i++) {
            body.append(i == 0 ? "" : ",").append(item);
        }
        body.append("]}");
        assertThat(body.length()).as("the batch must fail on count, not on bytes").isLessThan(1_048_576);

        Response response = given().auth().oauth2(TestTokens.writer("validation-writer", tenant))
                .contentType("application/json").body(body.toString())
                .when().post("/api/v1/events/batch");

        assertProblem(response, 413, "batch-too-large", null);
        assertThat(stored(tenant)).isZero();
    }

    @Test
    void batchOfExactly1000EventsIsAccepted() {
        String tenant = tenant();
        StringBuilder body = new StringBuilder("{\"events\":[");
        String item = minimal(tenant).toString();
        for (int i = 0; i < 1000; i++) {
            body.append(i == 0 ? "" : ",").append(item);
        }
        body.append("]}");

        given().auth().oauth2(TestTokens.writer("validation-writer", tenant))
                .contentType("application/json").body(body.toString())
                .when().post("/api/v1/events/batch")
                .then().statusCode(200).body("created", equalTo(1000));
        assertThat(stored(tenant)).isEqualTo(1000);
    }

    @Test
    void batchOverOneMebibyteIs413() {
        String tenant = tenant();
        StringBuilder body = new StringBuilder("{\"events\":[");
        for (int i = 0; i < 20; i++) {
            ObjectNode event = minimal(tenant);
            event.putObject("metadata").put("notes", "z".repeat(60_000));
            body.append(i == 0 ? "" : ",").append(event);
        }
        body.append("]}");
        assertThat(body.length()).isBetween(1_048_577, 2_000_000);

        Response response = given().auth().oauth2(TestTokens.writer("validation-writer", tenant))
                .contentType("application/json").body(body.toString())
                .when().post("/api/v1/events/batch");

        assertProblem(response, 413, "payload-too-large", null);
        assertThat(stored(tenant)).isZero();
    }

    @ParameterizedTest(name = "batch body: {0}")
    @ValueSource(strings = {"[]", "{}", "{\"events\":[]}", "{\"events\":{}}", "{\"events\":[], \"extra\":1}",
            "{\"events\":["})
    void malformedBatchEnvelopeIsRejected(String body) {
        String tenant = tenant();
        Response response = given().auth().oauth2(TestTokens.writer("validation-writer", tenant))
                .contentType("application/json").body(body)
                .when().post("/api/v1/events/batch");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.contentType()).startsWith(PROBLEM_JSON);
        assertThat(response.jsonPath().getString("type")).startsWith(PROBLEM);
        assertThat(stored(tenant)).isZero();
    }

    @Test
    void occurredAtFourMinutesInTheFutureIsAccepted() {
        String tenant = tenant();
        ObjectNode event = valid(tenant);
        event.put("occurredAt", Instant.now().plus(Duration.ofMinutes(4)).truncatedTo(ChronoUnit.MILLIS).toString());

        post(tenant, event.toString()).then().statusCode(201).body("status", equalTo("created"));
        assertThat(stored(tenant)).isEqualTo(1);
    }

    @Test
    void occurredAtWithMicrosecondsAndAnOffsetIsAccepted() {
        String tenant = tenant();
        ObjectNode event = valid(tenant);
        event.put("occurredAt", "2024-05-01T12:15:30.123456+02:00");

        String id = post(tenant, event.toString()).then().statusCode(201).extract().path("id");
        given().auth().oauth2(TestTokens.auditor("validation-auditor", tenant))
                .when().get("/api/v1/events/{id}", id)
                .then().statusCode(200)
                .body("occurredAt", equalTo("2024-05-01T10:15:30.123456Z"));
    }

    @Test
    void metadataNested16DeepIsAccepted() {
        String tenant = tenant();
        ObjectNode event = valid(tenant);
        event.set("metadata", nested(16));

        post(tenant, event.toString()).then().statusCode(201);
        assertThat(stored(tenant)).isEqualTo(1);
    }

    @Test
    void integerOfExactly2To53InMetadataIsAccepted() {
        String tenant = tenant();
        String body = valid(tenant).toString().replace("\"count\":2", "\"count\":9007199254740992");

        post(tenant, body).then().statusCode(201);
        assertThat(stored(tenant)).isEqualTo(1);
    }

    @Test
    void ipv6SourceIsAccepted() {
        String tenant = tenant();
        ObjectNode event = valid(tenant);
        ((ObjectNode) event.get("source")).put("ip", "2001:db8::1");

        post(tenant, event.toString()).then().statusCode(201);
    }

    @Test
    void batchItemErrorsNameTheItem() {
        String tenant = tenant();
        ObjectNode bad = valid(tenant);
        ((ObjectNode) bad.get("source")).remove("application");
        String body = "{\"events\":[" + valid(tenant) + "," + bad + "]}";

        given().auth().oauth2(TestTokens.writer("validation-writer", tenant))
                .contentType("application/json").body(body)
                .when().post("/api/v1/events/batch")
                .then().statusCode(200)
                .body("items[1].status", equalTo("rejected"))
                .body("items[1].problem.field", equalTo("events[1].source.application"))
                .body("items[1].problem.errors.field", hasItem("events[1].source.application"));
        assertThat(stored(tenant)).isEqualTo(1);
    }

    // ------------------------------------------------------------------------------------------------

    private static Response post(String tenant, String body) {
        return given().auth().oauth2(TestTokens.writer("validation-writer", tenant))
                .contentType("application/json").body(body)
                .when().post("/api/v1/events");
    }

    private static void assertProblem(Response response, int status, String type, String field) {
        assertThat(response.statusCode()).as("status; body: %s", response.asString()).isEqualTo(status);
        assertThat(response.contentType()).startsWith(PROBLEM_JSON);
        assertThat(response.jsonPath().getString("type")).isEqualTo(PROBLEM + type);
        assertThat(response.jsonPath().getInt("status")).isEqualTo(status);
        if (field != null) {
            assertThat(response.jsonPath().getString("field")).isEqualTo(field);
            assertThat(response.jsonPath().getList("errors.field", String.class)).contains(field);
        }
    }

    private static Arguments text(String name, Function<String, String> body, int status, String type, String field) {
        return Arguments.of(new Case(name, t -> body.apply(t).getBytes(StandardCharsets.UTF_8), status, type, field));
    }

    private static Arguments raw(String name, Function<String, byte[]> body, int status, String type, String field) {
        return Arguments.of(new Case(name, body, status, type, field));
    }

    private static Arguments json(String name, Consumer<ObjectNode> change, int status,
            String type, String field) {
        return text(name, t -> {
            ObjectNode event = valid(t);
            change.accept(event);
            return event.toString();
        }, status, type, field);
    }

    /** A complete, valid event: each bad case breaks exactly one thing. */
    static ObjectNode valid(String tenant) {
        ObjectNode event = JSON.createObjectNode();
        event.put("tenant", tenant);
        event.putObject("actor").put("id", "alice").put("type", "user").put("displayName", "Alice A.");
        event.put("action", "case.view");
        event.putObject("resource").put("type", "case").put("id", "C-1");
        event.put("reason", "background check");
        event.put("outcome", "success");
        event.put("occurredAt", Instant.now().minus(1, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.MILLIS).toString());
        event.putObject("source").put("application", "portal").put("ip", "192.0.2.10").put("userAgent", "test");
        event.put("correlationId", "corr-1");
        ObjectNode metadata = event.putObject("metadata");
        metadata.putArray("fields").add("ssn").add("dob");
        metadata.put("count", 2);
        return event;
    }

    private static ObjectNode minimal(String tenant) {
        ObjectNode event = JSON.createObjectNode();
        event.put("tenant", tenant);
        event.putObject("actor").put("id", "a").put("type", "user");
        event.put("action", "case.view");
        event.put("outcome", "success");
        event.put("occurredAt", Instant.now().minus(1, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.MILLIS).toString());
        event.putObject("source").put("application", "portal");
        return event;
    }

    /** A metadata object whose nesting depth (the object itself counting as 1) is {@code depth}. */
    private static ObjectNode nested(int depth) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode current = root;
        for (int level = 1; level < depth; level++) {
            current = current.putObject("level" + (level + 1));
        }
        current.put("leaf", true);
        return root;
    }

    static String tenant() {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        return "t-" + HexFormat.of().formatHex(bytes);
    }

    static long stored(String tenant) {
        try (Connection connection = EmbeddedPostgresTestResource.server().superuserConnection();
                PreparedStatement statement = connection.prepareStatement(
                        "SELECT count(*) FROM audit_event WHERE tenant = ?")) {
            statement.setString(1, tenant);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
