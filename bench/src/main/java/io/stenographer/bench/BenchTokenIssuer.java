package io.stenographer.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.URLEncoder;
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
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;

/**
 * The OpenID provider the benchmarks' packaged service trusts: JDK only, loopback only. It publishes a discovery
 * document and the JWKS of one RSA key made at start (never stored), and hands out RS256 tokens for the demo users
 * at {@code GET /tokens/{user}}. A benchmark of the packaged jar (prod profile) has no dev token endpoint.
 *
 * <p>For the console, it also answers the authorization-code flow without a login form: {@code /auth} signs in the
 * user named by the {@code login_hint} parameter (default {@code auditor}) and sends the browser straight back with
 * a one-time code; {@code /token} exchanges that code for an ID token (audience: the client that asked) and an
 * access token. Loopback only, for measurements; never a provider for real users.
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
            // Reads the benchmarks' tenants' checkpoints, which are not public (Service.checkpointSize).
            "log-watcher", List.of(List.of("auditor"), List.of("acme", "globex", "initech")),
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
        server.createContext(REALM_PATH + "/protocol/openid-connect/auth", issuer::authorize);
        server.createContext(REALM_PATH + "/protocol/openid-connect/token", issuer::exchangeCode);
        server.start();
        System.out.println("bench token issuer ready: " + issuer.issuer);
    }

    private void discovery(HttpExchange exchange) throws IOException {
        String base = issuer + "/protocol/openid-connect";
        respond(exchange, 200, "application/json", "{\"issuer\":\"" + issuer + "\",\"jwks_uri\":\"" + base
                + "/certs\",\"token_endpoint\":\"" + base + "/token\",\"authorization_endpoint\":\"" + base
                + "/auth\",\"id_token_signing_alg_values_supported\":[\"RS256\"],\"response_types_supported\":[\"code\"],"
                + "\"subject_types_supported\":[\"public\"],\"code_challenge_methods_supported\":[\"S256\"]}");
    }

    private void jwks(HttpExchange exchange) throws IOException {
        RSAPublicKey key = (RSAPublicKey) keys.getPublic();
        respond(exchange, 200, "application/json", "{\"keys\":[{\"kty\":\"RSA\",\"use\":\"sig\",\"alg\":\"RS256\","
                + "\"kid\":\"" + KEY_ID + "\",\"n\":\"" + base64Url(key.getModulus()) + "\",\"e\":\""
                + base64Url(key.getPublicExponent()) + "\"}]}");
    }

    private void token(HttpExchange exchange) throws IOException {
        String user = exchange.getRequestURI().getPath().substring("/tokens/".length());
        if (!USERS.containsKey(user)) {
            respond(exchange, 404, "text/plain", "unknown user; known: " + USERS.keySet());
            return;
        }
        try {
            respond(exchange, 200, "text/plain", sign(claims(user, AUDIENCE, null)));
        } catch (GeneralSecurityException e) {
            respond(exchange, 500, "text/plain", "signing failed: " + e);
        }
    }

    private String claims(String user, String audience, String nonce) {
        List<List<String>> grants = USERS.get(user);
        long now = Instant.now().getEpochSecond();
        return "{\"iss\":\"" + issuer + "\",\"aud\":\"" + audience + "\",\"azp\":\"" + audience + "\",\"sub\":\""
                + user + "\",\"preferred_username\":\"" + user + "\",\"groups\":" + jsonArray(grants.get(0))
                + ",\"tenants\":" + jsonArray(grants.get(1)) + ",\"iat\":" + now + ",\"exp\":"
                + (now + LIFETIME_SECONDS) + ",\"jti\":\"" + UUID.randomUUID() + "\""
                + (nonce == null ? "" : ",\"nonce\":\"" + nonce + "\"") + "}";
    }

    /** A one-time code per sign-in: who, for which client, with which nonce. */
    private record PendingCode(String user, String clientId, String nonce) {
    }

    private final Map<String, PendingCode> codes = new ConcurrentHashMap<>();

    private void authorize(HttpExchange exchange) throws IOException {
        Map<String, String> query = form(exchange.getRequestURI().getRawQuery());
        String user = query.getOrDefault("login_hint", "auditor");
        String redirect = query.get("redirect_uri");
        if (!USERS.containsKey(user) || redirect == null || !redirect.startsWith("http://127.0.0.1:")) {
            respond(exchange, 400, "text/plain", "unknown user or a redirect_uri off loopback");
            return;
        }
        String code = UUID.randomUUID().toString();
        codes.put(code, new PendingCode(user, query.get("client_id"), query.get("nonce")));
        String location = redirect + (redirect.contains("?") ? "&" : "?") + "code=" + code
                + (query.containsKey("state") ? "&state=" + URLEncoder.encode(query.get("state"), StandardCharsets.UTF_8)
                        : "");
        exchange.getResponseHeaders().set("Location", location);
        exchange.sendResponseHeaders(302, -1);
        exchange.close();
    }

    private void exchangeCode(HttpExchange exchange) throws IOException {
        Map<String, String> body = form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        PendingCode pending = body.get("code") == null ? null : codes.remove(body.get("code"));
        if (pending == null || !"authorization_code".equals(body.get("grant_type"))) {
            respond(exchange, 400, "application/json", "{\"error\":\"invalid_grant\"}");
            return;
        }
        try {
            String clientId = pending.clientId() == null ? AUDIENCE : pending.clientId();
            respond(exchange, 200, "application/json", "{\"access_token\":\"" + sign(claims(pending.user(), AUDIENCE,
                    null)) + "\",\"id_token\":\"" + sign(claims(pending.user(), clientId, pending.nonce()))
                    + "\",\"token_type\":\"Bearer\",\"expires_in\":" + LIFETIME_SECONDS + "}");
        } catch (GeneralSecurityException e) {
            respond(exchange, 500, "text/plain", "signing failed: " + e);
        }
    }

    private static Map<String, String> form(String raw) {
        Map<String, String> values = new HashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    values.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return values;
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
