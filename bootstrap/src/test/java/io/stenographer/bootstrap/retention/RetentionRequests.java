package io.stenographer.bootstrap.retention;

import static io.restassured.RestAssured.given;

import io.restassured.response.Response;
import io.stenographer.bootstrap.support.TestTokens;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Requests shared by the retention REST tests. */
final class RetentionRequests {

    static final String PROBLEM_JSON = "application/problem+json";
    private static final SecureRandom RANDOM = new SecureRandom();

    private RetentionRequests() {
    }

    /** A tenant no other test uses. */
    static String tenant(String prefix) {
        byte[] bytes = new byte[6];
        RANDOM.nextBytes(bytes);
        return prefix + "-" + HexFormat.of().formatHex(bytes);
    }

    static Map<String, Object> policy(String tenant, String id, String actionPattern, String resourceType,
            String archiveAfter, String retainFor) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", id);
        body.put("tenant", tenant);
        if (actionPattern != null) {
            body.put("actionPattern", actionPattern);
        }
        if (resourceType != null) {
            body.put("resourceType", resourceType);
        }
        body.put("archiveAfter", archiveAfter);
        body.put("retainFor", retainFor);
        body.put("legalBasis", "Records Retention Act s.12");
        return body;
    }

    static Response createPolicy(String token, Object body) {
        return given().auth().oauth2(token).contentType("application/json").body(body)
                .when().post("/api/v1/retention-policies");
    }

    static Response listPolicies(String token, String tenant) {
        return given().auth().oauth2(token).queryParam("tenant", tenant).when().get("/api/v1/retention-policies");
    }

    static Response placeHold(String token, Object body) {
        return given().auth().oauth2(token).contentType("application/json").body(body)
                .when().post("/api/v1/legal-holds");
    }

    static Response releaseHold(String token, String id, String reason) {
        return given().auth().oauth2(token).contentType("application/json").body(Map.of("reason", reason))
                .when().post("/api/v1/legal-holds/{id}/release", id);
    }

    /** The tenant's self-audit events with this action, as an auditor sees them through the query API. */
    static List<Map<String, Object>> auditEvents(String tenant, String action) {
        return given().auth().oauth2(TestTokens.auditor("retention-auditor", tenant))
                .queryParam("tenant", tenant).queryParam("action", action)
                .when().get("/api/v1/events")
                .then().statusCode(200).extract().jsonPath().getList("events");
    }

    /** A JSON object read back through RestAssured's json path. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object jsonObject) {
        return (Map<String, Object>) jsonObject;
    }
}
