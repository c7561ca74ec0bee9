package io.stenographer.bench.log;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Measurement 1: time to integrate (accepted -> covered by a signed checkpoint), computed afterwards
 * in the database from audit_event.received_at, log_leaf.leaf_index and log_checkpoint.published_at.
 * Baseline in the same run: the same figure for sparse single events on an idle service.
 */
final class IngestPhase {

    private static final Pattern CREATED = Pattern.compile("\"created\"\\s*:\\s*(\\d+)");
    private static final int BODIES_PER_WRITER = 8;

    /** Percentiles of (checkpoint published_at - received_at) over a window, in ms. */
    record Integration(long events, long notIntegrated, double p50, double p90, double p99, double max) {
    }

    record Result(Integration idle, Integration loaded, Stats idlePost, Stats batchPost, long accepted,
            double seconds, long failedRequests, long maxQueueDepth, Stats idleCheckpointInterval,
            Stats checkpointInterval, double meanLeavesPerCheckpoint) {

        double ingestRate() {
            return accepted / seconds;
        }
    }

    private final LogOptions options;
    private final Service service;
    private final Connection db;

    IngestPhase(LogOptions options, Service service, Connection db) {
        this.options = options;
        this.service = service;
        this.db = db;
    }

    Result run() throws Exception {
        String tenant = options.ingestTenant();
        Instant occurredAt = Instant.now().minus(1, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.MILLIS);

        // Baseline: single events on an otherwise idle service, 100-600 ms apart.
        // Warm-up outside the measured window: the first requests fetch the OIDC keys and compile code.
        for (int i = 0; i < 5; i++) {
            service.post("/api/v1/events", "writer", Duration.ofSeconds(30),
                    Events.eventJson(tenant, "warm", i, occurredAt).getBytes(StandardCharsets.UTF_8));
        }
        waitForQueue(tenant, 60);
        Service.sleep(1_000);
        log("idle baseline: " + options.idleEvents() + " single events, 100-600 ms apart");
        Instant idleFrom = Instant.now().minusMillis(5);
        long[] idleNanos = new long[options.idleEvents()];
        for (int i = 0; i < options.idleEvents(); i++) {
            byte[] body = Events.eventJson(tenant, "idle", i, occurredAt).getBytes(StandardCharsets.UTF_8);
            long t0 = System.nanoTime();
            HttpResponse<String> response = service.post("/api/v1/events", "writer", Duration.ofSeconds(30), body);
            idleNanos[i] = System.nanoTime() - t0;
            if (response.statusCode() != 201) {
                throw new IllegalStateException("single event: HTTP " + response.statusCode() + " "
                        + Service.abbreviate(response.body()));
            }
            Service.sleep(100 + ThreadLocalRandom.current().nextLong(500));
        }
        Instant idleTo = Instant.now().plusMillis(5);
        waitForQueue(tenant, 120);

        // Sustained batch ingest: W writers, each posting pre-built batches back to back.
        List<List<byte[]>> bodies = new ArrayList<>();
        for (int w = 0; w < options.writers(); w++) {
            List<byte[]> mine = new ArrayList<>();
            for (int b = 0; b < BODIES_PER_WRITER; b++) {
                mine.add(batchJson(tenant, "w" + w + "b" + b, options.batchSize(), occurredAt));
            }
            bodies.add(mine);
        }
        service.token("writer");
        log("sustained ingest: " + options.writers() + " writers x " + options.batchSize()
                + "-event batches for " + options.ingestSeconds() + " s to tenant " + tenant);
        AtomicLong accepted = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        int maxBatchesPerWriter = options.ingestSeconds() * 200;
        long[][] latencies = new long[options.writers()][maxBatchesPerWriter];
        int[] counts = new int[options.writers()];
        Instant loadFrom = Instant.now().minusMillis(5);
        long started = System.nanoTime();
        long deadline = started + Duration.ofSeconds(options.ingestSeconds()).toNanos();
        List<Thread> writers = new ArrayList<>();
        for (int w = 0; w < options.writers(); w++) {
            int writer = w;
            Thread thread = new Thread(() -> {
                List<byte[]> mine = bodies.get(writer);
                for (int n = 0; n < maxBatchesPerWriter && System.nanoTime() < deadline; n++) {
                    long t0 = System.nanoTime();
                    HttpResponse<String> response = service.post("/api/v1/events/batch", "writer",
                            Duration.ofSeconds(60), mine.get(n % mine.size()));
                    latencies[writer][counts[writer]++] = System.nanoTime() - t0;
                    Matcher created = CREATED.matcher(response.body());
                    if (response.statusCode() == 200 && created.find()) {
                        accepted.addAndGet(Long.parseLong(created.group(1)));
                    } else {
                        failed.incrementAndGet();
                        System.err.println("batch: HTTP " + response.statusCode() + " "
                                + Service.abbreviate(response.body()));
                    }
                }
            }, "writer-" + w);
            writers.add(thread);
            thread.start();
        }
        // Queue depth while the writers run (own connection, so the sampler never blocks the writers).
        long maxQueue = 0;
        while (writers.stream().anyMatch(Thread::isAlive) && System.nanoTime() < deadline + 120_000_000_000L) {
            maxQueue = Math.max(maxQueue, queueDepth(tenant));
            Service.sleep(500);
        }
        for (Thread thread : writers) {
            thread.join();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        Instant loadTo = Instant.now().plusMillis(5);
        log(String.format("accepted %,d events in %.1f s; waiting for the queue to drain", accepted.get(), seconds));
        waitForQueue(tenant, 300);

        long[] all = new long[options.writers() * maxBatchesPerWriter];
        int n = 0;
        for (int w = 0; w < options.writers(); w++) {
            System.arraycopy(latencies[w], 0, all, n, counts[w]);
            n += counts[w];
        }
        double[] interval = new double[1];
        Stats idleInterval = checkpointIntervals(tenant, idleFrom, idleTo.plusSeconds(2), new double[1]);
        Stats checkpointInterval = checkpointIntervals(tenant, loadFrom, loadTo.plusSeconds(30), interval);
        return new Result(integration(tenant, idleFrom, idleTo), integration(tenant, loadFrom, loadTo),
                new Stats(idleNanos, idleNanos.length), new Stats(all, n), accepted.get(), seconds, failed.get(),
                maxQueue, idleInterval, checkpointInterval, interval[0]);
    }

    private Integration integration(String tenant, Instant from, Instant to) throws SQLException {
        String sql = """
                SELECT count(*) FILTER (WHERE ms IS NOT NULL), count(*) FILTER (WHERE ms IS NULL),
                       percentile_cont(0.50) WITHIN GROUP (ORDER BY ms),
                       percentile_cont(0.90) WITHIN GROUP (ORDER BY ms),
                       percentile_cont(0.99) WITHIN GROUP (ORDER BY ms),
                       max(ms)
                FROM (
                    SELECT extract(epoch FROM (c.published_at - e.received_at)) * 1000 AS ms
                    FROM audit_event e
                    LEFT JOIN log_leaf l ON l.event_id = e.id
                    LEFT JOIN LATERAL (
                        SELECT published_at FROM log_checkpoint c
                        WHERE c.tenant = e.tenant AND c.tree_size > l.leaf_index
                        ORDER BY c.tree_size LIMIT 1) c ON true
                    WHERE e.tenant = ? AND e.received_at >= ? AND e.received_at < ?
                ) t""";
        try (PreparedStatement statement = db.prepareStatement(sql)) {
            statement.setString(1, tenant);
            statement.setTimestamp(2, Timestamp.from(from));
            statement.setTimestamp(3, Timestamp.from(to));
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return new Integration(rs.getLong(1), rs.getLong(2), rs.getDouble(3), rs.getDouble(4),
                        rs.getDouble(5), rs.getDouble(6));
            }
        }
    }

