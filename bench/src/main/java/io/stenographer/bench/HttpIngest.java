package io.stenographer.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Sends prepared request bodies to the ingest API from a fixed number of threads. */
final class HttpIngest {

    private static final Pattern CREATED = Pattern.compile("\"created\"\\s*:\\s*(\\d+)");
    private static final int MAX_REPORTED_ERRORS = 5;

    private final HttpClient http;
    private final TokenSource tokens;
    private final URI single;
    private final URI batch;
    private final AtomicInteger reportedErrors = new AtomicInteger();

    HttpIngest(HttpClient http, TokenSource tokens, URI baseUrl) {
        this.http = http;
        this.tokens = tokens;
        this.single = URI.create(baseUrl + "/api/v1/events");
        this.batch = URI.create(baseUrl + "/api/v1/events/batch");
    }

    PhaseResult singles(String name, List<byte[]> bodies, int concurrency) {
        return run(name, bodies, concurrency, false, new int[bodies.size()]);
    }

    PhaseResult batches(String name, List<byte[]> bodies, int[] eventsPerBody, int concurrency) {
        return run(name, bodies, concurrency, true, eventsPerBody);
    }

    private PhaseResult run(String name, List<byte[]> bodies, int concurrency, boolean isBatch, int[] expected) {
        tokens.current(); // fetch outside the timed window
        int n = bodies.size();
        long[] latency = new long[n];
        AtomicInteger next = new AtomicInteger();
        AtomicLong stored = new AtomicLong();
        AtomicLong failures = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        long start = System.nanoTime();
        try {
            List<Future<?>> workers = new ArrayList<>(concurrency);
            for (int w = 0; w < concurrency; w++) {
                workers.add(pool.submit(() -> {
                    // Bounded: each index is taken exactly once.
                    for (int k = next.getAndIncrement(); k < n; k = next.getAndIncrement()) {
                        long t0 = System.nanoTime();
                        int created = send(isBatch ? batch : single, bodies.get(k), isBatch);
                        latency[k] = System.nanoTime() - t0;
                        int want = isBatch ? expected[k] : 1;
                        stored.addAndGet(Math.max(created, 0));
                        if (created != want) {
                            failures.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> worker : workers) {
                worker.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(name + " failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
        long nanos = System.nanoTime() - start;
        return new PhaseResult(name, stored.get(), n, nanos, latency, failures.get());
    }

    /** Returns the number of events the service reports as created, or -1 on an error answer. */
    private int send(URI uri, byte[] body, boolean isBatch) throws IOException, InterruptedException {
        HttpResponse<String> response = null;
        for (int attempt = 1; attempt <= 2; attempt++) {
            String token = tokens.current();
            response = http.send(HttpRequest.newBuilder(uri)
                    .timeout(Duration.ofSeconds(120))
                    .header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 401) {
                break;
            }
            tokens.rejected(token);
        }
        int status = response.statusCode();
        if (!isBatch) {
            if (status == 201) {
                return 1;
            }
            reportError(uri, status, response.body());
            return -1;
        }
        if (status != 200) {
            reportError(uri, status, response.body());
            return -1;
        }
        Matcher created = CREATED.matcher(response.body());
        if (!created.find()) {
            reportError(uri, status, response.body());
            return -1;
        }
        int count = Integer.parseInt(created.group(1));
        if (!response.body().contains("\"rejected\":0")) {
            reportError(uri, status, response.body());
        }
        return count;
    }

    private void reportError(URI uri, int status, String body) {
        if (reportedErrors.incrementAndGet() <= MAX_REPORTED_ERRORS) {
            System.err.println("ERROR " + uri.getPath() + " -> " + status + ": " + TokenSource.abbreviate(body));
        }
    }
}
