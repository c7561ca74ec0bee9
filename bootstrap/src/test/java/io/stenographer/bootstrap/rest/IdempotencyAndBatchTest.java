package io.stenographer.bootstrap.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.stenographer.bootstrap.support.Await;
import io.stenographer.bootstrap.support.EmbeddedPostgresTestResource;
import io.stenographer.bootstrap.support.TestTokens;
import java.io.IOException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Retries are safe: client event ids and Idempotency-Key make them return the original receipt. */
@QuarkusTest
class IdempotencyAndBatchTest {

    private static final String PROBLEM_JSON = "application/problem+json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    @Test
    void sameKeyAndSameContentReturnsTheOriginalReceipt() {
        String tenant = tenant();
        String body = event(tenant, "case.view", "C-1").put("clientEventId", "evt-1").toString();

        Response first = post(tenant, body, null);
        first.then().statusCode(201).body("status", equalTo("created"));
        // A retry once the clock has moved on must still get the original receivedAt, not a new one.
        Instant moved = Instant.parse(first.jsonPath().getString("receivedAt")).plusMillis(1);
        Await.until("the clock to pass " + moved, Await.DEADLINE, () -> Instant.now().isAfter(moved));

        Response retry = post(tenant, body, null);
        retry.then().statusCode(200).body("status", equalTo("duplicate"));

        assertThat(retry.jsonPath().getString("id")).isEqualTo(first.jsonPath().getString("id"));
        assertThat(retry.jsonPath().getString("leafHash")).isEqualTo(first.jsonPath().getString("leafHash"));
        assertThat(retry.jsonPath().getString("receivedAt")).isEqualTo(first.jsonPath().getString("receivedAt"));
        assertThat(storedIds(tenant)).containsExactly(first.jsonPath().getString("id"));
    }

    @Test
    void sameKeyWithDifferentContentIs409() {
        String tenant = tenant();
        String original = post(tenant, event(tenant, "case.view", "C-1").put("clientEventId", "evt-1").toString(), null)
                .then().statusCode(201).extract().path("id");

        Response conflict = post(tenant, event(tenant, "case.export", "C-1").put("clientEventId", "evt-1").toString(),
                null);

        conflict.then().statusCode(409).contentType(PROBLEM_JSON)
                .body("type", equalTo("urn:stenographer:problem:idempotency-conflict"))
                .body("field", equalTo("clientEventId"));
        assertThat(storedIds(tenant)).containsExactly(original);
        assertThat(storedActions(tenant)).containsExactly("case.view");
    }

    @Test
    void sameKeyInAnotherTenantIsIndependent() {
        String tenantA = tenant();
        String tenantB = tenant();
        post(tenantA, event(tenantA, "case.view", "C-1").put("clientEventId", "shared").toString(), null)
                .then().statusCode(201);
        post(tenantB, event(tenantB, "case.view", "C-1").put("clientEventId", "shared").toString(), null)
                .then().statusCode(201).body("status", equalTo("created"));
        assertThat(stored(tenantA)).isEqualTo(1);
        assertThat(stored(tenantB)).isEqualTo(1);
    }

    @Test
    void idempotencyKeyHeaderBehavesLikeClientEventId() {
        String tenant = tenant();
        String body = event(tenant, "case.view", "C-1").toString();

        Response first = post(tenant, body, "hdr-1");
        first.then().statusCode(201).body("status", equalTo("created"));
        Response retry = post(tenant, body, "hdr-1");
        retry.then().statusCode(200).body("status", equalTo("duplicate"))
                .body("id", equalTo(first.jsonPath().getString("id")))
                .body("leafHash", equalTo(first.jsonPath().getString("leafHash")))
                .body("receivedAt", equalTo(first.jsonPath().getString("receivedAt")));

        // The header and the body field are one and the same key.
        ObjectNode sameInBody = (ObjectNode) readTree(body);
        sameInBody.put("clientEventId", "hdr-1");
        post(tenant, sameInBody.toString(), null)
                .then().statusCode(200).body("status", equalTo("duplicate"))
                .body("id", equalTo(first.jsonPath().getString("id")));
        post(tenant, sameInBody.toString(), "hdr-1")
                .then().statusCode(200).body("id", equalTo(first.jsonPath().getString("id")));

        post(tenant, event(tenant, "case.export", "C-1").toString(), "hdr-1")
                .then().statusCode(409).contentType(PROBLEM_JSON)
                .body("type", equalTo("urn:stenographer:problem:idempotency-conflict"));

        assertThat(storedIds(tenant)).containsExactly(first.jsonPath().getString("id"));
    }

