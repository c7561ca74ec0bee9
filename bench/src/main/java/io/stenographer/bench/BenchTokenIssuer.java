package io.stenographer.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import java.util.concurrent.Executors;

/**
 * The OpenID provider the benchmarks' packaged service trusts: JDK only, loopback only. It publishes a discovery
 * document and the JWKS of one RSA key made at start (never stored), and hands out RS256 tokens for the demo users
 * at {@code GET /tokens/{user}}. A benchmark of the packaged jar (prod profile) has no dev token endpoint.
 *
 * <pre>java -cp stenographer-bench.jar io.stenographer.bench.BenchTokenIssuer --port 18099</pre>
 */
public final class BenchTokenIssuer {

    static final String AUDIENCE = "stenographer";
    static final String REALM_PATH = "/realms/bench";
    private static final String KEY_ID = "bench-1";
    private static final long LIFETIME_SECONDS = 600;

    /** The demo users of the dev run: roles (the {@code groups} claim) and tenants (the {@code tenants} claim). */
    private static final Map<String, List<List<String>>> USERS = Map.of(
            "writer", List.of(List.of("audit-writer"), List.of("acme")),
            "globex-writer", List.of(List.of("audit-writer"), List.of("globex")),
            "auditor", List.of(List.of("auditor"), List.of("acme", "globex")),
            // Compliance admin of the archive benchmark's two tenants.
            "admin", List.of(List.of("compliance-admin"), List.of("acme", "initech")),
            "scraper", List.of(List.of("metrics-reader"), List.of("acme")),
            // The tenants benchmark's fleet: t0000..t0999 (short names keep the token under the 20 KiB header limit).
            // The query benchmark's auditor: its big tenant and the ten small ones beside it.
            "query-auditor", List.of(List.of("auditor"), IntStream.rangeClosed(0, 10)
                    .mapToObj(t -> t == 0 ? "acme" : String.format(Locale.ROOT, "q%02d", t)).toList()),
            "fleet-writer", List.of(List.of("audit-writer"), IntStream.range(0, 1_000)
                    .mapToObj(t -> String.format(Locale.ROOT, "t%04d", t)).toList()));

    private final KeyPair keys;
    private final String issuer;

    private BenchTokenIssuer(KeyPair keys, int port) {
        this.keys = keys;
        this.issuer = "http://127.0.0.1:" + port + REALM_PATH;
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2 || !args[0].equals("--port")) {
            System.err.println("usage: BenchTokenIssuer --port PORT");
            System.exit(64);
        }
        int port = Integer.parseInt(args[1]);
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        BenchTokenIssuer issuer = new BenchTokenIssuer(generator.generateKeyPair(), port);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        server.setExecutor(Executors.newFixedThreadPool(2));
        server.createContext(REALM_PATH + "/.well-known/openid-configuration", issuer::discovery);
        server.createContext(REALM_PATH + "/protocol/openid-connect/certs", issuer::jwks);
        server.createContext("/tokens/", issuer::token);
        server.start();
        System.out.println("bench token issuer ready: " + issuer.issuer);
    }

    private void discovery(HttpExchange exchange) throws IOException {
        String base = issuer + "/protocol/openid-connect";
        respond(exchange, 200, "application/json", "{\"issuer\":\"" + issuer + "\",\"jwks_uri\":\"" + base
                + "/certs\",\"token_endpoint\":\"" + base + "/token\",\"authorization_endpoint\":\"" + base
                + "/auth\",\"id_token_signing_alg_values_supported\":[\"RS256\"]}");
    }

    private void jwks(HttpExchange exchange) throws IOException {
        RSAPublicKey key = (RSAPublicKey) keys.getPublic();
        respond(exchange, 200, "application/json", "{\"keys\":[{\"kty\":\"RSA\",\"use\":\"sig\",\"alg\":\"RS256\","
                + "\"kid\":\"" + KEY_ID + "\",\"n\":\"" + base64Url(key.getModulus()) + "\",\"e\":\""
                + base64Url(key.getPublicExponent()) + "\"}]}");
    }

    private void token(HttpExchange exchange) throws IOException {
        String user = exchange.getRequestURI().getPath().substring("/tokens/".length());
        List<List<String>> grants = USERS.get(user);
        if (grants == null) {
            respond(exchange, 404, "text/plain", "unknown user; known: " + USERS.keySet());
            return;
        }
        long now = Instant.now().getEpochSecond();
        String claims = "{\"iss\":\"" + issuer + "\",\"aud\":\"" + AUDIENCE + "\",\"sub\":\"" + user
                + "\",\"preferred_username\":\"" + user + "\",\"groups\":" + jsonArray(grants.get(0))
                + ",\"tenants\":" + jsonArray(grants.get(1)) + ",\"iat\":" + now + ",\"exp\":"
                + (now + LIFETIME_SECONDS) + ",\"jti\":\"" + UUID.randomUUID() + "\"}";
        try {
            respond(exchange, 200, "text/plain", sign(claims));
        } catch (GeneralSecurityException e) {
            respond(exchange, 500, "text/plain", "signing failed: " + e);
        }
    }

    private String sign(String claims) throws GeneralSecurityException {
        Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
        String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"" + KEY_ID + "\"}";
        String signingInput = url.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
                + url.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
        Signature rsa = Signature.getInstance("SHA256withRSA");
        rsa.initSign(keys.getPrivate());
        rsa.update(signingInput.getBytes(StandardCharsets.US_ASCII));
        return signingInput + "." + url.encodeToString(rsa.sign());
    }

    private static String jsonArray(List<String> values) {
        return values.stream().map(v -> "\"" + v + "\"").reduce((a, b) -> a + "," + b).map(s -> "[" + s + "]")
                .orElse("[]");
    }

    private static String base64Url(BigInteger value) {
        byte[] bytes = value.toByteArray();
        if (bytes.length > 1 && bytes[0] == 0) {
            bytes = Arrays.copyOfRange(bytes, 1, bytes.length);
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static void respond(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
