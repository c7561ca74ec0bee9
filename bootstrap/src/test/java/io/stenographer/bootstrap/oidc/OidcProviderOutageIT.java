package io.stenographer.bootstrap.oidc;

import static io.stenographer.bootstrap.support.Api.describe;
import static io.stenographer.bootstrap.support.Api.json;
import static io.stenographer.bootstrap.support.Api.problemType;
import static io.stenographer.bootstrap.oidc.SharedKeycloak.OUTAGE_REALM;
import static io.stenographer.bootstrap.oidc.SharedKeycloak.PASSWORD_CLIENT;
import static io.stenographer.bootstrap.oidc.SharedKeycloak.REALM;
import static io.stenographer.bootstrap.oidc.SharedKeycloak.password;
import static org.assertj.core.api.Assertions.assertThat;

import io.stenographer.bootstrap.support.Api;
import com.fasterxml.jackson.databind.JsonNode;
import io.stenographer.bootstrap.support.Events;
import io.stenographer.testing.KeycloakProcess;
import io.stenographer.testing.ServiceProcess;
import io.stenographer.testing.TcpProxy;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packaged service when its OIDC provider (a real Keycloak) cannot be reached. The service talks to Keycloak
 * only through a {@link TcpProxy}, which the test cuts and restores; Keycloak itself keeps running, so the test can
 * still obtain tokens and rotate keys directly. Because discovery through the proxy names the proxy's address, the
 * service is told the issuer the tokens carry ({@code quarkus.oidc.token.issuer}), as a deployment does when it
 * reaches the provider by an internal address.
 */
class OidcProviderOutageIT {

    private static final String UNAVAILABLE = "urn:stenographer:problem:unavailable";
    private static final Duration DEADLINE = Duration.ofSeconds(120);

    private static KeycloakProcess keycloak;

    @BeforeAll
    static void startKeycloak() {
        keycloak = SharedKeycloak.get();
    }

    @Test
    void unreachableAtStartUpTheServiceStartsUnreadyAnswers503AndRecoversWithoutARestart() throws IOException {
        try (TcpProxy proxy = TcpProxy.start(keycloak.httpPort())) {
            proxy.cut();
            ServiceProcess service = serviceThrough(proxy, REALM, "oidc-down-at-start").build();
            try {
                service.startWithoutAwaitingReadiness();
                Api api = new Api(service.baseUri());
                Api.until("the service to start (liveness UP)", ServiceProcess.DEFAULT_READY_TIMEOUT,
                        () -> api.get("/q/health/live", null), r -> r.statusCode() == 200);

                HttpResponse<String> ready = api.get("/q/health/ready", null);
                assertThat(ready.statusCode()).as(describe(ready)).isEqualTo(503);
                assertThat(check(ready, OidcCheck.NAME).path("status").asText()).isEqualTo("DOWN");

                String writer = keycloak.passwordGrant(REALM, PASSWORD_CLIENT, "writer", password("writer"));
                String refusedResource = Events.unique("case");
                HttpResponse<String> refused = api.post("/api/v1/events", writer,
                        Events.event("acme", "u-1", "case.view", refusedResource));
                assertThat(refused.statusCode()).as(describe(refused)).isEqualTo(503);
                assertThat(problemType(refused)).isEqualTo(UNAVAILABLE);
                assertThat(refused.headers().firstValue("Retry-After")).isPresent();

                proxy.restore();
                // Readiness alone (no request) brings the service up: the probe retries the connection.
                service.awaitReady(DEADLINE);
                assertThat(check(api.get("/q/health/ready", null), OidcCheck.NAME).path("status").asText())
                        .isEqualTo("UP");

                HttpResponse<String> accepted = api.post("/api/v1/events", writer,
                        Events.event("acme", "u-1", "case.view", Events.unique("case")));
                assertThat(accepted.statusCode()).as(describe(accepted)).isEqualTo(201);
                String auditor = keycloak.passwordGrant(REALM, PASSWORD_CLIENT, "auditor", password("auditor"));
                HttpResponse<String> found = api.get("/api/v1/events?tenant=acme&resourceId=" + refusedResource, auditor);
                assertThat(found.statusCode()).as(describe(found)).isEqualTo(200);
                assertThat(json(found).path("events").size()).as("the event refused with 503 was not stored").isZero();
            } finally {
                service.close();
            }
        }
    }

