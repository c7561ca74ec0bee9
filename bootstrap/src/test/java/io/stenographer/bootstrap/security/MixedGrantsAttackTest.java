package io.stenographer.bootstrap.security;

import static io.restassured.RestAssured.given;

import io.quarkus.test.junit.QuarkusTest;
import io.stenographer.bootstrap.support.Events;
import io.stenographer.bootstrap.support.TestTokens;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A token that makes its holder a writer of one tenant and an auditor of another (docs/SECURITY.md, "Roles and
 * tenants"). Its grants are (role, tenant) pairs, so the auditor role does not carry over to the written tenant.
 */
@QuarkusTest
class MixedGrantsAttackTest {

    private final String written = "grant-a-" + UUID.randomUUID().toString().substring(0, 8);
    private final String audited = "grant-b-" + UUID.randomUUID().toString().substring(0, 8);
    private final String mixed = TestTokens.withGrants("mixed", Set.of("audit-writer", "auditor"),
            List.of("grant:audit-writer:" + written, "grant:auditor:" + audited), written, audited);

    @Test
    void theWriterOfOneTenantWhoAuditsAnotherCannotReadTheFirst() {
        given().auth().oauth2(mixed).queryParam("tenant", written).when().get("/api/v1/events")
                .then().statusCode(403).contentType("application/problem+json");
    }

    @Test
    void theAuditorOfOneTenantWhoWritesAnotherCannotWriteTheSecond() {
        given().auth().oauth2(mixed).contentType("application/json")
                .body(Events.event(audited, "dana", "case.view", "C-1"))
                .when().post("/api/v1/events").then().statusCode(403);
    }

    @Test
    void eachGrantStillWorksOnItsOwnTenant() {
        given().auth().oauth2(mixed).contentType("application/json")
                .body(Events.event(written, "dana", "case.view", "C-1"))
                .when().post("/api/v1/events").then().statusCode(201);
        given().auth().oauth2(mixed).queryParam("tenant", audited).when().get("/api/v1/events")
                .then().statusCode(200);
    }

    @Test
    void aMalformedGrantGrantsNothing() {
        String malformed = TestTokens.withGrants("odd", Set.of("auditor"),
                List.of("grant:auditor", "grant:superuser:" + audited, "grant:auditor:NOT A TENANT"), audited);
        // The token carries grants, none valid: it grants nothing, and its tenants claim does not fill in.
        given().auth().oauth2(malformed).queryParam("tenant", audited).when().get("/api/v1/events")
                .then().statusCode(403);
    }
}
