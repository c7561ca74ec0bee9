package io.stenographer.bench.log;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The running service over loopback HTTP/1.1: one keep-alive client, bearer tokens for the demo users from
 * {@code <token base>/{user}} (they live five minutes or more; replaced after three, or at once after a 401). The
 * token base is the system property {@value #TOKEN_BASE_PROPERTY}: the bench scripts point it at
 * {@code BenchTokenIssuer}, as the packaged service has no dev token endpoint; without it, a dev-mode service's
 * {@code /dev/tokens}.
 */
public final class Service {

    public static final String TOKEN_BASE_PROPERTY = "stenographer.bench.token-base";
    private static final long TOKEN_MAX_AGE_NANOS = Duration.ofMinutes(3).toNanos();

    final HttpClient http;
    private final String baseUrl;
    private final String tokenBase;
    private final Map<String, String> tokens = new HashMap<>();
    private final Map<String, Long> fetchedAt = new HashMap<>();

    public Service(String baseUrl) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.tokenBase = System.getProperty(TOKEN_BASE_PROPERTY, this.baseUrl + "/dev/tokens");
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    URI uri(String path) {
        return URI.create(baseUrl + path);
    }

    public synchronized String token(String user) {
        Long at = fetchedAt.get(user);
        if (at == null || System.nanoTime() - at > TOKEN_MAX_AGE_NANOS) {
            fetchToken(user);
        }
        return tokens.get(user);
    }

    synchronized void rejected(String user, String stale) {
        if (stale.equals(tokens.get(user))) {
            fetchToken(user);
        }
    }

    private void fetchToken(String user) {
        RuntimeException failure = null;
        for (int attempt = 1; attempt <= 5; attempt++) {
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(tokenBase + "/" + user))
                        .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
                String body = response.body().strip();
                if (response.statusCode() == 200 && !body.isEmpty() && body.indexOf(' ') < 0) {
                    tokens.put(user, body);
                    fetchedAt.put(user, System.nanoTime());
                    return;
                }
                failure = new IllegalStateException("token endpoint answered " + response.statusCode());
            } catch (IOException e) {
                failure = new IllegalStateException("token endpoint failed: " + e, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
            sleep(500L * attempt);
        }
        throw failure;
    }

    /** GET with the user's token (null: anonymous); retries once with a fresh token after a 401. */
    public HttpResponse<String> get(String path, String user, Duration timeout) {
        return send(path, user, timeout, null, "GET");
    }

    public HttpResponse<String> post(String path, String user, Duration timeout, byte[] json) {
        return send(path, user, timeout, json, "POST");
    }

    private HttpResponse<String> send(String path, String user, Duration timeout, byte[] json, String method) {
        for (int attempt = 1; ; attempt++) {
            String token = user == null ? null : token(user);
            HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(timeout);
            if (token != null) {
                request.header("Authorization", "Bearer " + token);
            }
            if ("POST".equals(method)) {
                request.header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(json));
            } else {
                request.GET();
            }
            HttpResponse<String> response;
            try {
                response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                throw new IllegalStateException(method + " " + path + " failed: " + e, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
            if (response.statusCode() == 401 && token != null && attempt == 1) {
                rejected(user, token);
                continue;
            }
            return response;
        }
    }

    /** A user whose token may read the benchmarks' tenants' checkpoints (not public by default). */
    public static final String LOG_WATCHER = "log-watcher";

    /** Tree size of the latest checkpoint of a tenant (0 when it has none yet). */
    public long checkpointSize(String tenant) {
        HttpResponse<String> response = get("/api/v1/logs/" + tenant + "/checkpoint", LOG_WATCHER,
                Duration.ofSeconds(30));
        if (response.statusCode() == 404) {
            return 0;
        }
        if (response.statusCode() != 200) {
            throw new IllegalStateException("checkpoint of " + tenant + ": HTTP " + response.statusCode());
        }
        // C2SP tlog-checkpoint: origin line, tree size line, base64 root hash line, blank line, signatures.
        String[] lines = response.body().split("\n", 4);
        return Long.parseLong(lines[1].strip());
    }

    public static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    public static String abbreviate(String text) {
        String oneLine = text.replace('\n', ' ');
        return oneLine.length() <= 300 ? oneLine : oneLine.substring(0, 300) + "...";
    }
}
