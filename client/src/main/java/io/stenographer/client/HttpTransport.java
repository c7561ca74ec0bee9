package io.stenographer.client;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.function.Supplier;

/** The client's only way to the service: JSON over {@code java.net.http}, with the bearer token of the moment. */
final class HttpTransport {

    /** One answer: its status, its body, and the wait a 429 or 503 asked for. */
    record Answer(int status, byte[] body, Optional<Duration> retryAfter) {
    }

    private final HttpClient http;
    private final URI base;
    private final Supplier<String> tokens;
    private final Duration requestTimeout;

    HttpTransport(HttpClient http, URI base, Supplier<String> tokens, Duration requestTimeout) {
        this.http = http;
        this.base = base;
        this.tokens = tokens;
        this.requestTimeout = requestTimeout;
    }

    /** The path under the base URI, which may itself have a path (a service mounted under /audit). */
    private URI at(String path) {
        String root = base.toString();
        return URI.create((root.endsWith("/") ? root.substring(0, root.length() - 1) : root) + path);
    }

    Answer post(String path, byte[] json) throws IOException, InterruptedException {
        return send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(json)).build());
    }

    Answer get(String path) throws IOException, InterruptedException {
        return send(request(path).GET().build());
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(at(path)).timeout(requestTimeout)
                .header("Accept", "application/json");
        String token = tokens.get();
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder;
    }

    private Answer send(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        return new Answer(response.statusCode(), response.body(),
                response.headers().firstValue("Retry-After").flatMap(HttpTransport::retryAfter));
    }

    /** RFC 9110 Retry-After: delay-seconds or an HTTP-date; anything else is ignored. */
    static Optional<Duration> retryAfter(String value) {
        String text = value.trim();
        try {
            long seconds = Long.parseLong(text);
            return seconds < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(seconds));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                Duration wait = Duration.between(Instant.now(), at);
                return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
            } catch (DateTimeParseException notADate) {
                return Optional.empty();
            }
        }
    }
}
