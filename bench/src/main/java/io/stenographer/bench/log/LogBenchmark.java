package io.stenographer.bench.log;

import io.stenographer.bench.MachineLoad;
import io.stenographer.domain.event.TenantId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/**
 * Benchmark of the log engine by issue 13's method, against a running packaged service; see bench/run-log.sh.
 *
 * <ol>
 *   <li>time to integrate under OPEN-LOOP load: the maximum sustainable ingest rate is searched, then p50/p90/p99 at
 *       50% and 80% of it over {@code --rounds} rounds (baseline: sparse single events, idle service);
 *       {@link IntegrationPhase};</li>
 *   <li>for each of {@code --proof-sizes} (default 1M and 10M leaves), bulk load up to that size, then inclusion
 *       and consistency proof latency beside an authenticated request refused before any work
 *       ({@link ProofPhase}), and full verification beside the read floor (COPY) and the hash floor (SHA-256 on all
 *       cores) ({@link VerifyPhase}).</li>
 * </ol>
 * Every loop is bounded (by count or by deadline); everything runs over loopback. Each section prints its figure,
 * its baseline from the same run, the ratio, median and spread across rounds, and the command that reproduces it.
 */
public final class LogBenchmark {

    private LogBenchmark() {
    }

    /** A proof size: the bulk load that reached it, and what was measured there. */
    private record AtSize(long treeSize, MillionLoader.Result load, long backlogAtCopyEnd, double integrateSeconds,
            double[] sequencer, ProofPhase.Result proofs, VerifyPhase.Result verify) {
    }

    public static void main(String[] args) throws Exception {
        LogOptions options = LogOptions.parse(args);
        Service service = new Service(options.baseUrl());
        String started = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        String loadBefore = loadAverage();
        StringBuilder out = new StringBuilder();
        out.append('\n').append("Stenographer log engine benchmark (issue 13's method)\n");
        out.append("started ").append(started).append(", ").append(Runtime.getRuntime().availableProcessors())
                .append(" cores (").append(MachineLoad.cpuModel()).append("), Java ").append(System.getProperty("java.version"))
                .append('\n');
        out.append("reproduce: ").append(options.command()).append("\n\n");
        try (Connection db = DriverManager.getConnection(options.jdbcUrl(), options.jdbcUser(), "")) {
            db.setAutoCommit(true);

            log("== 1. time to integrate (open loop) ==");
            IntegrationPhase.Result ingest = new IntegrationPhase(options, service, db).run();
            out.append(IntegrationPhase.report(options, ingest));
            out.append("   reproduce: ").append(options.command()).append("\n\n");
            System.out.print(out);
            System.out.flush();
            out.setLength(0);

            if (!options.ratesOnly()) {
                TenantId tenant = new TenantId(options.proofTenant());
                byte[][] sample = null;
                int loaded = 0;
                int number = 2;
                for (long size : options.proofSizes()) {
                    // The previous verification's own audit event may still be on its way into this log.
                    for (int i = 0; i < 600 && queueDepth(db, options.proofTenant()) > 0; i++) {
                        Service.sleep(100);
                    }
                    Service.sleep(500);
                    long sizeBefore = service.checkpointSize(options.proofTenant());
                    int events = (int) Math.max(0, size - sizeBefore);
                    log("== " + number + ". bulk load " + events + " events into '" + options.proofTenant()
                            + "' (to tree size " + size + ") ==");
                    long loadStarted = System.nanoTime();
                    Instant loadFrom = Instant.now();
                    MillionLoader.Result load = new MillionLoader(db).load(tenant, loaded, events, options.copyChunk(),
                            sample == null ? options.hashSample() : 0);
                    loaded += events;
                    if (sample == null) {
                        sample = load.leafInputs();
                    }
                    long backlogAtCopyEnd = queueDepth(db, options.proofTenant());
                    log(String.format("COPY done in %.1f s (%,.0f events/s); %,d still queued; waiting for the sequencer",
                            load.seconds(), load.events() / load.seconds(), backlogAtCopyEnd));
                    long target = sizeBefore + events;
                    long reached = sizeBefore;
                    long deadline = System.nanoTime() + options.integrateTimeoutSeconds() * 1_000_000_000L;
                    while (reached < target && System.nanoTime() < deadline) {
                        Service.sleep(250);
                        reached = service.checkpointSize(options.proofTenant());
                    }
                    double integrateSeconds = (System.nanoTime() - loadStarted) / 1e9;
                    if (reached < target) {
                        throw new IllegalStateException("tree size " + reached + " < " + target + " after "
                                + options.integrateTimeoutSeconds() + " s");
                    }
                    double[] sequencer = sequencerRate(db, options.proofTenant(), loadFrom);
                    log(String.format("tree size %,d after %.1f s", reached, integrateSeconds));
                    settle(db);

                    ProofPhase.Result proofs = new ProofPhase(options, service, db).run();
                    log("== full verification at " + reached + " ==");
                    VerifyPhase.Result verify = new VerifyPhase(options, service, db).run(sample);
                    out.append(report(options, number, new AtSize(reached, load, backlogAtCopyEnd, integrateSeconds,
                            sequencer, proofs, verify)));
                    System.out.print(out);
                    System.out.flush();
                    out.setLength(0);
                    number++;
                }
            }
            out.append("load average before: ").append(loadBefore).append("; after: ").append(loadAverage())
                    .append('\n');
            System.out.print(out);
            System.out.flush();
        }
    }