    private Stats checkpointIntervals(String tenant, Instant from, Instant to, double[] meanLeaves)
            throws SQLException {
        String sql = """
                SELECT extract(epoch FROM published_at - lag(published_at) OVER w) * 1e9,
                       tree_size - lag(tree_size) OVER w
                FROM log_checkpoint WHERE tenant = ? AND published_at >= ? AND published_at < ?
                WINDOW w AS (ORDER BY tree_size)""";
        List<Long> nanos = new ArrayList<>();
        long leaves = 0;
        try (PreparedStatement statement = db.prepareStatement(sql)) {
            statement.setString(1, tenant);
            statement.setTimestamp(2, Timestamp.from(from));
            statement.setTimestamp(3, Timestamp.from(to));
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    double gap = rs.getDouble(1);
                    if (!rs.wasNull()) {
                        nanos.add((long) gap);
                        leaves += rs.getLong(2);
                    }
                }
            }
        }
        meanLeaves[0] = nanos.isEmpty() ? 0 : (double) leaves / nanos.size();
        return new Stats(nanos.stream().mapToLong(Long::longValue).toArray(), nanos.size());
    }

    private long queueDepth(String tenant) throws SQLException {
        return LogBenchmark.queueDepth(db, tenant);
    }

    private void waitForQueue(String tenant, int seconds) throws SQLException {
        for (int i = 0; i < seconds * 4; i++) {
            if (queueDepth(tenant) == 0) {
                return;
            }
            Service.sleep(250);
        }
        throw new IllegalStateException("integration queue of " + tenant + " not empty after " + seconds + " s");
    }

    private static byte[] batchJson(String tenant, String prefix, int size, Instant occurredAt) {
        StringBuilder b = new StringBuilder(size * 560 + 16).append("{\"events\":[");
        for (int i = 0; i < size; i++) {
            if (i > 0) {
                b.append(',');
            }
            b.append(Events.eventJson(tenant, prefix, i, occurredAt));
        }
        return b.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void log(String message) {
        LogBenchmark.log(message);
    }
}