    @Test
    void bodyKeyDifferingFromHeaderIs400() {
        String tenant = tenant();
        String body = event(tenant, "case.view", "C-1").put("clientEventId", "body-key").toString();

        post(tenant, body, "header-key")
                .then().statusCode(400).contentType(PROBLEM_JSON)
                .body("type", equalTo("urn:stenographer:problem:validation-failed"))
                .body("field", equalTo("clientEventId"));
        assertThat(stored(tenant)).isZero();
    }

    @Test
    void invalidIdempotencyKeyHeaderIs400() {
        String tenant = tenant();
        post(tenant, event(tenant, "case.view", "C-1").toString(), "has spaces in it")
                .then().statusCode(400).contentType(PROBLEM_JSON)
                .body("field", equalTo("Idempotency-Key"));
        assertThat(stored(tenant)).isZero();
    }

    @Test
    void concurrentRetriesStoreExactlyOneEvent() throws Exception {
        String tenant = tenant();
        String body = event(tenant, "case.view", "C-1").put("clientEventId", "racy-1").toString();
        String token = TestTokens.writer("race-writer", tenant);
        int threads = 8;
        CountDownLatch ready = new CountDownLatch(threads);
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Response>> answers = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                Callable<Response> attempt = () -> {
                    ready.countDown();
                    go.await();
                    return given().auth().oauth2(token).contentType("application/json").body(body)
                            .when().post("/api/v1/events");
                };
                answers.add(pool.submit(attempt));
            }
            assertThat(ready.await(30, TimeUnit.SECONDS)).isTrue();
            go.countDown();

            List<Integer> statuses = new ArrayList<>();
            Set<String> ids = new HashSet<>();
            Set<String> leafHashes = new HashSet<>();
            for (Future<Response> answer : answers) {
                Response response = answer.get(60, TimeUnit.SECONDS);
                statuses.add(response.statusCode());
                assertThat(response.statusCode()).as("answer: %s", response.asString()).isIn(200, 201);
                ids.add(response.jsonPath().getString("id"));
                leafHashes.add(response.jsonPath().getString("leafHash"));
            }
            assertThat(statuses).filteredOn(s -> s == 201).hasSize(1);
            assertThat(ids).hasSize(1);
            assertThat(leafHashes).hasSize(1);
            assertThat(storedIds(tenant)).containsExactlyElementsOf(ids);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void batchWithInvalidItemsRecordsOnlyTheValidOnes() {
        String tenant = tenant();
        ObjectNode numericActorId = event(tenant, "case.edit", "C-2");
        ((ObjectNode) numericActorId.get("actor")).put("id", 17);
        ObjectNode missingActorId = event(tenant, "case.edit", "C-4");
        ((ObjectNode) missingActorId.get("actor")).remove("id");
        ObjectNode future = event(tenant, "case.edit", "C-5");
        future.put("occurredAt", Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MILLIS).toString());
        ObjectNode unknownField = event(tenant, "case.edit", "C-6");
        unknownField.put("colour", "red");
        String body = batch(event(tenant, "case.view", "C-1"), numericActorId, event(tenant, "case.view", "C-3"),
                missingActorId, future, unknownField);

        Response response = postBatch(tenant, body, null);

