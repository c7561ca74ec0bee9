package io.stenographer.bootstrap.retention;

import static io.restassured.RestAssured.given;
import static io.stenographer.bootstrap.retention.RetentionRequests.PROBLEM_JSON;
import static io.stenographer.bootstrap.retention.RetentionRequests.auditEvents;
import static io.stenographer.bootstrap.retention.RetentionRequests.placeHold;
import static io.stenographer.bootstrap.retention.RetentionRequests.policy;
import static io.stenographer.bootstrap.retention.RetentionRequests.tenant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.stenographer.bootstrap.support.TestTokens;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every retention and legal-hold endpoint against every way a caller can be wrong: no token (401), a role
 * that may not (403), another tenant (403, or 404 for a hold read by id). Nothing is stored or audited on
 * any rejection; the same requests succeed with the right credentials.
 */
@QuarkusTest
class RetentionSecurityMatrixTest {

    private static final Set<String> WRITER = Set.of("audit-writer");
    private static final Set<String> AUDITOR = Set.of("auditor");
    private static final Set<String> ADMIN = Set.of("compliance-admin");

    /** A tenant with one policy and one active hold. */
    record Fixture(String tenant, String holdId) {
    }

    enum Endpoint {
        LIST_POLICIES(false, Set.of("auditor", "compliance-admin")),
        CREATE_POLICY(true, Set.of("compliance-admin")),
        POLICY_VERSIONS(false, Set.of("auditor", "compliance-admin")),
        RETIRE_POLICY(true, Set.of("compliance-admin")),
        PLACE_HOLD(true, Set.of("compliance-admin")),
        LIST_HOLDS(false, Set.of("auditor", "compliance-admin")),
        GET_HOLD(false, Set.of("auditor", "compliance-admin")),
        RELEASE_HOLD(true, Set.of("compliance-admin"));

        final boolean writes;
        final Set<String> allowedRoles;

        Endpoint(boolean writes, Set<String> allowedRoles) {
            this.writes = writes;
            this.allowedRoles = allowedRoles;
        }

        /** Calls the endpoint about {@code fixture}, naming {@code tenant} wherever a tenant is named. */
        Response call(Fixture fixture, String tenant, String token) {
            RequestSpecification request = given();
            if (token != null) {
                request.auth().oauth2(token);
            }
            return switch (this) {
                case LIST_POLICIES -> request.queryParam("tenant", tenant).get("/api/v1/retention-policies");
                case CREATE_POLICY -> request.contentType("application/json")
                        .body(policy(tenant, "matrix-new", "case.*", null, "P1D", "P8Y"))
                        .post("/api/v1/retention-policies");
                case POLICY_VERSIONS -> request.queryParam("tenant", tenant)
                        .get("/api/v1/retention-policies/{id}", "matrix");
                case RETIRE_POLICY -> request.queryParam("tenant", tenant)
                        .post("/api/v1/retention-policies/{id}/retirement", "matrix");
                case PLACE_HOLD -> request.contentType("application/json")
                        .body(Map.of("tenant", tenant, "reason", "matrix hold"))
                        .post("/api/v1/legal-holds");
                case LIST_HOLDS -> request.queryParam("tenant", tenant).queryParam("status", "all")
                        .get("/api/v1/legal-holds");
                case GET_HOLD -> request.get("/api/v1/legal-holds/{id}", fixture.holdId());
                case RELEASE_HOLD -> request.contentType("application/json").body(Map.of("reason", "matrix release"))
                        .post("/api/v1/legal-holds/{id}/release", fixture.holdId());
            };
        }
    }

    private static Fixture fixture() {
        String tenant = tenant("rm");
        String admin = TestTokens.admin("fixture-admin", tenant);
        RetentionRequests.createPolicy(admin, policy(tenant, "matrix", null, "case", "P1D", "P8Y"))
                .then().statusCode(201);
        String holdId = placeHold(admin, Map.of("tenant", tenant, "reason", "fixture hold"))
                .then().statusCode(201).extract().jsonPath().getString("id");
        return new Fixture(tenant, holdId);
    }

    /** What a fixture looks like to an auditor: the policy versions, the holds and the change events. */
    private static List<Object> state(Fixture fixture) {
        String auditor = TestTokens.auditor("state-auditor", fixture.tenant());
        List<Object> state = new ArrayList<>();
        state.add(given().auth().oauth2(auditor).queryParam("tenant", fixture.tenant())
                .get("/api/v1/retention-policies").then().statusCode(200).extract().jsonPath().getList("policies"));
        state.add(given().auth().oauth2(auditor).queryParam("tenant", fixture.tenant()).queryParam("status", "all")
                .get("/api/v1/legal-holds").then().statusCode(200).extract().jsonPath().getList("$"));
        state.add(auditEvents(fixture.tenant(), "retention.*").size());
        state.add(auditEvents(fixture.tenant(), "legal-hold.*").size());
        return state;
    }

