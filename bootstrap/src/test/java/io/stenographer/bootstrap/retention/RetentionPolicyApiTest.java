package io.stenographer.bootstrap.retention;

import static io.restassured.RestAssured.given;
import static io.stenographer.bootstrap.retention.RetentionRequests.PROBLEM_JSON;
import static io.stenographer.bootstrap.retention.RetentionRequests.auditEvents;
import static io.stenographer.bootstrap.retention.RetentionRequests.createPolicy;
import static io.stenographer.bootstrap.retention.RetentionRequests.listPolicies;
import static io.stenographer.bootstrap.retention.RetentionRequests.map;
import static io.stenographer.bootstrap.retention.RetentionRequests.policy;
import static io.stenographer.bootstrap.retention.RetentionRequests.tenant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.stenographer.bootstrap.support.TestTokens;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Retention policies through the API: versions, precedence, retirement, validation and the audit trail. */
@QuarkusTest
class RetentionPolicyApiTest {

    @Test
    void versionOneThenTwoAreStoredAndTheListShowsTheLatestInPrecedenceOrder() {
        String tenant = tenant("rp");
        String admin = TestTokens.admin("admin-rp", tenant);

        createPolicy(admin, policy(tenant, "cases", "case.*", null, "P30D", "P10Y"))
                .then().statusCode(201).contentType("application/json")
                .header("Location", endsWith("/api/v1/retention-policies/cases?tenant=" + tenant))
                .body("id", equalTo("cases"))
                .body("version", equalTo(1))
                .body("tenant", equalTo(tenant))
                .body("source", equalTo("tenant"))
                .body("actionPattern", equalTo("case.*"))
                .body("archiveAfter", equalTo("P30D"))
                .body("retainFor", equalTo("P10Y"))
                .body("createdBy", equalTo("admin-rp"))
                .body("active", equalTo(true));
        createPolicy(admin, policy(tenant, "cases", "case.*", null, "P60D", "P12Y"))
                .then().statusCode(201).body("version", equalTo(2)).body("retainFor", equalTo("P12Y"));
        createPolicy(admin, policy(tenant, "case-exports", "case.export", "background-check", "P1Y6M", "P15Y"))
                .then().statusCode(201).body("version", equalTo(1)).body("archiveAfter", equalTo("P1Y6M"));

        Response list = listPolicies(TestTokens.auditor("aud", tenant), tenant);
        list.then().statusCode(200).body("tenant", equalTo(tenant));
        // Precedence: resource type + exact action, then the action prefix, then the configured default.
        assertThat(list.jsonPath().getList("policies.id")).containsExactly("case-exports", "cases", "default");
        assertThat(list.jsonPath().getList("policies.version")).containsExactly(1, 2, 1);
        assertThat(list.jsonPath().getList("policies.defaultPolicy")).containsExactly(false, false, true);
        list.then().body("policies[2].source", equalTo("configuration"))
                .body("policies[2].tenant", nullValue())
                .body("policies[2].archiveAfter", equalTo("P90D"))
                .body("policies[2].retainFor", equalTo("P7Y"));

        Response versions = given().auth().oauth2(admin).queryParam("tenant", tenant)
                .when().get("/api/v1/retention-policies/{id}", "cases");
        versions.then().statusCode(200);
        assertThat(versions.jsonPath().getList("version")).containsExactly(1, 2);
        assertThat(versions.jsonPath().getList("retainFor")).containsExactly("P10Y", "P12Y");

        List<Map<String, Object>> audits = auditEvents(tenant, "retention.policy.created");
        assertThat(audits).hasSize(3);
        assertThat(audits).allSatisfy(e -> {
            assertThat(e.get("submittedBy")).isEqualTo("admin-rp");
            assertThat(map(e.get("resource")).get("type")).isEqualTo("retention-policy");
        });
        assertThat(audits).extracting(e -> map(e.get("metadata")).get("version")).contains(1, 2);
        assertThat(audits).anySatisfy(e -> assertThat(map(e.get("metadata")))
                .containsEntry("policyId", "cases").containsEntry("version", 2).containsEntry("retainFor", "P12Y")
                .containsEntry("previousVersion", 1).containsEntry("previousRetainFor", "P10Y"));
    }

