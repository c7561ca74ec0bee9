package io.stenographer.bench.log;

import io.stenographer.bench.CommandLine;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Issue 14's tenants measurement: the time to integrate of 1,000 tenants that each send 2 events/s, against one
 * tenant that sends 2,000 events/s, in the same run, alternating, each for {@code --seconds}.
 *
 * <p>The load is open loop: every 10 ms a batch of the events due in that slot is released whatever the service
 * answers. In the fleet phase a batch carries events of many tenants (one token names all of them): what is measured
 * is how the sequencer shares its rounds, not 2,000 HTTP connections. The time to integrate of an event is read
 * from the database afterwards: the {@code published_at} of the first checkpoint of its tenant that covers its leaf,
 * minus its {@code received_at} (both stamped by the service; a checkpoint commits a few ms after it is stamped).
 */
public final class TenantsBenchmark {

    private static final long SLOT_NANOS = 10_000_000L;

    private final Service service;
    private final Connection db;
    private final int tenants;
    private final double perTenantRate;
    private final double soloRate;
    private final int seconds;
    private final AtomicLong failedRequests = new AtomicLong();

    private TenantsBenchmark(Service service, Connection db, int tenants, double perTenantRate, double soloRate,
            int seconds) {
        this.service = service;
        this.db = db;
        this.tenants = tenants;
        this.perTenantRate = perTenantRate;
        this.soloRate = soloRate;
        this.seconds = seconds;
    }

    public static void main(String[] args) throws Exception {
        CommandLine line = CommandLine.parse(args);
        String baseUrl = line.take("base-url", "http://127.0.0.1:18090");
        String jdbcUrl = line.take("jdbc-url", "jdbc:postgresql://127.0.0.1:54349/stenographer");
        String jdbcUser = line.take("jdbc-user", "stenographer_owner");
        String command = line.take("command", "bench/run-tenants.sh");
        int tenants = line.positive("tenants", 1_000);
        int perTenant = line.positive("per-tenant-rate", 2);
        int solo = line.positive("solo-rate", 2_000);
        int seconds = line.positive("seconds", 30);
        int rounds = line.positive("rounds", 3);
        line.requireAllTaken();
        try (Connection db = DriverManager.getConnection(jdbcUrl, jdbcUser, "")) {
            TenantsBenchmark bench = new TenantsBenchmark(new Service(baseUrl), db, tenants, perTenant, solo, seconds);
            System.out.print(bench.run(rounds, command));
        }
    }

