package io.stenographer.bootstrap.security;

import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.jwt.build.Jwt;
import io.stenographer.bootstrap.support.Events;
import io.stenographer.bootstrap.support.TestTokens;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

/**
 * A writer whose display name or username claims someone else: `submittedBy` comes from the token's `sub` and
 * issuer only (docs/SECURITY.md), never from a username, a principal claim or the body.
 */
@QuarkusTest
class SubmittedByAttackTest {

    @Test
    void aUsernameClaimingSomeoneElseDoesNotChangeWhoSubmitted() {
        String tenant = "sub-" + UUID.randomUUID().toString().substring(0, 8);
        String token = Jwt.issuer(TestTokens.ISSUER).audience(TestTokens.AUDIENCE)
                .subject("8d9c-writer-account")
                .upn("chief.auditor")
                .preferredUserName("chief.auditor")
                .groups(Set.of("audit-writer"))
                .claim("tenants", List.of(tenant))
                .issuedAt(Instant.now()).expiresAt(Instant.now().plusSeconds(600))
                .sign();
        String id = given().auth().oauth2(token).contentType("application/json")
                .body(Events.event(tenant, "dana", "case.view", "C-1"))
                .when().post("/api/v1/events").then().statusCode(201).extract().jsonPath().getString("id");

        given().auth().oauth2(TestTokens.auditor("aud", tenant)).when().get("/api/v1/events/" + id)
                .then().statusCode(200)
                .body("submittedBy", equalTo("8d9c-writer-account@" + TestTokens.ISSUER));
    }
}
