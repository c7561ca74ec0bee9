package io.stenographer.bootstrap.rest;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.stenographer.bootstrap.support.EmbeddedPostgresTestResource;
import io.stenographer.bootstrap.support.Events;
import io.stenographer.bootstrap.support.TestTokens;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;

/**
 * Every endpoint against every way a caller can be wrong: no or broken credentials (401), the wrong
 * role (403), and another tenant's data (403, or 404 for reads by id so ids cannot probe tenants).
 * Each rejection is checked to have stored nothing and leaked nothing.
 */
@QuarkusTest
class SecurityMatrixTest {

    private static final String PROBLEM_JSON = "application/problem+json";
    private static final Set<String> PROBLEM_MEMBERS = Set.of("type", "title", "status", "detail", "field", "errors");
    private static final Set<String> WRITER = Set.of("audit-writer");
    private static final Set<String> AUDITOR = Set.of("auditor");
    private static final Set<String> ADMIN = Set.of("compliance-admin");
    private static final Set<String> NO_ROLES = Set.of();
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The endpoints under test, each with the role a legitimate caller holds. */
    enum Endpoint {
        RECORD(WRITER, true, true),
        RECORD_BATCH(WRITER, true, true),
        QUERY(AUDITOR, false, true),
        READ_BY_ID(AUDITOR, false, true),
        METRICS(Set.of("metrics-reader"), false, false);

        final Set<String> legitimateRoles;
        final boolean writes;
        /** Whether the answer comes from the JAX-RS problem mapper (the metrics route is served outside it). */
        final boolean problemBody;

        Endpoint(Set<String> legitimateRoles, boolean writes, boolean problemBody) {
            this.legitimateRoles = legitimateRoles;
            this.writes = writes;
            this.problemBody = problemBody;
        }
    }

    /** Credentials that are wrong in exactly one way. */
    enum BadCredential {
        NO_TOKEN,
        BAD_SIGNATURE,
        EXPIRED,
        WRONG_ISSUER,
        WRONG_AUDIENCE;

        String token(Set<String> roles, String tenant) {
            String subject = "matrix-" + name().toLowerCase();
            return switch (this) {
                case NO_TOKEN -> null;
                case BAD_SIGNATURE -> TestTokens.badSignature(subject, roles, tenant);
                case EXPIRED -> TestTokens.expired(subject, roles, tenant);
                case WRONG_ISSUER -> TestTokens.wrongIssuer(subject, roles, tenant);
                case WRONG_AUDIENCE -> TestTokens.wrongAudience(subject, roles, tenant);
            };
        }
    }

    /** A tenant, and for read endpoints one seeded event whose content must never leak. */
    record Fixture(String tenant, String eventId, String actorId, String leafHash) {
    }

    static Stream<Arguments> unauthenticatedMatrix() {
        List<Arguments> rows = new ArrayList<>();
        for (Endpoint endpoint : Endpoint.values()) {
            for (BadCredential credential : BadCredential.values()) {
                rows.add(Arguments.of(endpoint, credential));
            }
        }
        return rows.stream();
    }

    @ParameterizedTest(name = "{0} with {1} -> 401")
    @MethodSource("unauthenticatedMatrix")
    void badCredentialsAreRejectedWith401(Endpoint endpoint, BadCredential credential) {
        Fixture fixture = fixture(!endpoint.writes);
        long before = stored(fixture.tenant());

        Response response = call(endpoint, fixture, fixture.tenant(),
                credential.token(endpoint.legitimateRoles, fixture.tenant()));

        response.then().statusCode(401)
                .header("WWW-Authenticate", startsWith("Bearer"));
        if (endpoint.problemBody) {
            response.then().contentType(PROBLEM_JSON)
                    .body("type", equalTo("urn:stenographer:problem:unauthenticated"))
                    .body("status", equalTo(401));
        }
        assertNothingStoredOrLeaked(endpoint, fixture, before, response);
    }

    static Stream<Arguments> wrongRoleMatrix() {
        List<Arguments> rows = new ArrayList<>();
        for (Endpoint endpoint : List.of(Endpoint.RECORD, Endpoint.RECORD_BATCH)) {
            rows.add(Arguments.of(endpoint, "auditor", AUDITOR));
            rows.add(Arguments.of(endpoint, "compliance-admin", ADMIN));
            rows.add(Arguments.of(endpoint, "no roles", NO_ROLES));
        }
        for (Endpoint endpoint : List.of(Endpoint.QUERY, Endpoint.READ_BY_ID)) {
            rows.add(Arguments.of(endpoint, "audit-writer", WRITER));
            rows.add(Arguments.of(endpoint, "compliance-admin", ADMIN));
            rows.add(Arguments.of(endpoint, "no roles", NO_ROLES));
        }
        return rows.stream();
    }