    private String run(int rounds, String command) throws Exception {
        List<String> fleet = new ArrayList<>();
        for (int t = 0; t < tenants; t++) {
            fleet.add(String.format(Locale.ROOT, "t%04d", t));
        }
        List<Result> soloResults = new ArrayList<>();
        List<Result> fleetResults = new ArrayList<>();
        service.token("fleet-writer");
        service.token("globex-writer");
        for (int round = 1; round <= rounds; round++) {
            LogBenchmark.log(String.format(Locale.ROOT, "round %d/%d: one tenant at %,.0f events/s for %d s",
                    round, rounds, soloRate, seconds));
            soloResults.add(phase(List.of("globex"), soloRate, "globex-writer", "solo" + round));
            LogBenchmark.log("  " + soloResults.get(soloResults.size() - 1).summary());
            LogBenchmark.log(String.format(Locale.ROOT, "round %d/%d: %,d tenants at %.0f events/s each for %d s",
                    round, rounds, tenants, perTenantRate, seconds));
            fleetResults.add(phase(fleet, perTenantRate, "fleet-writer", "fleet" + round));
            LogBenchmark.log("  " + fleetResults.get(fleetResults.size() - 1).summary());
        }
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%nTenants: %,d tenants x %.0f events/s against 1 tenant x %,.0f "
                + "events/s, %d s each, %d rounds, time to integrate (received -> first checkpoint covering it)%n",
                tenants, perTenantRate, soloRate, seconds, rounds));
        for (int r = 0; r < rounds; r++) {
            Result solo = soloResults.get(r);
            Result many = fleetResults.get(r);
            out.append(String.format(Locale.ROOT, "   round %d: single tenant %s%n", r + 1, solo.summary()));
            out.append(String.format(Locale.ROOT, "            fleet         %s%n", many.summary()));
            out.append(String.format(Locale.ROOT, "            worst tenant p99 / single-tenant p99 = %.2f; tenants"
                    + " above 1.2x: %,d of %,d (target: none)%n", many.worstTenantP99() / solo.p99(),
                    many.tenantsAbove(1.2 * solo.p99()), many.tenantsMeasured()));
        }
        double[] soloP99 = soloResults.stream().mapToDouble(Result::p99).sorted().toArray();
        double[] fleetP99 = fleetResults.stream().mapToDouble(Result::p99).sorted().toArray();
        double[] ratio = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            ratio[r] = fleetResults.get(r).worstTenantP99() / soloResults.get(r).p99();
        }
        java.util.Arrays.sort(ratio);
        out.append(String.format(Locale.ROOT, "   median [min-max] across rounds: single-tenant p99 %s [%s-%s] ms; fleet p99"
                + " %s [%s-%s] ms; worst tenant p99 / single-tenant p99 %.2f [%.2f-%.2f] (target <= 1.2)%n",
                Stats.ms(soloP99[rounds / 2]), Stats.ms(soloP99[0]), Stats.ms(soloP99[rounds - 1]),
                Stats.ms(fleetP99[rounds / 2]), Stats.ms(fleetP99[0]), Stats.ms(fleetP99[rounds - 1]),
                ratio[rounds / 2], ratio[0], ratio[rounds - 1]));
        out.append("   failed requests: ").append(failedRequests.get()).append('\n');
        out.append("   reproduce: ").append(command).append('\n');
        return out.toString();
    }

    /** Open-loop load over {@code names} at {@code rate} events/s each, then the time to integrate of each event. */
    private Result phase(List<String> names, double ratePerTenant, String user, String prefix) throws Exception {
        double total = ratePerTenant * names.size();
        long slots = seconds * 1_000_000_000L / SLOT_NANOS;
        ExecutorService senders = Executors.newFixedThreadPool(32);
        List<Future<?>> sent = new ArrayList<>();
        Instant from = Instant.now();
        long start = System.nanoTime();
        double due = 0;
        long next = 0;
        for (long slot = 0; slot < slots; slot++) {
            due += total * SLOT_NANOS / 1e9;
            int count = (int) (due - next);
            if (count > 0) {
                StringBuilder body = new StringBuilder(count * 560 + 16).append("{\"events\":[");
                Instant now = Instant.now();
                for (int i = 0; i < count; i++) {
                    // Tenants in turn, so each one's events are evenly spaced.
                    String tenant = names.get((int) ((next + i) % names.size()));
                    body.append(i == 0 ? "" : ",").append(Events.eventJson(tenant, prefix, (int) (next + i), now));
                }
                body.append("]}");
                next += count;
                byte[] json = body.toString().getBytes(StandardCharsets.UTF_8);
                sent.add(senders.submit(() -> {
                    HttpResponse<String> response = service.post("/api/v1/events/batch", user,
                            Duration.ofSeconds(60), json);
                    if (response.statusCode() >= 300) {
                        failedRequests.incrementAndGet();
                    }
                }));
            }
            LockSupport.parkNanos(start + (slot + 1) * SLOT_NANOS - System.nanoTime());
        }
        for (Future<?> f : sent) {
            f.get();
        }
        senders.shutdown();
        Instant to = Instant.now();
        waitUntilIntegrated(names);
        return measure(names, from, to);
    }

    private void waitUntilIntegrated(List<String> names) throws SQLException {
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        while (System.nanoTime() < deadline) {
            try (PreparedStatement ps = db.prepareStatement(
                    "SELECT count(*) FROM integration_queue WHERE tenant = ANY (?)")) {
                ps.setArray(1, db.createArrayOf("text", names.toArray()));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (rs.getLong(1) == 0) {
                        return;
                    }
                }
            }
            Service.sleep(100);
        }
        throw new IllegalStateException("events still queued after 10 minutes");
    }

    private Result measure(List<String> names, Instant from, Instant to) throws SQLException {
        Map<String, List<Long>> byTenant = new HashMap<>();
        try (PreparedStatement ps = db.prepareStatement("""
                SELECT l.tenant, (extract(epoch FROM c.published_at - e.received_at) * 1e6)::bigint
                FROM audit_event e
                JOIN log_leaf l ON l.event_id = e.id
                CROSS JOIN LATERAL (SELECT published_at FROM log_checkpoint c
                                    WHERE c.tenant = l.tenant AND c.tree_size > l.leaf_index
                                    ORDER BY c.tree_size LIMIT 1) c
                WHERE e.tenant = ANY (?) AND e.received_at >= ? AND e.received_at < ?""")) {
            ps.setArray(1, db.createArrayOf("text", names.toArray()));
            ps.setTimestamp(2, Timestamp.from(from));
            ps.setTimestamp(3, Timestamp.from(to));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    byTenant.computeIfAbsent(rs.getString(1), t -> new ArrayList<>()).add(rs.getLong(2));
                }
            }
        }
        return new Result(byTenant, names.size());
    }

    /** Time to integrate in microseconds, per tenant. */
    record Result(Map<String, List<Long>> byTenant, int tenantsSent) {

        long events() {
            return byTenant.values().stream().mapToLong(List::size).sum();
        }

        double p99() {
            return percentile(byTenant.values().stream().flatMap(List::stream).mapToLong(Long::longValue).toArray(),
                    99);
        }

        double p50() {
            return percentile(byTenant.values().stream().flatMap(List::stream).mapToLong(Long::longValue).toArray(),
                    50);
        }

        int tenantsMeasured() {
            return byTenant.size();
        }

        double worstTenantP99() {
            return byTenant.values().stream().mapToDouble(v -> percentile(toArray(v), 99)).max().orElse(Double.NaN);
        }

        double medianTenantP99() {
            double[] p99s = byTenant.values().stream().mapToDouble(v -> percentile(toArray(v), 99)).sorted().toArray();
            return p99s.length == 0 ? Double.NaN : p99s[p99s.length / 2];
        }

        long tenantsAbove(double ms) {
            return byTenant.values().stream().filter(v -> percentile(toArray(v), 99) > ms).count();
        }

        String summary() {
            return String.format(Locale.ROOT, "%,d events of %,d tenants (of %,d sent to): p50 %s / p99 %s ms;"
                    + " per-tenant p99 median %s / worst %s ms", events(), tenantsMeasured(), tenantsSent,
                    Stats.ms(p50()), Stats.ms(p99()), Stats.ms(medianTenantP99()), Stats.ms(worstTenantP99()));
        }

        private static long[] toArray(List<Long> values) {
            return values.stream().mapToLong(Long::longValue).toArray();
        }

        /** Nearest rank, in ms. */
        private static double percentile(long[] micros, double p) {
            if (micros.length == 0) {
                return Double.NaN;
            }
            long[] sorted = Arrays.copyOf(micros, micros.length);
            Arrays.sort(sorted);
            int rank = (int) Math.ceil(p / 100.0 * sorted.length);
            return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))] / 1e3;
        }
    }
}
