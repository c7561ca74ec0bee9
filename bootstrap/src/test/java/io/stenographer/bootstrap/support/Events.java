package io.stenographer.bootstrap.support;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

/** Request bodies for tests; every call uses fresh ids so tests never depend on each other. */
public final class Events {

    private Events() {
    }

    public static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID();
    }

    /**
     * Records {@code count} events (actor-i viewing case C-i) in one batch as a writer of the tenant, and returns
     * their ids in order; every one must be created.
     */
    public static List<String> recordBatch(String tenant, int count) {
        StringBuilder batch = new StringBuilder("{\"events\":[");
        for (int i = 0; i < count; i++) {
            batch.append(i == 0 ? "" : ",").append(event(tenant, "actor-" + i, "case.view", "C-" + i));
        }
        batch.append("]}");
        return given().auth().oauth2(TestTokens.writer("writer", tenant)).contentType("application/json")
                .body(batch.toString()).when().post("/api/v1/events/batch")
                .then().statusCode(200).body("created", equalTo(count))
                .extract().jsonPath().getList("items.id", String.class);
    }

    public static String event(String tenant, String actorId, String action, String resourceId) {
        return """
                {"tenant":"%s","actor":{"id":"%s","type":"user","displayName":"Dana Doe"},
                 "action":"%s","resource":{"type":"case","id":"%s"},"reason":"background check",
                 "outcome":"success","occurredAt":"%s",
                 "source":{"application":"portal","ip":"192.0.2.10","userAgent":"test"},
                 "correlationId":"corr-1","metadata":{"fields":["ssn","dob"],"count":2}}
                """.formatted(tenant, actorId, action, resourceId,
                Instant.now().minus(1, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.MILLIS));
    }
}