        response.then().statusCode(200)
                .body("created", equalTo(2)).body("rejected", equalTo(4))
                .body("duplicates", equalTo(0)).body("conflicts", equalTo(0))
                .body("items.index", equalTo(List.of(0, 1, 2, 3, 4, 5)))
                .body("items.status", equalTo(List.of("created", "rejected", "created", "rejected", "rejected",
                        "rejected")))
                .body("items[1].problem.type", equalTo("urn:stenographer:problem:wrong-type"))
                .body("items[1].problem.field", equalTo("events[1].actor.id"))
                .body("items[3].problem.type", equalTo("urn:stenographer:problem:validation-failed"))
                .body("items[3].problem.field", equalTo("events[3].actor.id"))
                .body("items[4].problem.field", equalTo("events[4].occurredAt"))
                .body("items[5].problem.type", equalTo("urn:stenographer:problem:unknown-field"))
                .body("items[5].problem.field", equalTo("events[5].colour"));
        for (int rejected : List.of(1, 3, 4, 5)) {
            assertThat(response.jsonPath().getString("items[" + rejected + "].id")).isNull();
            assertThat(response.jsonPath().getString("items[" + rejected + "].leafHash")).isNull();
        }
        assertThat(storedIds(tenant)).containsExactlyInAnyOrder(
                response.jsonPath().getString("items[0].id"), response.jsonPath().getString("items[2].id"));
        assertThat(storedResourceIds(tenant)).containsExactlyInAnyOrder("C-1", "C-3");
    }

    @Test
    void keyRepeatedInsideABatchActsAsARetry() {
        String tenant = tenant();
        String body = batch(
                event(tenant, "case.view", "C-1").put("clientEventId", "k1"),
                event(tenant, "case.view", "C-1").put("clientEventId", "k1"),
                event(tenant, "case.view", "C-2").put("clientEventId", "k2"),
                event(tenant, "case.delete", "C-2").put("clientEventId", "k2"));

        Response response = postBatch(tenant, body, null);

        response.then().statusCode(200)
                .body("items.status", equalTo(List.of("created", "duplicate", "created", "conflict")))
                .body("created", equalTo(2)).body("duplicates", equalTo(1)).body("conflicts", equalTo(1))
                .body("items[3].problem.type", equalTo("urn:stenographer:problem:idempotency-conflict"));
        assertThat(response.jsonPath().getString("items[1].id")).isEqualTo(response.jsonPath().getString("items[0].id"));
        assertThat(response.jsonPath().getString("items[1].leafHash"))
                .isEqualTo(response.jsonPath().getString("items[0].leafHash"));
        assertThat(response.jsonPath().getString("items[3].id")).isEqualTo(response.jsonPath().getString("items[2].id"));
        assertThat(storedIds(tenant)).containsExactlyInAnyOrder(
                response.jsonPath().getString("items[0].id"), response.jsonPath().getString("items[2].id"));
        assertThat(storedActions(tenant)).containsExactlyInAnyOrder("case.view", "case.view");
    }

    @Test
    void batchRetryWithIdempotencyKeyHeaderReturnsAllDuplicates() {
        String tenant = tenant();
        String body = batch(event(tenant, "case.view", "C-1"), event(tenant, "case.view", "C-2"),
                event(tenant, "case.export", "C-3").put("clientEventId", "own-key"));

        Response first = postBatch(tenant, body, "batch-7");
        first.then().statusCode(200).body("created", equalTo(3))
                .body("items.status", equalTo(List.of("created", "created", "created")));

        Response retry = postBatch(tenant, body, "batch-7");
        retry.then().statusCode(200).body("created", equalTo(0)).body("duplicates", equalTo(3))
                .body("items.status", equalTo(List.of("duplicate", "duplicate", "duplicate")));
        assertThat(retry.jsonPath().getList("items.id")).isEqualTo(first.jsonPath().getList("items.id"));
        assertThat(retry.jsonPath().getList("items.leafHash")).isEqualTo(first.jsonPath().getList("items.leafHash"));
        assertThat(retry.jsonPath().getList("items.receivedAt"))
                .isEqualTo(first.jsonPath().getList("items.receivedAt"));
        assertThat(storedIds(tenant)).containsExactlyInAnyOrderElementsOf(first.jsonPath().getList("items.id"));

        // Keys are derived per index, so the same batch without the header is a new batch.
        postBatch(tenant, body, null).then().statusCode(200)
                .body("items.status", equalTo(List.of("created", "created", "duplicate")));
        assertThat(stored(tenant)).isEqualTo(5);
    }

    @Test
    void retryOfABatchThatHadRejectedItemsRecordsNothingNew() {
        String tenant = tenant();
        ObjectNode bad = event(tenant, "Case.View", "C-2");
        String body = batch(event(tenant, "case.view", "C-1"), bad);

        postBatch(tenant, body, "batch-9").then().statusCode(200)
                .body("items.status", equalTo(List.of("created", "rejected")));
        postBatch(tenant, body, "batch-9").then().statusCode(200)
                .body("items.status", equalTo(List.of("duplicate", "rejected")))
                .body("items[1].problem.field", equalTo("events[1].action"));
        assertThat(stored(tenant)).isEqualTo(1);
    }

    // ------------------------------------------------------------------------------------------------

    private static Response post(String tenant, String body, String idempotencyKey) {
        var request = given().auth().oauth2(TestTokens.writer("idem-writer", tenant)).contentType("application/json");
        if (idempotencyKey != null) {
            request = request.header("Idempotency-Key", idempotencyKey);
        }
        return request.body(body).when().post("/api/v1/events");
    }

    private static Response postBatch(String tenant, String body, String idempotencyKey) {
        var request = given().auth().oauth2(TestTokens.writer("idem-writer", tenant)).contentType("application/json");
        if (idempotencyKey != null) {
            request = request.header("Idempotency-Key", idempotencyKey);
        }
        return request.body(body).when().post("/api/v1/events/batch");
    }

    private static String batch(ObjectNode... events) {
        ObjectNode body = JSON.createObjectNode();
        var array = body.putArray("events");
        for (ObjectNode event : events) {
            array.add(event);
        }
        return body.toString();
    }

    /** A fixed occurredAt, so two calls with the same arguments are the same content. */
    private static final String OCCURRED_AT =
            Instant.now().minus(2, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.MILLIS).toString();

    private static ObjectNode event(String tenant, String action, String resourceId) {
        ObjectNode event = JSON.createObjectNode();
        event.put("tenant", tenant);
        event.putObject("actor").put("id", "alice").put("type", "user");
        event.put("action", action);
        event.putObject("resource").put("type", "case").put("id", resourceId);
        event.put("outcome", "success");
        event.put("occurredAt", OCCURRED_AT);
        event.putObject("source").put("application", "portal");
        event.putObject("metadata").put("note", "n");
        return event;
    }

    private static com.fasterxml.jackson.databind.JsonNode readTree(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static String tenant() {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        return "t-" + HexFormat.of().formatHex(bytes);
    }

    static long stored(String tenant) {
        return column(tenant, "id").size();
    }

    private static List<String> storedIds(String tenant) {
        return column(tenant, "id");
    }

    private static List<String> storedActions(String tenant) {
        return column(tenant, "action");
    }

    private static List<String> storedResourceIds(String tenant) {
        return column(tenant, "resource_id");
    }

    private static List<String> column(String tenant, String column) {
        Map<String, String> allowed = Map.of("id", "id::text", "action", "action", "resource_id", "resource_id");
        try (Connection connection = EmbeddedPostgresTestResource.server().superuserConnection();
                PreparedStatement statement = connection.prepareStatement(
                        "SELECT " + allowed.get(column) + " FROM audit_event WHERE tenant = ? ORDER BY ingest_seq")) {
            statement.setString(1, tenant);
            List<String> values = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    values.add(rows.getString(1));
                }
            }
            return values;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
