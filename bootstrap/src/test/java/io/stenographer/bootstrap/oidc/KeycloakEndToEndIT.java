package io.stenographer.bootstrap.oidc;

import com.fasterxml.jackson.databind.JsonNode;
import io.stenographer.bootstrap.support.Api;
import io.stenographer.bootstrap.support.Events;
import io.stenographer.testing.KeycloakProcess;
import io.stenographer.testing.ServiceProcess;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import static io.stenographer.bootstrap.oidc.SharedKeycloak.INGEST_CLIENT;
import static io.stenographer.bootstrap.oidc.SharedKeycloak.INGEST_SECRET;
import static io.stenographer.bootstrap.oidc.SharedKeycloak.OTHER_REALM;
import static io.stenographer.bootstrap.oidc.SharedKeycloak.PASSWORD_CLIENT;
import static io.stenographer.bootstrap.oidc.SharedKeycloak.REALM;
import static io.stenographer.bootstrap.oidc.SharedKeycloak.password;
import static io.stenographer.bootstrap.support.Api.describe;
import static io.stenographer.bootstrap.support.Api.json;
import static io.stenographer.bootstrap.support.Api.problemType;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged service (prod profile, {@code java -jar}) against a real Keycloak with the shipped realm
 * {@code deploy/keycloak/stenographer-realm.json}, configured exactly as docs/OIDC.md says: only
 * {@code STENOGRAPHER_OIDC_URL}. Tokens come from Keycloak's token endpoint by the password and client-credentials
 * grants; nothing is signed by the test except the forgeries it must see refused.
 */
class KeycloakEndToEndIT {

    private static final String UNAUTHENTICATED = "urn:stenographer:problem:unauthenticated";
    private static final String FORBIDDEN = "urn:stenographer:problem:forbidden";
    private static final String TENANT_ACCESS_DENIED = "urn:stenographer:problem:tenant-access-denied";

    private static KeycloakProcess keycloak;
    private static ServiceProcess service;
    private static Api api;

