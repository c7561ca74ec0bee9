package io.stenographer.bench.streams;

import io.stenographer.bench.log.Events;
import io.stenographer.bench.log.Service;
import io.stenographer.bench.log.Stats;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Open-loop ingest at a fixed rate: every {@code batch / rate} seconds one {@code POST /api/v1/events/batch} of
 * {@code batch} events (the ~500-byte event of the other benchmarks), sent asynchronously at its due time whatever
 * the earlier requests are doing, so a slow answer delays no later request (no coordinated omission). Each event's
 * correlation id carries a run-wide sequence number; the {@link Ledger} notes when its request was acknowledged.
 */
final class PacedLoad {

    /** One request: its events {@code [firstSeq, firstSeq + events)}, when it was sent and answered. */
    record Sent(int firstSeq, int events, long sentNanos, long answeredNanos, boolean ok) {
    }

    record Result(List<Sent> requests, long startNanos, long endNanos) {

        long okEvents() {
            return requests.stream().filter(Sent::ok).mapToLong(Sent::events).sum();
        }

        long failures() {
            return requests.stream().filter(s -> !s.ok()).count();
        }

        /** Per-request latency (send to answer) of the acknowledged requests. */
        Stats latency() {
            long[] nanos = requests.stream().filter(Sent::ok).mapToLong(s -> s.answeredNanos() - s.sentNanos())
                    .toArray();
            return new Stats(nanos, nanos.length);
        }

        double seconds() {
            return (endNanos - startNanos) / 1e9;
        }

        /** Acknowledged events per second over the whole run. */
        double rate() {
            return okEvents() / seconds();
        }

        /** Events acknowledged within {@code [from, to]} per second of that window. */
        double rateBetween(long from, long to) {
            long events = requests.stream().filter(s -> s.ok() && s.answeredNanos() >= from
                    && s.answeredNanos() <= to).mapToLong(Sent::events).sum();
            return events / ((to - from) / 1e9);
        }
    }

    private final Service service;
    private final Ledger ledger;
    private final AtomicInteger sequence;
    private final URI batchUri;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final Instant occurredAt = Instant.now().minus(1, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.MILLIS);
    private final AtomicInteger reportedErrors = new AtomicInteger();

    PacedLoad(Service service, String baseUrl, Ledger ledger, AtomicInteger sequence) {
        this.service = service;
        this.ledger = ledger;
        this.sequence = sequence;
        this.batchUri = URI.create(baseUrl + "/api/v1/events/batch");
    }

    /**
     * Sends at {@code rate} events/s in requests of {@code batch} until {@code maxSeconds} pass or {@code stop}
     * answers true (checked before each request), then waits for the answers still out (at most two minutes).
     */
    Result run(String tenant, String user, int rate, int batch, double maxSeconds, BooleanSupplier stop)
            throws InterruptedException {
        long period = Math.round(batch * 1e9 / rate);
        long maxRequests = (long) Math.ceil(maxSeconds * rate / batch);
        List<Sent> done = new ArrayList<>();
        AtomicInteger outstanding = new AtomicInteger();
        service.token(user);
        long start = System.nanoTime();
        for (long k = 0; k < maxRequests && !stop.getAsBoolean(); k++) {
            long wait = start + k * period - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            int first = sequence.getAndAdd(batch);
            StringBuilder body = new StringBuilder(batch * 560).append("{\"events\":[");
            for (int i = 0; i < batch; i++) {
                body.append(i == 0 ? "" : ",").append(Events.eventJson(tenant, "sb", first + i, occurredAt));
            }
            HttpRequest request = HttpRequest.newBuilder(batchUri).timeout(Duration.ofSeconds(60))
                    .header("Authorization", "Bearer " + service.token(user))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body.append("]}").toString(), StandardCharsets.UTF_8))
                    .build();
            outstanding.incrementAndGet();
            long sent = System.nanoTime();
            http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((response, error) -> {
                long answered = System.nanoTime();
                boolean ok = error == null && response.statusCode() == 200
                        && response.body().contains("\"rejected\":0");
                if (ok) {
                    ledger.acknowledged(first, batch, answered);
                } else if (reportedErrors.incrementAndGet() <= 5) {
                    System.err.println("ingest failed: " + (error != null ? error.toString()
                            : "HTTP " + response.statusCode() + " " + Service.abbreviate(response.body())));
                }
                synchronized (done) {
                    done.add(new Sent(first, batch, sent, answered, ok));
                }
                outstanding.decrementAndGet();
            });
        }
        long end = System.nanoTime();
        long deadline = end + Duration.ofMinutes(2).toNanos();
        while (outstanding.get() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        synchronized (done) {
            return new Result(List.copyOf(done), start, end);
        }
    }
}
