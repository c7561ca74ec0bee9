package io.stenographer.bootstrap.security;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.stenographer.bootstrap.support.Events;
import io.stenographer.bootstrap.support.TestTokens;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import static io.restassured.RestAssured.given;
import static io.stenographer.bootstrap.security.Attack.assertProblem;
import static io.stenographer.bootstrap.security.Attack.storedBy;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A writer plays with headers: two idempotency keys (which one counts?), an empty one, a body declared in another
 * charset (read as UTF-8 it would say something else), and an auditor asks only for problem+json.
 */
@QuarkusTest
class HeaderAttackTest {

    private static final String WRITER = "header-attacker";

    @Test
    void twoIdempotencyKeysAreA400() {
        String tenant = Attack.tenant();
        Response response = given().auth().oauth2(TestTokens.writer(WRITER, tenant))
                .header("Idempotency-Key", "key-a").header("Idempotency-Key", "key-b")
                .contentType("application/json").body(Events.event(tenant, "u-1", "case.view", "C-1"))
                .when().post("/api/v1/events");
        assertProblem(response, 400, "validation-failed", "Idempotency-Key");
        assertThat(storedBy(tenant, WRITER)).isZero();
    }

    @Test
    void twoIdempotencyKeysOnABatchAreA400() {
        String tenant = Attack.tenant();
        Response response = given().auth().oauth2(TestTokens.writer(WRITER, tenant))
                .header("Idempotency-Key", "key-a").header("Idempotency-Key", "key-b")
                .contentType("application/json")
                .body("{\"events\":[" + Events.event(tenant, "u-1", "case.view", "C-1") + "]}")
                .when().post("/api/v1/events/batch");
        assertProblem(response, 400, "validation-failed", "Idempotency-Key");
        assertThat(storedBy(tenant, WRITER)).isZero();
    }

    @Test
    void emptyIdempotencyKeyIsA400() {
        String tenant = Attack.tenant();
        Attack.RawResponse response = Attack.raw("POST /api/v1/events HTTP/1.1\r\nHost: localhost\r\n"
                        + "Authorization: Bearer " + TestTokens.writer(WRITER, tenant) + "\r\n"
                        + "Content-Type: application/json\r\nIdempotency-Key: \r\nContent-Length: "
                        + Events.event(tenant, "u-1", "case.view", "C-1").getBytes(StandardCharsets.UTF_8).length,
                Events.event(tenant, "u-1", "case.view", "C-1").getBytes(StandardCharsets.UTF_8));
        assertProblem(response.status(), response.contentType(), response.body(), 400, "validation-failed",
                "Idempotency-Key");
        assertThat(storedBy(tenant, WRITER)).isZero();
    }

    @Test
    void bodyInAnotherCharsetIsA415() {
        String tenant = Attack.tenant();
        String event = Events.event(tenant, "u-1", "case.view", "C-1").replace("Dana Doe", "Dana D\u00f6e");
        Response response = given().auth().oauth2(TestTokens.writer(WRITER, tenant))
                .contentType("application/json; charset=ISO-8859-1")
                .body(event.getBytes(StandardCharsets.ISO_8859_1))
                .when().post("/api/v1/events");
        assertProblem(response, 415, "unsupported-media-type", "Content-Type");
        assertThat(storedBy(tenant, WRITER)).isZero();
    }

    @Test
    void bodyDeclaredAsUtf8IsAccepted() {
        String tenant = Attack.tenant();
        Response response = given().auth().oauth2(TestTokens.writer(WRITER, tenant))
                .contentType("application/json; charset=UTF-8")
                .body(Events.event(tenant, "u-1", "case.view", "C-1").getBytes(StandardCharsets.UTF_8))
                .when().post("/api/v1/events");
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(201);
    }

    @Test
    void acceptingOnlyProblemJsonGetsTheProblemNot406() {
        String tenant = Attack.tenant();
        Response response = given().auth().oauth2(TestTokens.auditor("header-auditor", tenant))
                .accept("application/problem+json")
                .when().get("/api/v1/events?tenant=" + tenant + "&limit=abc");
        assertProblem(response, 400, "validation-failed", "limit");
    }
}