    @Test
    void retiringRemovesThePolicyFromTheListKeepsItsHistoryAndIsAudited() {
        String tenant = tenant("rp");
        String admin = TestTokens.admin("admin-rp", tenant);
        createPolicy(admin, policy(tenant, "short-lived", null, "invoice", "P1D", "P8Y")).then().statusCode(201);

        // Retiring needs four eyes (RetentionRetirementAttackTest): proposed by one admin, approved by another.
        String approve = given().auth().oauth2(admin).queryParam("tenant", tenant)
                .when().post("/api/v1/retention-policies/{id}/retirement", "short-lived")
                .then().statusCode(202)
                .body("status", equalTo("pending-approval"))
                .body("baseVersion", equalTo(1))
                .body("retiring.active", equalTo(true))
                .extract().jsonPath().getString("approve");
        given().auth().oauth2(TestTokens.admin("admin-rp-2", tenant)).when().post(approve)
                .then().statusCode(200)
                .body("version", equalTo(1))
                .body("active", equalTo(false))
                .body("retiredBy", equalTo("admin-rp"));

        assertThat(listPolicies(admin, tenant).jsonPath().getList("policies.id")).containsExactly("default");
        given().auth().oauth2(admin).queryParam("tenant", tenant)
                .when().get("/api/v1/retention-policies/{id}", "short-lived")
                .then().statusCode(200).body("[0].active", equalTo(false)).body("[0].retiredBy", equalTo("admin-rp"));

        given().auth().oauth2(admin).queryParam("tenant", tenant)
                .when().post("/api/v1/retention-policies/{id}/retirement", "short-lived")
                .then().statusCode(409).contentType(PROBLEM_JSON)
                .body("type", equalTo("urn:stenographer:problem:policy-conflict"));

        assertThat(auditEvents(tenant, "retention.policy.retired")).singleElement()
                .satisfies(e -> assertThat(map(e.get("metadata")))
                        .containsEntry("policyId", "short-lived").containsEntry("version", 1));

        // A new version makes the policy active again.
        createPolicy(admin, policy(tenant, "short-lived", null, "invoice", "P1D", "P9Y"))
                .then().statusCode(201).body("version", equalTo(2));
        assertThat(listPolicies(admin, tenant).jsonPath().getList("policies.id"))
                .containsExactly("short-lived", "default");
    }

