package io.stenographer.client;

import io.stenographer.domain.json.JsonNumber;
import io.stenographer.domain.json.JsonObject;
import io.stenographer.domain.json.JsonParser;
import io.stenographer.domain.json.JsonString;
import io.stenographer.domain.json.JsonValue;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Bearer tokens from an OAuth 2.0 token endpoint by the client-credentials grant (RFC 6749 §4.4), cached and
 * fetched anew a margin before they expire. The secret is sent only to the token endpoint, never logged.
 */
public final class ClientCredentialsTokens implements Supplier<String> {

    private final URI tokenEndpoint;
    private final String clientId;
    private final String clientSecret;
    private final String scope;
    private final Duration refreshMargin;
    private final HttpClient http;
    private final Clock clock;
    private String token;
    private Instant refreshAt = Instant.MIN;

    private ClientCredentialsTokens(URI tokenEndpoint, String clientId, String clientSecret, String scope,
            Duration refreshMargin, HttpClient http, Clock clock) {
        this.tokenEndpoint = Objects.requireNonNull(tokenEndpoint, "tokenEndpoint");
        this.clientId = Objects.requireNonNull(clientId, "clientId");
        this.clientSecret = Objects.requireNonNull(clientSecret, "clientSecret");
        this.scope = scope;
        this.refreshMargin = refreshMargin;
        this.http = http;
        this.clock = clock;
    }

    /** Tokens for {@code clientId}, refreshed 30 s before they expire. */
    public static ClientCredentialsTokens of(URI tokenEndpoint, String clientId, String clientSecret) {
        return new ClientCredentialsTokens(tokenEndpoint, clientId, clientSecret, null, Duration.ofSeconds(30),
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build(), Clock.systemUTC());
    }

    /** The same, with a {@code scope} and a refresh margin of its own. */
    public static ClientCredentialsTokens of(URI tokenEndpoint, String clientId, String clientSecret, String scope,
            Duration refreshMargin) {
        return new ClientCredentialsTokens(tokenEndpoint, clientId, clientSecret, scope, refreshMargin,
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build(), Clock.systemUTC());
    }

    static ClientCredentialsTokens of(URI tokenEndpoint, String clientId, String clientSecret, Clock clock) {
        return new ClientCredentialsTokens(tokenEndpoint, clientId, clientSecret, null, Duration.ofSeconds(30),
                HttpClient.newHttpClient(), clock);
    }

    /**
     * The current token, fetched when there is none or it is within the margin of its expiry.
     *
     * @throws AuditClientException if the token endpoint cannot be reached or refuses; the sender retries
     */
    @Override
    public synchronized String get() {
        if (token == null || !clock.instant().isBefore(refreshAt)) {
            fetch();
        }
        return token;
    }

    private void fetch() {
        String form = "grant_type=client_credentials" + (scope == null ? ""
                : "&scope=" + URLEncoder.encode(scope, StandardCharsets.UTF_8));
        String basic = Base64.getEncoder().encodeToString((URLEncoder.encode(clientId, StandardCharsets.UTF_8) + ":"
                + URLEncoder.encode(clientSecret, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(tokenEndpoint).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Authorization", "Basic " + basic)
                .POST(HttpRequest.BodyPublishers.ofString(form)).build();
        HttpResponse<byte[]> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new AuditClientException("the token endpoint " + tokenEndpoint + " cannot be reached: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AuditClientException("interrupted while fetching a token", e);
        }
        if (response.statusCode() != 200) {
            // The body of a refusal may echo the request; only the status is reported.
            throw new AuditClientException("the token endpoint refused client '" + clientId + "' with HTTP "
                    + response.statusCode());
        }
        Instant now = clock.instant();
        JsonValue parsed = JsonParser.parse(response.body(), 16);
        if (!(parsed instanceof JsonObject body) || !(body.get("access_token") instanceof JsonString accessToken)) {
            throw new AuditClientException("the token endpoint's answer has no access_token");
        }
        long expiresIn = body.get("expires_in") instanceof JsonNumber seconds ? (long) seconds.value() : 60;
        token = accessToken.value();
        Duration lifetime = Duration.ofSeconds(expiresIn);
        Duration margin = refreshMargin.compareTo(lifetime.dividedBy(2)) > 0 ? lifetime.dividedBy(2) : refreshMargin;
        refreshAt = now.plus(lifetime).minus(margin);
    }
}
