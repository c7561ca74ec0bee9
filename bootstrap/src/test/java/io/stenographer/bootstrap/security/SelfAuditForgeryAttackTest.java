package io.stenographer.bootstrap.security;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import io.stenographer.bootstrap.support.Events;
import io.stenographer.bootstrap.support.TestTokens;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A writer forging events that look like Stenographer's own (docs/SECURITY.md): a fake `legal-hold.released` or
 * `audit.query` would mislead an auditor reading the log. Those namespaces and the source application
 * "stenographer" are reserved.
 */
@QuarkusTest
class SelfAuditForgeryAttackTest {

    private final String tenant = "forge-" + UUID.randomUUID().toString().substring(0, 8);
    private final String writer = TestTokens.writer("writer", tenant);

    @ParameterizedTest
    @ValueSource(strings = {"audit.query", "report.generated", "retention.policy.retired", "legal-hold.released",
            "archive.segment.deleted", "purge.run", "log.key-rotated"})
    void anActionInAReservedNamespaceIsRefused(String action) {
        given().auth().oauth2(writer).contentType("application/json")
                .body(Events.event(tenant, "insider", action, "C-1"))
                .when().post("/api/v1/events")
                .then().statusCode(400).contentType("application/problem+json")
                .body("field", equalTo("action"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"stenographer", "Stenographer"})
    void theServicesOwnSourceApplicationIsRefused(String application) {
        String body = Events.event(tenant, "insider", "case.view", "C-1")
                .replace("\"application\":\"portal\"", "\"application\":\"" + application + "\"");
        given().auth().oauth2(writer).contentType("application/json").body(body)
                .when().post("/api/v1/events")
                .then().statusCode(400).body("field", equalTo("source.application"));
    }

    @Test
    void inABatchOnlyTheForgedItemIsRejected() {
        String batch = "{\"events\":[" + Events.event(tenant, "dana", "case.view", "C-1") + ","
                + Events.event(tenant, "insider", "audit.export", "C-2") + "]}";
        given().auth().oauth2(writer).contentType("application/json").body(batch)
                .when().post("/api/v1/events/batch")
                .then().statusCode(200).body("created", equalTo(1)).body("rejected", equalTo(1))
                .body("items[1].status", equalTo("rejected"))
                .body("items[1].problem.field", startsWith("events[1]"));
    }
}