    @Test
    void unknownPoliciesAre404AndConfiguredOnesCannotBeChanged() {
        String tenant = tenant("rp");
        String admin = TestTokens.admin("admin-rp", tenant);
        given().auth().oauth2(admin).queryParam("tenant", tenant)
                .when().get("/api/v1/retention-policies/{id}", "nope")
                .then().statusCode(404).contentType(PROBLEM_JSON)
                .body("type", equalTo("urn:stenographer:problem:not-found"));
        given().auth().oauth2(admin).queryParam("tenant", tenant)
                .when().post("/api/v1/retention-policies/{id}/retirement", "nope")
                .then().statusCode(404).contentType(PROBLEM_JSON);
        given().auth().oauth2(admin).queryParam("tenant", tenant)
                .when().get("/api/v1/retention-policies/{id}", "default")
                .then().statusCode(200).body("[0].source", equalTo("configuration"));
        createPolicy(admin, policy(tenant, "default", null, null, "P1D", "P1Y"))
                .then().statusCode(409).contentType(PROBLEM_JSON)
                .body("type", equalTo("urn:stenographer:problem:policy-conflict"));
        given().auth().oauth2(admin).queryParam("tenant", tenant)
                .when().post("/api/v1/retention-policies/{id}/retirement", "default")
                .then().statusCode(409).body("type", equalTo("urn:stenographer:problem:policy-conflict"));
        assertThat(auditEvents(tenant, "retention.*")).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "bad period             | archiveAfter | {\"id\":\"p\",\"tenant\":\"@T\",\"archiveAfter\":\"90 days\",\"retainFor\":\"P7Y\",\"legalBasis\":\"b\"} | validation-failed",
            "negative period        | retainFor    | {\"id\":\"p\",\"tenant\":\"@T\",\"archiveAfter\":\"P1D\",\"retainFor\":\"-P7Y\",\"legalBasis\":\"b\"} | validation-failed",
            "retainFor < archive    | retainFor    | {\"id\":\"p\",\"tenant\":\"@T\",\"archiveAfter\":\"P1Y\",\"retainFor\":\"P30D\",\"legalBasis\":\"b\"} | validation-failed",
            "zero retention         | retainFor    | {\"id\":\"p\",\"tenant\":\"@T\",\"archiveAfter\":\"P0D\",\"retainFor\":\"P0D\",\"legalBasis\":\"b\"} | validation-failed",
            "missing archiveAfter   | archiveAfter | {\"id\":\"p\",\"tenant\":\"@T\",\"retainFor\":\"P7Y\",\"legalBasis\":\"b\"} | validation-failed",
            "blank legal basis      | legalBasis   | {\"id\":\"p\",\"tenant\":\"@T\",\"archiveAfter\":\"P1D\",\"retainFor\":\"P7Y\",\"legalBasis\":\"  \"} | validation-failed",
            "bad id                 | id           | {\"id\":\"Bad Id\",\"tenant\":\"@T\",\"archiveAfter\":\"P1D\",\"retainFor\":\"P7Y\",\"legalBasis\":\"b\"} | validation-failed",
            "bad action pattern     | actionPattern| {\"id\":\"p\",\"tenant\":\"@T\",\"actionPattern\":\"*\",\"archiveAfter\":\"P1D\",\"retainFor\":\"P7Y\",\"legalBasis\":\"b\"} | validation-failed",
            "missing tenant         | tenant       | {\"id\":\"p\",\"archiveAfter\":\"P1D\",\"retainFor\":\"P7Y\",\"legalBasis\":\"b\"} | validation-failed",
            "unknown field          | retention    | {\"id\":\"p\",\"tenant\":\"@T\",\"archiveAfter\":\"P1D\",\"retainFor\":\"P7Y\",\"legalBasis\":\"b\",\"retention\":\"P1Y\"} | unknown-field",
            "wrong type             | retainFor    | {\"id\":\"p\",\"tenant\":\"@T\",\"archiveAfter\":\"P1D\",\"retainFor\":7,\"legalBasis\":\"b\"} | wrong-type",
            "not an object          | (body)       | [1,2] | wrong-type"})
    void invalidPoliciesAre400NamingTheFieldAndStoreNothing(String name, String field, String json, String type) {
        String tenant = tenant("rp");
        String admin = TestTokens.admin("admin-rp", tenant);

        createPolicy(admin, json.replace("@T", tenant))
                .then().statusCode(400).contentType(PROBLEM_JSON)
                .body("type", equalTo("urn:stenographer:problem:" + type))
                .body("status", equalTo(400))
                .body("field", equalTo(field));

        assertThat(listPolicies(admin, tenant).jsonPath().getList("policies.id")).containsExactly("default");
        assertThat(auditEvents(tenant, "retention.policy.created")).isEmpty();
    }

    @Test
    void malformedAndOversizedBodiesAndUnknownParametersAre400() {
        String tenant = tenant("rp");
        String admin = TestTokens.admin("admin-rp", tenant);
        createPolicy(admin, "{\"id\":").then().statusCode(400).contentType(PROBLEM_JSON)
                .body("type", equalTo("urn:stenographer:problem:malformed-json"));
        createPolicy(admin, "{\"id\":\"p\",\"id\":\"q\"}").then().statusCode(400)
                .body("type", equalTo("urn:stenographer:problem:malformed-json"));
        createPolicy(admin, "{\"legalBasis\":\"" + "x".repeat(70_000) + "\"}").then().statusCode(413)
                .contentType(PROBLEM_JSON).body("type", equalTo("urn:stenographer:problem:payload-too-large"));
        given().auth().oauth2(admin).queryParam("tenant", tenant).queryParam("tennant", tenant)
                .when().get("/api/v1/retention-policies")
                .then().statusCode(400).body("type", equalTo("urn:stenographer:problem:unknown-field"))
                .body("field", equalTo("tennant"));
        given().auth().oauth2(admin)
                .when().get("/api/v1/retention-policies")
                .then().statusCode(400).body("field", equalTo("tenant"));
    }

    @Test
    void aLegalBasisOfExactlyTheLimitIsAcceptedOneMoreIsNot() {
        String tenant = tenant("rp");
        String admin = TestTokens.admin("admin-rp", tenant);
        Map<String, Object> body = policy(tenant, "limits", null, null, "PT10M", "P1DT12H");
        body.put("legalBasis", "x".repeat(1000));
        // Accepted; being shorter than the 7-year default it takes events from, it waits for a second admin.
        createPolicy(admin, body).then().statusCode(202)
                .body("proposed.archiveAfter", equalTo("PT10M")).body("proposed.retainFor", equalTo("P1DT12H"));
        body.put("legalBasis", "x".repeat(1001));
        createPolicy(admin, body).then().statusCode(400).body("field", equalTo("legalBasis"));
    }
}