    private static String report(LogOptions o, int number, AtSize s) {
        StringBuilder out = new StringBuilder();
        MillionLoader.Result load = s.load();
        out.append(String.format(Locale.ROOT, "%d. Proofs and verification at tree size %,d, tenant %s%n", number,
                s.treeSize(), o.proofTenant()));
        out.append(String.format(Locale.ROOT, "   bulk load of %,d events: generate + COPY %.1f s = %s events/s (%.0f MB of "
                        + "leaf inputs); %,d queued when COPY ended; tree covered them %.1f s after the load began = %s "
                        + "events/s end to end; sequencer alone %s events/s (%.0f leaves per checkpoint, %s ms apart)%n",
                load.events(), load.seconds(), Stats.rate(load.events() / load.seconds()), load.leafInputBytes() / 1e6,
                s.backlogAtCopyEnd(), s.integrateSeconds(), Stats.rate(load.events() / s.integrateSeconds()),
                Stats.rate(s.sequencer()[0]), s.sequencer()[1], Stats.ms(s.sequencer()[2])));
        out.append(ProofPhase.report(o, s.proofs()));
        out.append(VerifyPhase.report(o, s.verify()));
        out.append("   reproduce: ").append(o.command()).append("\n\n");
        return out.toString();
    }

    /** [leaves/s between the first and last checkpoint since {@code from}, leaves per checkpoint, mean gap ms]. */
    /**
     * VACUUM (ANALYZE) of the tables just loaded, before anything is measured: otherwise autovacuum, which a bulk
     * load of millions of rows triggers, runs at a moment of its choosing and its CPU lands in one measurement.
     */
    private static void settle(Connection db) throws SQLException {
        long started = System.nanoTime();
        boolean autoCommit = db.getAutoCommit();
        db.setAutoCommit(true);
        try (var statement = db.createStatement()) {
            statement.execute("VACUUM (ANALYZE) audit_event, log_leaf, merkle_subtree, log_checkpoint");
        } finally {
            db.setAutoCommit(autoCommit);
        }
        log(String.format("VACUUM (ANALYZE) of the loaded tables in %.1f s, so autovacuum does not run inside the"
                + " measurements", (System.nanoTime() - started) / 1e9));
    }

    private static double[] sequencerRate(Connection db, String tenant, Instant from) throws SQLException {
        try (PreparedStatement statement = db.prepareStatement("""
                SELECT max(tree_size) - min(tree_size), extract(epoch FROM max(published_at) - min(published_at)),
                       count(*)
                FROM log_checkpoint WHERE tenant = ? AND published_at >= ?""")) {
            statement.setString(1, tenant);
            statement.setTimestamp(2, Timestamp.from(from));
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                long leaves = rs.getLong(1);
                double seconds = rs.getDouble(2);
                long checkpoints = rs.getLong(3);
                return new double[] {seconds > 0 ? leaves / seconds : Double.NaN,
                        checkpoints > 1 ? (double) leaves / (checkpoints - 1) : Double.NaN,
                        checkpoints > 1 ? seconds * 1000 / (checkpoints - 1) : Double.NaN};
            }
        }
    }

    /** Events of the tenant waiting for the sequencer. */
    static long queueDepth(Connection db, String tenant) throws SQLException {
        try (PreparedStatement statement = db.prepareStatement(
                "SELECT count(*) FROM integration_queue WHERE tenant = ?")) {
            statement.setString(1, tenant);
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException e) {
            return "n/a";
        }
    }

    public static void log(String message) {
        System.err.println("[log-bench " + LocalTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS) + "] "
                + message);
    }
}
