package io.stenographer.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Bearer tokens from the dev-only token endpoint. Demo tokens live five minutes, so a token is
 * replaced once it is {@link #MAX_AGE} old, or at once when the service answers 401.
 */
final class TokenSource {

    static final Duration MAX_AGE = Duration.ofMinutes(3);
    private static final int ATTEMPTS = 5;

    private final HttpClient http;
    private final URI tokenUrl;
    private String token;
    private long fetchedAt;
    private int fetches;

    TokenSource(HttpClient http, URI tokenUrl) {
        this.http = http;
        this.tokenUrl = tokenUrl;
    }

    synchronized String current() {
        if (token == null || System.nanoTime() - fetchedAt > MAX_AGE.toNanos()) {
            fetch();
        }
        return token;
    }

    /** Called after a 401: replaces the token unless another thread already did. */
    synchronized void rejected(String stale) {
        if (stale.equals(token)) {
            fetch();
        }
    }

    synchronized int fetches() {
        return fetches;
    }

    private void fetch() {
        IllegalStateException failure = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(tokenUrl)
                        .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
                String body = response.body().strip();
                if (response.statusCode() == 200 && !body.isEmpty() && body.indexOf(' ') < 0) {
                    token = body;
                    fetchedAt = System.nanoTime();
                    fetches++;
                    return;
                }
                failure = new IllegalStateException("token endpoint " + tokenUrl + " answered "
                        + response.statusCode() + ": " + abbreviate(body));
            } catch (IOException e) {
                failure = new IllegalStateException("token endpoint " + tokenUrl + " failed: " + e, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while fetching a token", e);
            }
            sleepQuietly(500L * attempt);
        }
        throw failure;
    }

    static String abbreviate(String text) {
        return text.length() <= 300 ? text : text.substring(0, 300) + "...";
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
