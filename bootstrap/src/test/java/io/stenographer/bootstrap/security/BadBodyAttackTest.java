package io.stenographer.bootstrap.security;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.stenographer.bootstrap.support.Events;
import io.stenographer.bootstrap.support.TestTokens;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import static io.restassured.RestAssured.given;
import static io.stenographer.bootstrap.security.Attack.assertProblem;
import static io.stenographer.bootstrap.security.Attack.storedBy;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A writer or an auditor sends bodies that are not what the endpoint takes: JSON {@code null}, nothing but
 * whitespace, {@code null} where an object or a string belongs, NUL characters, and numbers a double would change.
 * Each is a 400 naming the field, never a 500, and nothing is stored.
 */
@QuarkusTest
class BadBodyAttackTest {

    private static final String WRITER = "body-attacker";

    @ParameterizedTest(name = "body ''{0}''")
    @ValueSource(strings = {"null", "   ", "\n\t \r\n"})
    void nullOrBlankEventBodyIsA400NamingTheBody(String body) {
        String tenant = Attack.tenant();
        for (String path : new String[] {"/api/v1/events", "/api/v1/events/batch"}) {
            Response response = given().auth().oauth2(TestTokens.writer(WRITER, tenant))
                    .contentType("application/json").body(body.getBytes(StandardCharsets.UTF_8))
                    .when().post(path);
            assertProblem(response, 400, body.equals("null") ? "wrong-type" : "malformed-json", "(body)");
        }
        assertThat(storedBy(tenant, WRITER)).isZero();
    }

    @ParameterizedTest(name = "body ''{0}''")
    @ValueSource(strings = {"null", "   "})
    void nullOrBlankReportRequestIsA400NamingTheBody(String body) {
        Response response = given().auth().oauth2(TestTokens.auditor("body-auditor", Attack.tenant()))
                .contentType("application/json").body(body.getBytes(StandardCharsets.UTF_8))
                .when().post("/api/v1/reports");
        assertProblem(response, 400, body.equals("null") ? "wrong-type" : "malformed-json", "(body)");
    }

    @ParameterizedTest(name = "body ''{0}''")
    @ValueSource(strings = {"null", "   ", "[]", "\"x\""})
    void nullOrBlankVerificationRequestIsA400NamingTheBody(String body) {
        String tenant = Attack.tenant();
        Response response = given().auth().oauth2(TestTokens.auditor("body-auditor", tenant))
                .contentType("application/json").body(body.getBytes(StandardCharsets.UTF_8))
                .when().post("/api/v1/logs/" + tenant + "/verifications");
        assertProblem(response, 400, body.isBlank() ? "malformed-json" : "wrong-type", "(body)");
    }

    @Test
    void nullEventInABatchIsA400NamingTheItem() {
        String tenant = Attack.tenant();
        Response response = given().auth().oauth2(TestTokens.writer(WRITER, tenant))
                .contentType("application/json")
                .body("{\"events\":[" + Events.event(tenant, "u-1", "case.view", "C-1") + ",null]}")
                .when().post("/api/v1/events/batch");
        assertProblem(response, 400, "wrong-type", "events[1]");
        assertThat(storedBy(tenant, WRITER)).as("a refused batch stores none of its items").isZero();
    }

    @Test
    void nullTrustedCheckpointIsA400NamingTheElement() {
        String tenant = Attack.tenant();
        Response response = given().auth().oauth2(TestTokens.auditor("body-auditor", tenant))
                .contentType("application/json").body("{\"trustedCheckpoints\":[null]}")
                .when().post("/api/v1/logs/" + tenant + "/verifications");
        assertProblem(response, 400, "wrong-type", "trustedCheckpoints[0]");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"actor", "resourceType", "resourceId", "sourceApplication", "correlationId", "action",
            "cursor"})
    void nulByteInASearchFilterIsA400NamingTheFilter(String filter) {
        String tenant = Attack.tenant();
        Response response = given().auth().oauth2(TestTokens.auditor("body-auditor", tenant))
                .urlEncodingEnabled(false)
                .when().get("/api/v1/events?tenant=" + tenant + "&" + filter + "=a%00b");
        assertProblem(response, 400, "validation-failed", filter);
        assertThat(response.asString()).contains("control characters");
    }

    @Test
    void nulCharacterInABodyStringIsA400NamingTheField() {
        String tenant = Attack.tenant();
        Response response = given().auth().oauth2(TestTokens.admin("body-admin", tenant))
                .contentType("application/json")
                .body("{\"tenant\":\"" + tenant + "\",\"caseReference\":\"C-1\",\"reason\":\"a\\u0000b\"}")
                .when().post("/api/v1/legal-holds");
        assertProblem(response, 400, "validation-failed", "reason");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"9007199254740993.0", "1e-400", "0.10000000000000001", "-1e-330", "123456789012345678.5"})
    void numberADoubleWouldChangeIsA400NamingItsPath(String number) {
        String tenant = Attack.tenant();
        String event = Events.event(tenant, "u-1", "case.view", "C-1")
                .replace("\"count\":2", "\"count\":2,\"nested\":{\"n\":[" + number + "]}");
        Response response = given().auth().oauth2(TestTokens.writer(WRITER, tenant))
                .contentType("application/json").body(event)
                .when().post("/api/v1/events");
        assertProblem(response, 400, "validation-failed", "metadata.nested.n[0]");
        assertThat(storedBy(tenant, WRITER)).isZero();
    }

    @Test
    void numbersThatRoundTripExactlyAreKeptAsSent() {
        String tenant = Attack.tenant();
        String event = Events.event(tenant, "u-1", "case.view", "C-1")
                .replace("\"count\":2", "\"count\":2,\"exact\":[0.1,1.0,-0,1e-300,9007199254740992.0,1.5e300]");
        Response created = given().auth().oauth2(TestTokens.writer(WRITER, tenant))
                .contentType("application/json").body(event)
                .when().post("/api/v1/events");
        assertThat(created.statusCode()).as(created.asString()).isEqualTo(201);
        String id = created.jsonPath().getString("id");
        String stored = given().auth().oauth2(TestTokens.auditor("body-auditor", tenant))
                .when().get("/api/v1/events/" + id).then().statusCode(200).extract().asString();
        assertThat(stored).contains("[0.1,1,0,1e-300,9007199254740992,1.5e+300]");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"trailing", "deep", "duplicate", "long-number"})
    void malformedBodyIsDescribedWithoutLibraryInternals(String kind) {
        String tenant = Attack.tenant();
        String event = Events.event(tenant, "u-1", "case.view", "C-1");
        String body = switch (kind) {
            case "trailing" -> event + " {}";
            case "deep" -> "[".repeat(300) + "]".repeat(300);
            case "duplicate" -> event.replace("\"action\":", "\"reason\":\"x\",\"action\":");
            default -> event.replace("\"count\":2", "\"count\":" + "1".repeat(500));
        };
        Response response = given().auth().oauth2(TestTokens.writer(WRITER, tenant))
                .contentType("application/json").body(body)
                .when().post("/api/v1/events");
        assertProblem(response, 400, "malformed-json", "(body)");
        assertThat(response.asString()).doesNotContain("Feature").doesNotContain("StreamReadConstraints")
                .doesNotContain("com.fasterxml").doesNotContain("jackson").doesNotContain("()");
    }
}