    @ParameterizedTest(name = "{0} without a token -> 401")
    @EnumSource(Endpoint.class)
    void noTokenIs401(Endpoint endpoint) {
        Fixture fixture = fixture();
        List<Object> before = state(fixture);

        endpoint.call(fixture, fixture.tenant(), null)
                .then().statusCode(401).contentType(PROBLEM_JSON)
                .header("WWW-Authenticate", startsWith("Bearer"))
                .body("type", equalTo("urn:stenographer:problem:unauthenticated"));
        assertThat(state(fixture)).isEqualTo(before);
    }

    @ParameterizedTest(name = "{0} with an expired token -> 401")
    @EnumSource(Endpoint.class)
    void expiredTokenIs401(Endpoint endpoint) {
        Fixture fixture = fixture();
        endpoint.call(fixture, fixture.tenant(), TestTokens.expired("expired", endpoint.allowedRoles, fixture.tenant()))
                .then().statusCode(401).contentType(PROBLEM_JSON);
    }

    static Stream<Arguments> wrongRoles() {
        List<Arguments> rows = new ArrayList<>();
        for (Endpoint endpoint : Endpoint.values()) {
            for (Set<String> roles : List.of(WRITER, AUDITOR, ADMIN, Set.<String>of())) {
                if (roles.stream().noneMatch(endpoint.allowedRoles::contains)) {
                    rows.add(Arguments.of(endpoint, roles.isEmpty() ? "no role" : roles.iterator().next(), roles));
                }
            }
        }
        return rows.stream();
    }

    @ParameterizedTest(name = "{0} as {1} -> 403")
    @MethodSource("wrongRoles")
    void wrongRoleIs403(Endpoint endpoint, String label, Set<String> roles) {
        Fixture fixture = fixture();
        List<Object> before = state(fixture);

        endpoint.call(fixture, fixture.tenant(), TestTokens.valid("wrong-role", roles, fixture.tenant()))
                .then().statusCode(403).contentType(PROBLEM_JSON)
                .body("type", equalTo("urn:stenographer:problem:forbidden"));
        assertThat(state(fixture)).isEqualTo(before);
    }

    @ParameterizedTest(name = "{0} on another tenant -> 403 (404 for a hold by id)")
    @EnumSource(Endpoint.class)
    void anotherTenantIsDenied(Endpoint endpoint) {
        Fixture foreign = fixture();
        String ownTenant = tenant("rm");
        List<Object> before = state(foreign);
        // Every role the endpoint allows, but for the caller's own tenant only.
        String token = TestTokens.valid("other-tenant", endpoint.allowedRoles, ownTenant);

        Response response = endpoint.call(foreign, foreign.tenant(), token);

        if (endpoint == Endpoint.GET_HOLD || endpoint == Endpoint.RELEASE_HOLD) {
            response.then().statusCode(404).contentType(PROBLEM_JSON)
                    .body("type", equalTo("urn:stenographer:problem:not-found"));
            assertThat(response.asString()).doesNotContain("fixture hold").doesNotContain(foreign.tenant());
        } else {
            response.then().statusCode(403).contentType(PROBLEM_JSON)
                    .body("type", equalTo("urn:stenographer:problem:tenant-access-denied"));
        }
        assertThat(state(foreign)).isEqualTo(before);
        assertThat(auditEvents(ownTenant, "retention.*")).isEmpty();
        assertThat(auditEvents(ownTenant, "legal-hold.*")).isEmpty();
    }

    @ParameterizedTest(name = "{0} with the right role and tenant succeeds")
    @EnumSource(Endpoint.class)
    void legitimateCallersGetThrough(Endpoint endpoint) {
        Fixture fixture = fixture();
        for (String role : endpoint.allowedRoles) {
            Fixture fresh = endpoint.writes ? fixture() : fixture;
            int status = endpoint.call(fresh, fresh.tenant(), TestTokens.valid("legit", Set.of(role), fresh.tenant()))
                    .then().extract().statusCode();
            assertThat(status).as(endpoint + " as " + role).isIn(200, 201, 202);
        }
    }

    @Test
    void anAdminOfSeveralTenantsActsOnEachSeparately() {
        Fixture a = fixture();
        Fixture b = fixture();
        String token = TestTokens.admin("multi-admin", a.tenant(), b.tenant());
        Endpoint.CREATE_POLICY.call(a, a.tenant(), token).then().statusCode(201);
        assertThat(auditEvents(a.tenant(), "retention.policy.created")).hasSize(2);
        assertThat(auditEvents(b.tenant(), "retention.policy.created")).hasSize(1);
    }
}