    @BeforeAll
    static void start() throws Exception {
        keycloak = SharedKeycloak.get();
        Path data = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "keycloak-e2e-");
        long started = System.nanoTime();
        service = ServiceProcess.builder(data)
                .name("keycloak-e2e")
                .env("STENOGRAPHER_OIDC_URL", keycloak.realmUrl(REALM))
                .env("STENOGRAPHER_GENERATE_SIGNING_KEY", "true")
                .start();
        System.out.printf("service ready in %d ms (%s)%n", (System.nanoTime() - started) / 1_000_000, service);
        api = new Api(service.baseUri());
    }

    @AfterAll
    static void stop() {
        if (service != null) {
            service.close();
        }
    }

    @Test
    void aPasswordGrantTokenWritesAndReadsWithinItsTenant() {
        String writer = userToken("writer");
        String resource = Events.unique("case");

        HttpResponse<String> created = api.post("/api/v1/events", writer, Events.event("acme", "u-1", "case.view", resource));
        assertThat(created.statusCode()).as(describe(created)).isEqualTo(201);
        String id = json(created).path("id").asText();

        HttpResponse<String> read = api.get("/api/v1/events/" + id, userToken("auditor"));
        assertThat(read.statusCode()).as(describe(read)).isEqualTo(200);
        JsonNode event = json(read);
        assertThat(event.path("tenant").asText()).isEqualTo("acme");
        assertThat(event.path("resource").path("id").asText()).isEqualTo(resource);
        assertThat(event.path("submittedBy").asText()).as("the token's sub, qualified by its issuer")
                .isEqualTo(claims(writer).path("sub").asText() + "@" + claims(writer).path("iss").asText());
    }

    @Test
    void aClientCredentialsTokenWritesForItsServiceAccountsTenant() {
        String ingest = keycloak.clientCredentials(REALM, INGEST_CLIENT, INGEST_SECRET);
        String resource = Events.unique("case");

        HttpResponse<String> created = api.post("/api/v1/events", ingest, Events.event("acme", "app", "case.edit", resource));
        assertThat(created.statusCode()).as(describe(created)).isEqualTo(201);

        HttpResponse<String> read = api.get("/api/v1/events/" + json(created).path("id").asText(), userToken("auditor"));
        assertThat(read.statusCode()).as(describe(read)).isEqualTo(200);
        assertThat(json(read).path("submittedBy").asText())
                .isEqualTo(claims(ingest).path("sub").asText() + "@" + claims(ingest).path("iss").asText());
    }

    @Test
    void aWriteToAnotherTenantIsRefusedAndNothingIsStored() {
        String resource = Events.unique("case");

        HttpResponse<String> refused = api.post("/api/v1/events", userToken("writer"),
                Events.event("globex", "u-1", "case.view", resource));

        assertThat(refused.statusCode()).as(describe(refused)).isEqualTo(403);
        assertThat(problemType(refused)).isEqualTo(TENANT_ACCESS_DENIED);
        HttpResponse<String> found = api.get("/api/v1/events?tenant=globex&resourceId=" + resource, userToken("auditor"));
        assertThat(found.statusCode()).as(describe(found)).isEqualTo(200);
        assertThat(json(found).path("events").size()).isZero();
    }

    @Test
    void aCallWithoutTheRequiredRoleIsRefused() {
        HttpResponse<String> writerQueries = api.get("/api/v1/events?tenant=acme", userToken("writer"));
        assertThat(writerQueries.statusCode()).as(describe(writerQueries)).isEqualTo(403);
        assertThat(problemType(writerQueries)).isEqualTo(FORBIDDEN);

        HttpResponse<String> noRoleWrites = api.post("/api/v1/events", userToken("no-role"),
                Events.event("acme", "u-1", "case.view", Events.unique("case")));
        assertThat(noRoleWrites.statusCode()).as(describe(noRoleWrites)).isEqualTo(403);
        assertThat(problemType(noRoleWrites)).isEqualTo(FORBIDDEN);
    }

    @Test
    void anExpiredTokenIsRefused() {
        // A client of the same realm whose access tokens live 10 s; everything else as the shipped client.
        String clientId = Events.unique("short-lived");
        keycloak.admin("POST", REALM + "/clients", """
                {"clientId":"%s","publicClient":true,"directAccessGrantsEnabled":true,"standardFlowEnabled":false,
                 "fullScopeAllowed":false,"defaultClientScopes":["stenographer"],
                 "attributes":{"access.token.lifespan":"10"}}
                """.formatted(clientId));
        String token = keycloak.passwordGrant(REALM, clientId, "writer", password("writer"));
        Instant expiresAt = Instant.ofEpochSecond(claims(token).path("exp").asLong());
        assertThat(expiresAt).isBefore(Instant.now().plusSeconds(11));

        HttpResponse<String> fresh = api.post("/api/v1/events", token, Events.event("acme", "u-1", "case.view",
                Events.unique("case")));
        assertThat(fresh.statusCode()).as("before it expires: " + describe(fresh)).isEqualTo(201);

        HttpResponse<String> expired = Api.until("the token to be refused after it expired at " + expiresAt,
                Duration.ofSeconds(90), () -> api.post("/api/v1/events", token,
                        Events.event("acme", "u-1", "case.view", Events.unique("case"))),
                r -> r.statusCode() != 201);
        assertThat(Instant.now()).isAfter(expiresAt);
        assertThat(expired.statusCode()).as(describe(expired)).isEqualTo(401);
        assertThat(problemType(expired)).isEqualTo(UNAUTHENTICATED);
        assertThat(expired.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                v -> assertThat(v).startsWith("Bearer"));
    }

    @Test
    void aTokenFromAnotherRealmIsRefused() {
        // Same clients, users, groups, tenants and audience; only the issuer and the signing keys differ.
        String foreign = keycloak.passwordGrant(OTHER_REALM, PASSWORD_CLIENT, "writer", password("writer"));
        assertThat(claims(foreign).path("iss").asText()).isEqualTo(keycloak.realmUrl(OTHER_REALM));
        assertThat(claims(foreign).path("aud").toString()).contains("stenographer");

        HttpResponse<String> refused = api.post("/api/v1/events", foreign, Events.event("acme", "u-1", "case.view",
                Events.unique("case")));

        assertThat(refused.statusCode()).as(describe(refused)).isEqualTo(401);
        assertThat(problemType(refused)).isEqualTo(UNAUTHENTICATED);
    }

    @Test
    void aTokenForAnotherAudienceIsRefused() {
        // A client of the same realm with the groups and tenants mappers but without the audience mapper.
        String clientId = Events.unique("not-stenographer");
        keycloak.admin("POST", REALM + "/clients", """
                {"clientId":"%s","publicClient":true,"directAccessGrantsEnabled":true,"standardFlowEnabled":false,
                 "fullScopeAllowed":false,"defaultClientScopes":[],
                 "protocolMappers":[
                  {"name":"groups","protocol":"openid-connect","protocolMapper":"oidc-group-membership-mapper",
                   "config":{"claim.name":"groups","full.path":"false","access.token.claim":"true"}},
                  {"name":"tenants","protocol":"openid-connect","protocolMapper":"oidc-usermodel-attribute-mapper",
                   "config":{"user.attribute":"tenant","claim.name":"tenants","multivalued":"true",
                             "jsonType.label":"String","access.token.claim":"true"}}]}
                """.formatted(clientId));
        String token = keycloak.passwordGrant(REALM, clientId, "writer", password("writer"));
        JsonNode claims = claims(token);
        assertThat(claims.path("aud").toString()).doesNotContain("\"stenographer\"");
        assertThat(claims.path("groups").toString()).contains("audit-writer");
        assertThat(claims.path("tenants").toString()).contains("acme");

        HttpResponse<String> refused = api.post("/api/v1/events", token, Events.event("acme", "u-1", "case.view",
                Events.unique("case")));

        assertThat(refused.statusCode()).as(describe(refused)).isEqualTo(401);
        assertThat(problemType(refused)).isEqualTo(UNAUTHENTICATED);
    }

    @Test
    void aTokenWithAnAlteredSignatureIsRefused() {
        String token = userToken("writer");
        String[] parts = token.split("\\.");
        byte[] signature = Base64.getUrlDecoder().decode(parts[2]);
        signature[signature.length / 2] ^= 0x01;
        String badSignature = parts[0] + "." + parts[1] + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(signature);

        HttpResponse<String> refused = api.post("/api/v1/events", badSignature, Events.event("acme", "u-1",
                "case.view", Events.unique("case")));

        assertThat(refused.statusCode()).as(describe(refused)).isEqualTo(401);
        assertThat(problemType(refused)).isEqualTo(UNAUTHENTICATED);
        HttpResponse<String> original = api.post("/api/v1/events", token, Events.event("acme", "u-1", "case.view",
                Events.unique("case")));
        assertThat(original.statusCode()).as("the unaltered token: " + describe(original)).isEqualTo(201);
    }

    @Test
    void aTokenWhoseClaimsWereAlteredUnderTheOriginalSignatureIsRefused() {
        String token = userToken("writer");
        String[] parts = token.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        String widened = payload.replace("\"tenants\":[\"acme\"]", "\"tenants\":[\"acme\",\"globex\"]");
        assertThat(widened).isNotEqualTo(payload);
        String forged = parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(widened.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];

        HttpResponse<String> refused = api.post("/api/v1/events", forged, Events.event("globex", "u-1", "case.view",
                Events.unique("case")));

        assertThat(refused.statusCode()).as(describe(refused)).isEqualTo(401);
        assertThat(problemType(refused)).isEqualTo(UNAUTHENTICATED);
    }

    private static String userToken(String user) {
        return keycloak.passwordGrant(REALM, PASSWORD_CLIENT, user, password(user));
    }

    /** The token's claims, read without verification (only to show what the service is given). */
    static JsonNode claims(String token) {
        String payload = new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8);
        return Api.parse(payload);
    }
}