    @ParameterizedTest(name = "{0} as {1} -> 403")
    @MethodSource("wrongRoleMatrix")
    void wrongRoleIsForbidden(Endpoint endpoint, String label, Set<String> roles) {
        Fixture fixture = fixture(!endpoint.writes);
        long before = stored(fixture.tenant());

        Response response = call(endpoint, fixture, fixture.tenant(),
                TestTokens.valid("matrix-wrong-role", roles, fixture.tenant()));

        response.then().statusCode(403).contentType(PROBLEM_JSON)
                .body("type", equalTo("urn:stenographer:problem:forbidden"))
                .body("status", equalTo(403));
        assertNothingStoredOrLeaked(endpoint, fixture, before, response);
    }

    /** Metrics are served outside JAX-RS, so the 403 has no problem body; the status is what counts. */
    @ParameterizedTest(name = "metrics as {0} -> 403")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"audit-writer", "auditor", "compliance-admin", "none"})
    void metricsNeedAnOperationalRole(String role) {
        Set<String> roles = role.equals("none") ? NO_ROLES : Set.of(role);
        String body = given().auth().oauth2(TestTokens.valid("matrix-metrics", roles, tenant()))
                .when().get("/q/metrics")
                .then().statusCode(403).extract().asString();
        assertThat(body).doesNotContain("stenographer_events_ingested_total");
        given().auth().oauth2(TestTokens.valid("matrix-metrics", Set.of("metrics-reader"), tenant()))
                .when().get("/q/metrics")
                .then().statusCode(200);
    }

    @ParameterizedTest(name = "writer of A posting tenant B via {0} -> 403")
    @EnumSource(value = Endpoint.class, names = {"RECORD", "RECORD_BATCH"})
    void writerCannotWriteToAnotherTenant(Endpoint endpoint) {
        String ownTenant = tenant();
        Fixture foreign = fixture(false);

        Response response = call(endpoint, foreign, foreign.tenant(), TestTokens.writer("writer-a", ownTenant));

        response.then().statusCode(403).contentType(PROBLEM_JSON)
                .body("type", equalTo("urn:stenographer:problem:tenant-access-denied"));
        assertThat(stored(foreign.tenant())).as("events stored in the foreign tenant").isZero();
        assertThat(stored(ownTenant)).as("events stored in the writer's own tenant").isZero();
    }

    @Test
    void batchWithOneForeignItemIsRefusedWhole() {
        String ownTenant = tenant();
        String foreignTenant = tenant();
        String body = "{\"events\":[" + Events.event(ownTenant, "alice", "case.view", "C-1") + ","
                + Events.event(foreignTenant, "alice", "case.view", "C-2") + "]}";

        given().auth().oauth2(TestTokens.writer("writer-a", ownTenant))
                .contentType("application/json").body(body)
                .when().post("/api/v1/events/batch")
                .then().statusCode(403).contentType(PROBLEM_JSON)
                .body("type", equalTo("urn:stenographer:problem:tenant-access-denied"));

        assertThat(stored(ownTenant)).isZero();
        assertThat(stored(foreignTenant)).isZero();
    }

    @Test
    void auditorCannotQueryAnotherTenant() {
        String ownTenant = tenant();
        Fixture foreign = fixture(true);
        long foreignBefore = stored(foreign.tenant());

        Response response = call(Endpoint.QUERY, foreign, foreign.tenant(), TestTokens.auditor("auditor-a", ownTenant));

        response.then().statusCode(403).contentType(PROBLEM_JSON)
                .body("type", equalTo("urn:stenographer:problem:tenant-access-denied"));
        assertNoEventContent(foreign, response);
        assertThat(stored(foreign.tenant())).as("no audit.query appended to the foreign log").isEqualTo(foreignBefore);
        assertThat(stored(ownTenant)).as("no audit.query appended to the caller's log").isZero();
    }

    @Test
    void auditorReadingAnotherTenantsEventGets404() {
        String ownTenant = tenant();
        Fixture foreign = fixture(true);
        long foreignBefore = stored(foreign.tenant());

        Response response = call(Endpoint.READ_BY_ID, foreign, foreign.tenant(),
                TestTokens.auditor("auditor-a", ownTenant));

        response.then().statusCode(404).contentType(PROBLEM_JSON)
                .body("type", equalTo("urn:stenographer:problem:not-found"));
        assertNoEventContent(foreign, response);
        assertThat(stored(foreign.tenant())).isEqualTo(foreignBefore);
        assertThat(stored(ownTenant)).isZero();

        // The answer must be indistinguishable from an id that does not exist at all.
        Response missing = given().auth().oauth2(TestTokens.auditor("auditor-a", ownTenant))
                .when().get("/api/v1/events/{id}", UUID.randomUUID().toString());
        missing.then().statusCode(404).contentType(PROBLEM_JSON);
        assertThat(response.jsonPath().getString("title")).isEqualTo(missing.jsonPath().getString("title"));
        assertThat(response.jsonPath().getString("type")).isEqualTo(missing.jsonPath().getString("type"));
    }

    @Test
    void legitimateCallersGetThrough() {
        // The matrix is only meaningful if the same requests succeed with the right credentials.
        Fixture fixture = fixture(true);
        call(Endpoint.RECORD, fixture, fixture.tenant(), TestTokens.writer("w", fixture.tenant()))
                .then().statusCode(201);
        call(Endpoint.RECORD_BATCH, fixture, fixture.tenant(), TestTokens.writer("w", fixture.tenant()))
                .then().statusCode(200).body("created", equalTo(2));
        call(Endpoint.QUERY, fixture, fixture.tenant(), TestTokens.auditor("a", fixture.tenant()))
                .then().statusCode(200).body("events.id", hasItem(fixture.eventId()));
        call(Endpoint.READ_BY_ID, fixture, fixture.tenant(), TestTokens.auditor("a", fixture.tenant()))
                .then().statusCode(200).body("id", equalTo(fixture.eventId()));
        call(Endpoint.METRICS, fixture, fixture.tenant(), TestTokens.valid("m", Set.of("metrics-reader"),
                fixture.tenant())).then().statusCode(200);
    }

    @ParameterizedTest(name = "{0} is public")
    @ValueSource(strings = {"/q/health", "/q/health/live", "/q/health/ready", "/q/openapi"})
    void healthAndOpenApiNeedNoToken(String path) {
        given().when().get(path).then().statusCode(200);
    }

    @Test
    void readinessIncludesTheDatabase() {
        given().when().get("/q/health/ready")
                .then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem(org.hamcrest.Matchers.containsStringIgnoringCase("database")));
    }

    // ------------------------------------------------------------------------------------------------

    private static Response call(Endpoint endpoint, Fixture fixture, String targetTenant, String token) {
        RequestSpecification request = given();
        if (token != null) {
            request = request.auth().oauth2(token);
        }
        return switch (endpoint) {
            case RECORD -> request.contentType("application/json")
                    .body(Events.event(targetTenant, "matrix-actor", "case.view", "C-1"))
                    .when().post("/api/v1/events");
            case RECORD_BATCH -> request.contentType("application/json")
                    .body("{\"events\":[" + Events.event(targetTenant, "matrix-actor", "case.view", "C-1") + ","
                            + Events.event(targetTenant, "matrix-actor", "case.edit", "C-2") + "]}")
                    .when().post("/api/v1/events/batch");
            case QUERY -> request.queryParam("tenant", targetTenant).when().get("/api/v1/events");
            case READ_BY_ID -> request.when().get("/api/v1/events/{id}", fixture.eventId());
            case METRICS -> request.when().get("/q/metrics");
        };
    }

    private static void assertNothingStoredOrLeaked(Endpoint endpoint, Fixture fixture, long before,
            Response response) {
        if (endpoint.writes) {
            assertThat(stored(fixture.tenant())).as("events stored by a rejected write").isZero();
        } else {
            // A rejected read must neither answer with data nor append an audit.query event.
            assertThat(stored(fixture.tenant())).as("rows after a rejected read").isEqualTo(before);
            assertNoEventContent(fixture, response);
        }
    }

    private static void assertNoEventContent(Fixture fixture, Response response) {
        String body = response.asString();
        if (fixture.actorId() != null) {
            assertThat(body).doesNotContain(fixture.actorId()).doesNotContain(fixture.leafHash());
        }
        if (!body.isBlank() && response.contentType().startsWith(PROBLEM_JSON)) {
            Map<String, Object> members = response.jsonPath().getMap("$");
            assertThat(members.keySet()).as("only problem members").isSubsetOf(PROBLEM_MEMBERS);
        } else {
            assertThat(body).doesNotContain("leafHash").doesNotContain("\"events\"").doesNotContain("occurredAt");
        }
    }

    /** A fresh tenant; with {@code seeded}, one event recorded by a legitimate writer. */
    private static Fixture fixture(boolean seeded) {
        String tenant = tenant();
        if (!seeded) {
            return new Fixture(tenant, UUID.randomUUID().toString(), null, null);
        }
        String actor = Events.unique("secret-actor");
        Response receipt = given().auth().oauth2(TestTokens.writer("seed-writer", tenant))
                .contentType("application/json")
                .body(Events.event(tenant, actor, "case.view", Events.unique("C")))
                .when().post("/api/v1/events");
        receipt.then().statusCode(201);
        assertThat(stored(tenant)).isEqualTo(1);
        return new Fixture(tenant, receipt.jsonPath().getString("id"), actor, receipt.jsonPath().getString("leafHash"));
    }

    static String tenant() {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        return "t-" + HexFormat.of().formatHex(bytes);
    }

    static long stored(String tenant) {
        try (Connection connection = EmbeddedPostgresTestResource.server().superuserConnection();
                PreparedStatement statement = connection.prepareStatement(
                        "SELECT count(*) FROM audit_event WHERE tenant = ?")) {
            statement.setString(1, tenant);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
