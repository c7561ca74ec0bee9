package io.stenographer.bootstrap.retention;

import static io.restassured.RestAssured.given;
import static io.stenographer.bootstrap.retention.RetentionRequests.PROBLEM_JSON;
import static io.stenographer.bootstrap.retention.RetentionRequests.auditEvents;
import static io.stenographer.bootstrap.retention.RetentionRequests.map;
import static io.stenographer.bootstrap.retention.RetentionRequests.placeHold;
import static io.stenographer.bootstrap.retention.RetentionRequests.releaseHold;
import static io.stenographer.bootstrap.retention.RetentionRequests.tenant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.anEmptyMap;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.stenographer.bootstrap.support.TestTokens;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Legal holds through the API: place, read, list by status, release once, validation and the audit trail. */
@QuarkusTest
class LegalHoldApiTest {

    private static Map<String, Object> hold(String tenant) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("tenant", tenant);
        body.put("resourceType", "background-check");
        body.put("resourceId", "BC-2026-0042");
        body.put("actionPattern", "case.*");
        body.put("from", "2026-01-01T00:00:00Z");
        body.put("to", "2026-07-01T00:00:00+02:00");
        body.put("caseReference", "CV-2026-117");
        body.put("reason", "Litigation hold requested by counsel");
        return body;
    }

    @Test
    void placeReadReleaseAndASecondReleaseIsAConflict() {
        String tenant = tenant("lh");
        String admin = TestTokens.admin("counsel-1", tenant);

        Response placed = placeHold(admin, hold(tenant));
        placed.then().statusCode(201).contentType("application/json")
                .body("tenant", equalTo(tenant))
                .body("status", equalTo("active"))
                .body("criteria.resourceType", equalTo("background-check"))
                .body("criteria.resourceId", equalTo("BC-2026-0042"))
                .body("criteria.actionPattern", equalTo("case.*"))
                .body("criteria.from", equalTo("2026-01-01T00:00:00.000000Z"))
                .body("criteria.to", equalTo("2026-06-30T22:00:00.000000Z"))
                .body("criteria.actorId", nullValue())
                .body("caseReference", equalTo("CV-2026-117"))
                .body("placedBy", equalTo("counsel-1"))
                .body("releasedAt", nullValue());
        String id = placed.jsonPath().getString("id");
        placed.then().header("Location", endsWith("/api/v1/legal-holds/" + id));

        given().auth().oauth2(TestTokens.auditor("aud", tenant)).when().get("/api/v1/legal-holds/{id}", id)
                .then().statusCode(200).body("id", equalTo(id)).body("status", equalTo("active"));

        releaseHold(TestTokens.admin("counsel-2", tenant), id, "Case settled")
                .then().statusCode(200)
                .body("status", equalTo("released"))
                .body("releasedBy", equalTo("counsel-2"))
                .body("releaseReason", equalTo("Case settled"))
                .body("reason", equalTo("Litigation hold requested by counsel"));

        releaseHold(admin, id, "again").then().statusCode(409).contentType(PROBLEM_JSON)
                .body("type", equalTo("urn:stenographer:problem:legal-hold-conflict"));

        given().auth().oauth2(admin).when().get("/api/v1/legal-holds/{id}", id)
                .then().statusCode(200).body("status", equalTo("released")).body("releasedBy", equalTo("counsel-2"));

        List<Map<String, Object>> placedEvents = auditEvents(tenant, "legal-hold.placed");
        assertThat(placedEvents).singleElement().satisfies(e -> {
            assertThat(e.get("submittedBy")).isEqualTo("counsel-1");
            assertThat(map(e.get("resource"))).containsEntry("type", "legal-hold").containsEntry("id", id);
            assertThat(map(e.get("metadata"))).containsEntry("holdId", id)
                    .containsEntry("caseReference", "CV-2026-117")
                    .containsEntry("reason", "Litigation hold requested by counsel");
            assertThat(map(map(e.get("metadata")).get("criteria")))
                    .containsEntry("resourceId", "BC-2026-0042").containsEntry("actionPattern", "case.*");
        });
        assertThat(auditEvents(tenant, "legal-hold.released")).singleElement().satisfies(e -> {
            assertThat(e.get("submittedBy")).isEqualTo("counsel-2");
            assertThat(map(e.get("metadata"))).containsEntry("holdId", id).containsEntry("reason", "Case settled");
        });
    }

    @Test
    void aHoldWithoutCriteriaCoversTheWholeTenantAndListsFilterByStatus() {
        String tenant = tenant("lh");
        String admin = TestTokens.admin("counsel-1", tenant);
        String whole = placeHold(admin, Map.of("tenant", tenant, "reason", "Regulator inquiry"))
                .then().statusCode(201).body("criteria", anEmptyMap()).body("caseReference", nullValue())
                .extract().jsonPath().getString("id");
        String scoped = placeHold(admin, hold(tenant)).then().statusCode(201).extract().jsonPath().getString("id");
        releaseHold(admin, whole, "Inquiry closed").then().statusCode(200);
        String auditor = TestTokens.auditor("aud", tenant);

        assertThat(list(auditor, tenant, null)).containsExactly(scoped);
        assertThat(list(auditor, tenant, "active")).containsExactly(scoped);
        assertThat(list(auditor, tenant, "released")).containsExactly(whole);
        assertThat(list(auditor, tenant, "all")).containsExactly(whole, scoped);
        given().auth().oauth2(auditor).queryParam("tenant", tenant).queryParam("status", "open")
                .when().get("/api/v1/legal-holds")
                .then().statusCode(400).contentType(PROBLEM_JSON).body("field", equalTo("status"));
        assertThat(list(TestTokens.auditor("aud", tenant("lh")), null, null)).isNull();
    }

    private static List<String> list(String token, String tenant, String status) {
        var request = given().auth().oauth2(token);
        if (tenant != null) {
            request.queryParam("tenant", tenant);
        }
        if (status != null) {
            request.queryParam("status", status);
        }
        Response response = request.when().get("/api/v1/legal-holds");
        if (tenant == null) {
            response.then().statusCode(400).body("field", equalTo("tenant"));
            return null;
        }
        return response.then().statusCode(200).extract().jsonPath().getList("id");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "blank reason        | reason        | {\"tenant\":\"@T\",\"reason\":\"   \"}",
            "missing reason      | reason        | {\"tenant\":\"@T\"}",
            "from not before to  | to            | {\"tenant\":\"@T\",\"reason\":\"r\",\"from\":\"2026-05-01T00:00:00Z\",\"to\":\"2026-05-01T00:00:00Z\"}",
            "bad time            | from          | {\"tenant\":\"@T\",\"reason\":\"r\",\"from\":\"yesterday\"}",
            "bad action pattern  | actionPattern | {\"tenant\":\"@T\",\"reason\":\"r\",\"actionPattern\":\"Case View\"}",
            "blank actor         | actorId       | {\"tenant\":\"@T\",\"reason\":\"r\",\"actorId\":\"\"}",
            "bad tenant          | tenant        | {\"tenant\":\"Not A Tenant\",\"reason\":\"r\"}",
            "unknown field       | scope         | {\"tenant\":\"@T\",\"reason\":\"r\",\"scope\":\"all\"}",
            "wrong type          | caseReference | {\"tenant\":\"@T\",\"reason\":\"r\",\"caseReference\":17}"})
    void invalidHoldsAre400NamingTheFieldAndStoreNothing(String name, String field, String json) {
        String tenant = tenant("lh");
        String admin = TestTokens.admin("counsel-1", tenant);

        placeHold(admin, json.replace("@T", tenant))
                .then().statusCode(400).contentType(PROBLEM_JSON)
                .body("status", equalTo(400))
                .body("field", equalTo(field));

        assertThat(list(admin, tenant, "all")).isEmpty();
        assertThat(auditEvents(tenant, "legal-hold.placed")).isEmpty();
    }

    @Test
    void aReleaseNeedsAReasonAndAValidId() {
        String tenant = tenant("lh");
        String admin = TestTokens.admin("counsel-1", tenant);
        String id = placeHold(admin, hold(tenant)).then().statusCode(201).extract().jsonPath().getString("id");

        releaseHold(admin, id, " ").then().statusCode(400).contentType(PROBLEM_JSON)
                .body("type", equalTo("urn:stenographer:problem:validation-failed")).body("field", equalTo("reason"));
        given().auth().oauth2(admin).contentType("application/json").body("{\"reason\":\"x\",\"by\":\"me\"}")
                .when().post("/api/v1/legal-holds/{id}/release", id)
                .then().statusCode(400).body("type", equalTo("urn:stenographer:problem:unknown-field"));
        releaseHold(admin, "not-a-uuid", "x").then().statusCode(400).body("field", equalTo("id"));
        releaseHold(admin, UUID.randomUUID().toString(), "x").then().statusCode(404).contentType(PROBLEM_JSON)
                .body("type", equalTo("urn:stenographer:problem:not-found"));

        given().auth().oauth2(admin).when().get("/api/v1/legal-holds/{id}", id)
                .then().statusCode(200).body("status", equalTo("active"));
        assertThat(auditEvents(tenant, "legal-hold.released")).isEmpty();
    }
}
