package io.stenographer.bootstrap.security;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.stenographer.bootstrap.support.TestTokens;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A single compliance admin trying to erase a tenant's history by shortening its retention (docs/SECURITY.md):
 * below the configured minimum the API refuses outright; any other shortening waits for a second admin.
 */
@QuarkusTest
class RetentionShorteningAttackTest {

    private static final String PROBLEM_JSON = "application/problem+json";

    @Test
    void aRetentionBelowTheConfiguredMinimumIsRefused() {
        String tenant = tenant();
        // The test profile sets the minimum to PT5S (copies expire within seconds there); the default is P1D.
        create(TestTokens.admin("admin-a", tenant), tenant, "PT1S", "PT1S")
                .then().statusCode(400).contentType(PROBLEM_JSON)
                .body("type", equalTo("urn:stenographer:problem:validation-failed"))
                .body("field", equalTo("retainFor"));
    }

    @Test
    void aShorteningByOneAdminAloneStaysPendingAndTheCurrentVersionStaysInForce() {
        String tenant = tenant();
        String adminA = TestTokens.admin("admin-a", tenant);
        create(adminA, tenant, "P1D", "P10Y").then().statusCode(201);

        Response pending = create(adminA, tenant, "P1D", "P2D");
        pending.then().statusCode(202).body("status", equalTo("pending-approval")).body("baseVersion", equalTo(1))
                .body("proposed.retainFor", equalTo("P2D")).body("proposedBy", equalTo("admin-a"));
        assertThat(activeRetainFor(adminA, tenant)).isEqualTo("P10Y");

        String approve = pending.jsonPath().getString("approve");
        given().auth().oauth2(adminA).when().post(approve)
                .then().statusCode(403).contentType(PROBLEM_JSON)
                .body("type", equalTo("urn:stenographer:problem:four-eyes-required"));
        assertThat(activeRetainFor(adminA, tenant)).isEqualTo("P10Y");

        String adminB = TestTokens.admin("admin-b", tenant);
        given().auth().oauth2(adminB).when().post(approve)
                .then().statusCode(201).body("version", equalTo(2)).body("retainFor", equalTo("P2D"));
        assertThat(activeRetainFor(adminA, tenant)).isEqualTo("P2D");
        // Both steps are in the tenant's own log.
        List<String> actions = given().auth().oauth2(TestTokens.auditor("aud", tenant))
                .queryParam("tenant", tenant).queryParam("resourceType", "retention-policy")
                .when().get("/api/v1/events").then().statusCode(200)
                .extract().jsonPath().getList("events.action");
        assertThat(actions).contains("retention.policy.shortening-proposed", "retention.policy.shortening-approved",
                "retention.policy.created");
    }

    @Test
    void aNewMoreSpecificIdThatKeepsLessThanThePolicyItOverridesStaysPending() {
        String tenant = tenant();
        String adminA = TestTokens.admin("admin-a", tenant);
        create(adminA, tenant, "P1D", "P10Y").then().statusCode(201);
        Map<String, Object> logins = new LinkedHashMap<>();
        logins.put("id", "logins");
        logins.put("tenant", tenant);
        logins.put("actionPattern", "user.login");
        logins.put("archiveAfter", "P1D");
        logins.put("retainFor", "P2D");
        logins.put("legalBasis", "Records Retention Act s.3");

        // 'logins' would take user.login events from 'cases' (P10Y): a shortening, though no 'logins' version exists.
        Response pending = given().auth().oauth2(adminA).contentType("application/json").body(logins)
                .when().post("/api/v1/retention-policies");
        pending.then().statusCode(202).body("status", equalTo("pending-approval")).body("baseVersion", equalTo(0))
                .body("proposed.version", equalTo(1));
        given().auth().oauth2(adminA).queryParam("tenant", tenant).when().get("/api/v1/retention-policies/logins")
                .then().statusCode(404);

        String approve = pending.jsonPath().getString("approve");
        given().auth().oauth2(adminA).when().post(approve).then().statusCode(403);
        given().auth().oauth2(TestTokens.admin("admin-b", tenant)).when().post(approve)
                .then().statusCode(201).body("version", equalTo(1)).body("retainFor", equalTo("P2D"));
    }

    @Test
    void anAdminOfAnotherTenantCannotApprove() {
        String tenant = tenant();
        String adminA = TestTokens.admin("admin-a", tenant);
        create(adminA, tenant, "P1D", "P10Y").then().statusCode(201);
        String approve = create(adminA, tenant, "P1D", "P2D").then().statusCode(202)
                .extract().jsonPath().getString("approve");
        given().auth().oauth2(TestTokens.admin("admin-x", tenant())).when().post(approve)
                .then().statusCode(403).contentType(PROBLEM_JSON);
        assertThat(activeRetainFor(adminA, tenant)).isEqualTo("P10Y");
    }

    private static Response create(String token, String tenant, String archiveAfter, String retainFor) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", "cases");
        body.put("tenant", tenant);
        body.put("archiveAfter", archiveAfter);
        body.put("retainFor", retainFor);
        body.put("legalBasis", "Records Retention Act s.12");
        return given().auth().oauth2(token).contentType("application/json").body(body)
                .when().post("/api/v1/retention-policies");
    }

    private static String activeRetainFor(String token, String tenant) {
        return given().auth().oauth2(token).queryParam("tenant", tenant).when().get("/api/v1/retention-policies/cases")
                .then().statusCode(200).extract().jsonPath().getList("retainFor", String.class).stream()
                .reduce((first, last) -> last).orElseThrow();
    }

    private static String tenant() {
        return "short-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
