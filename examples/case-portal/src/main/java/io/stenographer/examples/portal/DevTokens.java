package io.stenographer.examples.portal;

import io.stenographer.client.AuditClientException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * The dev service's demo writer token ({@code GET /dev/tokens/writer}, dev builds only), fetched again before its
 * five minutes run out. A production portal uses {@code ClientCredentialsTokens} instead.
 */
final class DevTokens implements Supplier<String> {

    private static final Duration REUSE = Duration.ofMinutes(4);

    private final URI endpoint;
    private final HttpClient http = HttpClient.newHttpClient();
    private String token;
    private Instant fetched = Instant.MIN;

    DevTokens(URI endpoint) {
        this.endpoint = endpoint;
    }

    @Override
    public synchronized String get() {
        if (token == null || Instant.now().isAfter(fetched.plus(REUSE))) {
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(endpoint).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 200) {
                    throw new AuditClientException("no demo token from " + endpoint + ": HTTP " + response.statusCode()
                            + " (is the service running in dev mode?)");
                }
                token = response.body().trim();
                fetched = Instant.now();
            } catch (IOException e) {
                throw new AuditClientException("no demo token from " + endpoint + ": " + e, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AuditClientException("interrupted", e);
            }
        }
        return token;
    }
}
