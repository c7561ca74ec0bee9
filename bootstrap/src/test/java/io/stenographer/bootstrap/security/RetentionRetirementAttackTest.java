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
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * A single compliance admin trying to shorten a tenant's retention by retiring its policy instead of shortening it
 * (docs/SECURITY.md): the policy's events fall back to the configured default (P7Y here, against the tenant's P10Y),
 * so a retirement waits for a second admin exactly like a shortening.
 */
@QuarkusTest
class RetentionRetirementAttackTest {

    private static final String PROBLEM_JSON = "application/problem+json";

    @Test
    void retiringFallsBackToAShorterPolicySoOneAdminAloneOnlyProposesIt() {
        String tenant = tenant();
        String adminA = TestTokens.admin("admin-a", tenant);
        create(adminA, tenant, "P1D", "P10Y").then().statusCode(201);
        // What retiring would do: case events go from the tenant's P10Y to the configured default's P7Y.
        assertThat(governing(adminA, tenant)).isEqualTo(List.of("cases:P10Y", "default:P7Y"));

        Response pending = retire(adminA, tenant);
        pending.then().statusCode(202).body("status", equalTo("pending-approval")).body("baseVersion", equalTo(1))
                .body("retiring.retainFor", equalTo("P10Y")).body("proposedBy", equalTo("admin-a"));
        assertThat(governing(adminA, tenant)).isEqualTo(List.of("cases:P10Y", "default:P7Y"));

        String approve = pending.jsonPath().getString("approve");
        given().auth().oauth2(adminA).when().post(approve)
                .then().statusCode(403).contentType(PROBLEM_JSON)
                .body("type", equalTo("urn:stenographer:problem:four-eyes-required"));
        // Proposing again does not help: each proposal still needs someone else.
        String again = retire(adminA, tenant).then().statusCode(202).extract().jsonPath().getString("approve");
        given().auth().oauth2(adminA).when().post(again).then().statusCode(403);
        assertThat(governing(adminA, tenant)).isEqualTo(List.of("cases:P10Y", "default:P7Y"));

        given().auth().oauth2(TestTokens.admin("admin-b", tenant)).when().post(approve)
                .then().statusCode(200).body("active", equalTo(false)).body("retiredBy", equalTo("admin-a"));
        assertThat(governing(adminA, tenant)).isEqualTo(List.of("default:P7Y"));
        // The other pending proposal is void now.
        given().auth().oauth2(TestTokens.admin("admin-b", tenant)).when().post(again)
                .then().statusCode(409).contentType(PROBLEM_JSON);

        List<String> actions = given().auth().oauth2(TestTokens.auditor("aud", tenant))
                .queryParam("tenant", tenant).queryParam("resourceType", "retention-policy")
                .when().get("/api/v1/events").then().statusCode(200)
                .extract().jsonPath().getList("events.action");
        assertThat(actions).contains("retention.policy.retirement-proposed", "retention.policy.retirement-approved",
                "retention.policy.retired");
    }

    @Test
    void anAdminOfAnotherTenantCannotApproveARetirement() {
        String tenant = tenant();
        String adminA = TestTokens.admin("admin-a", tenant);
        create(adminA, tenant, "P1D", "P10Y").then().statusCode(201);
        String approve = retire(adminA, tenant).then().statusCode(202).extract().jsonPath().getString("approve");

        given().auth().oauth2(TestTokens.admin("admin-x", tenant())).when().post(approve)
                .then().statusCode(403).contentType(PROBLEM_JSON);
        given().auth().oauth2(TestTokens.auditor("aud", tenant)).when().post(approve)
                .then().statusCode(403).contentType(PROBLEM_JSON);
        assertThat(governing(adminA, tenant)).isEqualTo(List.of("cases:P10Y", "default:P7Y"));
    }

    private static Response create(String token, String tenant, String archiveAfter, String retainFor) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", "cases");
        body.put("tenant", tenant);
        body.put("actionPattern", "case.*");
        body.put("archiveAfter", archiveAfter);
        body.put("retainFor", retainFor);
        body.put("legalBasis", "Records Retention Act s.12");
        return given().auth().oauth2(token).contentType("application/json").body(body)
                .when().post("/api/v1/retention-policies");
    }

    private static Response retire(String token, String tenant) {
        return given().auth().oauth2(token).queryParam("tenant", tenant)
                .when().post("/api/v1/retention-policies/{id}/retirement", "cases");
    }

    /** The policies in force, in precedence order, as id:retainFor. */
    private static List<String> governing(String token, String tenant) {
        Response list = given().auth().oauth2(token).queryParam("tenant", tenant).when()
                .get("/api/v1/retention-policies").then().statusCode(200).extract().response();
        List<String> ids = list.jsonPath().getList("policies.id", String.class);
        List<String> periods = list.jsonPath().getList("policies.retainFor", String.class);
        return IntStream.range(0, ids.size()).mapToObj(i -> ids.get(i) + ":" + periods.get(i))
                .toList();
    }

    private static String tenant() {
        return "retire-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
