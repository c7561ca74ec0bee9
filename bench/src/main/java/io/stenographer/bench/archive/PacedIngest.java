package io.stenographer.bench.archive;

import io.stenographer.bench.log.Events;
import io.stenographer.bench.log.Service;
import io.stenographer.bench.log.Stats;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * Ingest latency probe: W writers, each POSTing one event ({@code /api/v1/events}, the same ~500-byte
 * event shape as the other benchmarks) then pausing P ms, until told to stop. The pause keeps the load
 * light and steady, so the figure is the latency an ordinary writer sees, not a saturation point.
 */
final class PacedIngest {

    record Result(Stats latency, long accepted, long failed, double seconds) {
        double rate() {
            return accepted / seconds;
        }
    }

    private final Service service;
    private final String user;
    private final String tenant;
    private final int writers;
    private final int pauseMillis;
    private final Instant occurredAt = Instant.now().minus(1, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.MILLIS);
    private final AtomicLong sequence = new AtomicLong();

    PacedIngest(Service service, String user, String tenant, int writers, int pauseMillis) {
        this.service = service;
        this.user = user;
        this.tenant = tenant;
        this.writers = writers;
        this.pauseMillis = pauseMillis;
    }

    /** Runs until {@code stop} answers true (checked before each request) or {@code maxSeconds} pass. */
    Result run(String phase, int maxSeconds, BooleanSupplier stop) throws InterruptedException {
        service.token(user);
        long deadline = System.nanoTime() + Duration.ofSeconds(maxSeconds).toNanos();
        AtomicBoolean done = new AtomicBoolean();
        AtomicLong accepted = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        List<long[]> samples = new ArrayList<>();
        int[] counts = new int[writers];
        int capacity = maxSeconds * (1000 / Math.max(1, pauseMillis) + 1) + 16;
        List<Thread> threads = new ArrayList<>();
        long started = System.nanoTime();
        for (int w = 0; w < writers; w++) {
            long[] mine = new long[capacity];
            samples.add(mine);
            int writer = w;
            Thread thread = new Thread(() -> {
                while (!done.get() && counts[writer] < mine.length && System.nanoTime() < deadline
                        && !stop.getAsBoolean()) {
                    int i = (int) sequence.incrementAndGet();
                    byte[] body = Events.eventJson(tenant, phase, i, occurredAt).getBytes(StandardCharsets.UTF_8);
                    long t0 = System.nanoTime();
                    HttpResponse<String> response = service.post("/api/v1/events", user, Duration.ofSeconds(60),
                            body);
                    mine[counts[writer]++] = System.nanoTime() - t0;
                    if (response.statusCode() == 201) {
                        accepted.incrementAndGet();
                    } else if (failed.incrementAndGet() <= 5) {
                        System.err.println("ingest: HTTP " + response.statusCode() + " "
                                + Service.abbreviate(response.body()));
                    }
                    Service.sleep(pauseMillis);
                }
            }, "ingest-" + w);
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        done.set(true);
        double seconds = (System.nanoTime() - started) / 1e9;
        int total = 0;
        for (int c : counts) {
            total += c;
        }
        long[] all = new long[total];
        int n = 0;
        for (int w = 0; w < writers; w++) {
            System.arraycopy(samples.get(w), 0, all, n, counts[w]);
            n += counts[w];
        }
        return new Result(new Stats(all, n), accepted.get(), failed.get(), seconds);
    }
}
