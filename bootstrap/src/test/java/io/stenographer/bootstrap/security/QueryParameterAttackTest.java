package io.stenographer.bootstrap.security;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.stenographer.bootstrap.support.TestTokens;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import static io.restassured.RestAssured.given;
import static io.stenographer.bootstrap.security.Attack.assertProblem;

/**
 * An auditor or an admin adds query parameters an endpoint does not take, hoping one is honoured silently (or,
 * as {@code /jobs/runs?tenant=globex} did, ignored while the answer looks like an answer to it). Every endpoint
 * refuses parameters it does not declare, and repeats of single-valued ones, with a 400 naming the parameter.
 */
@QuarkusTest
class QueryParameterAttackTest {

    private static final String ALL_ROLES = "params-attacker";

    @ParameterizedTest(name = "GET {0}")
    @ValueSource(strings = {
            "/api/v1/events/" + "01890000-0000-7000-8000-000000000000",
            "/api/v1/events",
            "/api/v1/logs/{tenant}/proof/inclusion?index=0",
            "/api/v1/logs/{tenant}/proof/consistency?from=0",
            "/api/v1/logs/{tenant}/export",
            "/api/v1/logs/{tenant}/verifications",
            "/api/v1/logs/{tenant}/checkpoint",
            "/api/v1/logs/{tenant}/verifier-key",
            "/api/v1/reports",
            "/api/v1/reports/00000000-0000-4000-8000-000000000000",
            "/api/v1/jobs/runs",
            "/api/v1/retention-policies?tenant={tenant}",
            "/api/v1/legal-holds?tenant={tenant}"})
    void unknownQueryParameterIsA400NamingIt(String template) {
        String tenant = Attack.tenant();
        String path = template.replace("{tenant}", tenant);
        Response response = given().auth().oauth2(token(tenant))
                .when().get(path + (path.contains("?") ? "&" : "?") + "sneaky=1");
        assertProblem(response, 400, "unknown-field", "sneaky");
    }

    @Test
    void tenantOnJobRunsIsRefusedNotIgnored() {
        Response response = given().auth().oauth2(TestTokens.valid("jobs-auditor", Set.of("auditor"), "acme"))
                .when().get("/api/v1/jobs/runs?tenant=globex");
        assertProblem(response, 400, "unknown-field", "tenant");
    }

    @Test
    void repeatedSingleValuedParameterIsA400NamingIt() {
        String tenant = Attack.tenant();
        Response response = given().auth().oauth2(token(tenant))
                .when().get("/api/v1/events?tenant=" + tenant + "&limit=5&limit=500");
        assertProblem(response, 400, "validation-failed", "limit");
    }

    @Test
    void unknownParameterOnAPostIsA400NamingIt() {
        String tenant = Attack.tenant();
        Response response = given().auth().oauth2(token(tenant))
                .contentType("application/json").body("{}")
                .when().post("/api/v1/logs/" + tenant + "/verifications?force=true");
        assertProblem(response, 400, "unknown-field", "force");
    }

    @Test
    void unknownParameterWithoutATokenIsStill401() {
        Response response = given().when().get("/api/v1/events?sneaky=1");
        assertProblem(response, 401, "unauthenticated", null);
    }

    @Test
    void queryValueThatIsNotUtf8IsA400() {
        String tenant = Attack.tenant();
        Response response = given().auth().oauth2(token(tenant)).urlEncodingEnabled(false)
                .when().get("/api/v1/events?tenant=" + tenant + "&actor=%FF%FE%C0%80");
        assertProblem(response, 400, "validation-failed", null);
    }

    private static String token(String tenant) {
        return TestTokens.valid(ALL_ROLES + "-" + UUID.randomUUID(), Set.of("auditor", "compliance-admin"), tenant);
    }
}
