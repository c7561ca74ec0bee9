package io.stenographer.bootstrap.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.smallrye.jwt.build.Jwt;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;

/**
 * A minimal OpenID provider in the test's own JVM, for tests that run the packaged service in its own process
 * and are not about the provider (crash and multi-process suites): it publishes a discovery document and the
 * JWKS of one RSA key, and signs tokens with it. The Keycloak suites test a real provider.
 */
public final class OidcStub implements AutoCloseable {

    public static final String AUDIENCE = "stenographer";
    private static final String KEY_ID = "stub-1";

    private final HttpServer server;
    private final KeyPair keys;
    private final String issuer;

    private OidcStub(HttpServer server, KeyPair keys) {
        this.server = server;
        this.keys = keys;
        this.issuer = "http://127.0.0.1:" + server.getAddress().getPort() + "/realms/stub";
    }

    public static OidcStub start() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
            server.setExecutor(Executors.newFixedThreadPool(2, r -> {
                Thread thread = new Thread(r, "oidc-stub");
                thread.setDaemon(true);
                return thread;
            }));
            OidcStub stub = new OidcStub(server, generator.generateKeyPair());
            server.createContext("/realms/stub/.well-known/openid-configuration", stub::discovery);
            server.createContext("/realms/stub/protocol/openid-connect/certs", stub::jwks);
            server.start();
            return stub;
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot start the OIDC stub", e);
        }
    }

    /** What the service's prod profile needs to trust this provider. */
    public Map<String, String> serviceEnvironment() {
        return Map.of("STENOGRAPHER_OIDC_URL", issuer, "STENOGRAPHER_OIDC_AUDIENCE", AUDIENCE);
    }

    public String issuer() {
        return issuer;
    }

    /** A token valid for {@code hours}, with the given roles ({@code groups}) and tenants. */
    public String token(String subject, Set<String> roles, long hours, String... tenants) {
        return Jwt.issuer(issuer)
                .audience(AUDIENCE)
                .subject(subject)
                .preferredUserName(subject)
                .groups(roles)
                .claim("tenants", List.of(tenants))
                .issuedAt(Instant.now())
                .expiresAt(Instant.now().plusSeconds(hours * 3600))
                .jws().keyId(KEY_ID)
                .sign(keys.getPrivate());
    }

    private void discovery(HttpExchange exchange) throws IOException {
        String base = issuer + "/protocol/openid-connect";
        respond(exchange, "{\"issuer\":\"" + issuer + "\",\"jwks_uri\":\"" + base + "/certs\","
                + "\"token_endpoint\":\"" + base + "/token\",\"authorization_endpoint\":\"" + base + "/auth\","
                + "\"id_token_signing_alg_values_supported\":[\"RS256\"]}");
    }

    private void jwks(HttpExchange exchange) throws IOException {
        RSAPublicKey key = (RSAPublicKey) keys.getPublic();
        respond(exchange, "{\"keys\":[{\"kty\":\"RSA\",\"use\":\"sig\",\"alg\":\"RS256\",\"kid\":\"" + KEY_ID
                + "\",\"n\":\"" + base64Url(key.getModulus()) + "\",\"e\":\"" + base64Url(key.getPublicExponent())
                + "\"}]}");
    }

    private static String base64Url(BigInteger value) {
        byte[] bytes = value.toByteArray();
        if (bytes.length > 1 && bytes[0] == 0) {
            bytes = Arrays.copyOfRange(bytes, 1, bytes.length);
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static void respond(HttpExchange exchange, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
