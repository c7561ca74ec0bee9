package io.stenographer.bootstrap.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Plain HTTP calls to a running service, as any client would make them. */
public final class Api {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration POLL = Duration.ofMillis(200);

    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public Api(URI base) {
        this.base = base;
    }

    public HttpResponse<String> post(String path, String token, String json) {
        return send(request(path, token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    /** A POST with an {@code Idempotency-Key}, as a client that may re-send it sends it. */
    public HttpResponse<String> post(String path, String token, String idempotencyKey, String json) {
        return send(request(path, token).header("Content-Type", "application/json")
                .header("Idempotency-Key", idempotencyKey).POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    public HttpResponse<String> get(String path, String token) {
        return send(request(path, token).GET());
    }

    /** A GET asking for one representation, e.g. JSON of a checkpoint whose default is the signed note. */
    public HttpResponse<String> get(String path, String token, String accept) {
        return send(request(path, token).header("Accept", accept).GET());
    }

    public static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON (HTTP " + response.statusCode() + "): " + response.body(), e);
        }
    }

    public static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + json, e);
        }
    }

    /** The problem type of a problem+json answer. */
    public static String problemType(HttpResponse<String> response) {
        return json(response).path("type").asText();
    }

    /**
     * Repeats {@code call} until {@code done} accepts its answer, and returns that answer; fails at the deadline with
     * the last one. A call that finds nothing listening counts as not done. The pause between calls only keeps the loop from spinning.
     */
    public static HttpResponse<String> until(String what, Duration deadline, Supplier<HttpResponse<String>> call,
            Predicate<HttpResponse<String>> done) {
        long end = System.nanoTime() + deadline.toNanos();
        while (true) {
            String last;
            try {
                HttpResponse<String> answer = call.get();
                if (done.test(answer)) {
                    return answer;
                }
                last = describe(answer);
            } catch (UncheckedIOException notListening) {
                last = notListening.getCause().toString();
            }
            if (System.nanoTime() > end) {
                throw new AssertionError("waited " + deadline.toSeconds() + " s for " + what + ", in vain; last answer: "
                        + last);
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }

    public static String describe(HttpResponse<String> response) {
        return "HTTP " + response.statusCode() + " " + response.body();
    }

    private HttpRequest.Builder request(String path, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return request;
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