    @Test
    void unreachableAtRunTimeKnownKeysKeepWorkingAndANewKeyIsFetchedOnceItIsBack() throws IOException {
        try (TcpProxy proxy = TcpProxy.start(keycloak.httpPort());
                ServiceProcess service = serviceThrough(proxy, OUTAGE_REALM, "oidc-down-at-runtime")
                        // The product waits 30 s between two forced key-set fetches; the test need not.
                        .property("quarkus.oidc.token.forced-jwk-refresh-interval", "5S")
                        .start()) {
            Api api = new Api(service.baseUri());
            String before = writerToken();
            assertThat(write(api, before).statusCode()).isEqualTo(201);

            proxy.cut();

            HttpResponse<String> withKnownKey = write(api, before);
            assertThat(withKnownKey.statusCode()).as("a token signed with a key already fetched: " + describe(withKnownKey))
                    .isEqualTo(201);
            String issuedDuringOutage = writerToken();
            assertThat(write(api, issuedDuringOutage).statusCode()).as("a new token, same key").isEqualTo(201);
            HttpResponse<String> ready = api.get("/q/health/ready", null);
            assertThat(ready.statusCode()).as("a provider outage keeps the service in rotation: " + describe(ready))
                    .isEqualTo(200);

            rotateSigningKey(OUTAGE_REALM);
            String rotated = writerToken();
            assertThat(kid(rotated)).as("Keycloak signs with the new key").isNotEqualTo(kid(before));
            HttpResponse<String> unknownKey = write(api, rotated);
            assertThat(unknownKey.statusCode()).as("a key the service cannot fetch yet: " + describe(unknownKey))
                    .isEqualTo(401);

            proxy.restore();

            Api.until("the token signed with the new key to be accepted once the provider is back", DEADLINE,
                    () -> write(api, rotated), r -> r.statusCode() == 201);
            assertThat(write(api, before).statusCode()).as("the old key still verifies").isEqualTo(201);
        }
    }

    private static ServiceProcess.Builder serviceThrough(TcpProxy proxy, String realm, String name) throws IOException {
        Path data = Files.createTempDirectory(Files.createDirectories(Path.of("target")), name + "-");
        return ServiceProcess.builder(data)
                .name(name)
                .env("STENOGRAPHER_OIDC_URL", "http://127.0.0.1:" + proxy.port() + "/realms/" + realm)
                .property("quarkus.oidc.token.issuer", keycloak.realmUrl(realm))
                .env("STENOGRAPHER_GENERATE_SIGNING_KEY", "true");
    }

    private static String writerToken() {
        return keycloak.passwordGrant(OUTAGE_REALM, PASSWORD_CLIENT, "writer", password("writer"));
    }

    private static HttpResponse<String> write(Api api, String token) {
        return api.post("/api/v1/events", token, Events.event("acme", "u-1", "case.view", Events.unique("case")));
    }

    /** A new RSA key with a higher priority than the realm's own: Keycloak signs every new token with it. */
    private static void rotateSigningKey(String realm) {
        String realmId = Api.parse(keycloak.admin("GET", realm, null).body()).path("id").asText();
        keycloak.admin("POST", realm + "/components", """
                {"name":"rotated-rsa","providerId":"rsa-generated","providerType":"org.keycloak.keys.KeyProvider",
                 "parentId":"%s","config":{"priority":["1000"],"enabled":["true"],"active":["true"],
                 "algorithm":["RS256"],"keySize":["2048"]}}
                """.formatted(realmId));
    }

    private static String kid(String token) {
        String header = new String(Base64.getUrlDecoder().decode(token.split("\\.")[0]), StandardCharsets.UTF_8);
        return Api.parse(header).path("kid").asText();
    }

    private static JsonNode check(HttpResponse<String> health, String name) {
        for (JsonNode check : json(health).path("checks")) {
            if (name.equals(check.path("name").asText())) {
                return check;
            }
        }
        throw new AssertionError("no health check '" + name + "' in " + health.body());
    }

    /** The readiness check of io.stenographer.bootstrap.security.OidcProviderHealth. */
    private static final class OidcCheck {
        static final String NAME = "oidc-provider";
    }
}
