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
 * Benchmark of the tamper-evident log (issue 3) against a running service; see bench/run-log.sh.
 *
 * <ol>
 *   <li>time to integrate under sustained batch ingest (baseline: sparse single events, idle service);</li>
 *   <li>inclusion and consistency proof latency at N (default 1,000,000) events (baseline: /q/health/live);</li>
 *   <li>full verification throughput over the same log (baseline: raw SHA-256 of the leaf inputs).</li>
 * </ol>
 * Every loop is bounded (by count or by deadline); everything runs over loopback.
 */
public final class LogBenchmark {

    private LogBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        LogOptions options = LogOptions.parse(args);
        Service service = new Service(options.baseUrl());
        String started = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        String loadBefore = loadAverage();
        try (Connection db = DriverManager.getConnection(options.jdbcUrl(), options.jdbcUser(), "")) {
            db.setAutoCommit(true);

            log("== 1. time to integrate ==");
            IngestPhase.Result ingest = new IngestPhase(options, service, db).run();

            log("== 2. bulk load " + options.events() + " events into '" + options.proofTenant() + "' ==");
            long sizeBefore = service.checkpointSize(options.proofTenant());
            long loadStarted = System.nanoTime();
            Instant loadFrom = Instant.now();
            MillionLoader.Result load = new MillionLoader(db)
                    .load(new TenantId(options.proofTenant()), options.events(), options.copyChunk());
            long backlogAtCopyEnd = queueDepth(db, options.proofTenant());
            log(String.format("COPY done in %.1f s (%,.0f events/s); %,d still queued; waiting for the sequencer",
                    load.seconds(), load.events() / load.seconds(), backlogAtCopyEnd));
            long target = sizeBefore + options.events();
            long size = sizeBefore;
            long deadline = System.nanoTime() + options.integrateTimeoutSeconds() * 1_000_000_000L;
            while (size < target && System.nanoTime() < deadline) {
                Service.sleep(250);
                size = service.checkpointSize(options.proofTenant());
            }
            double integrateSeconds = (System.nanoTime() - loadStarted) / 1e9;
            if (size < target) {
                throw new IllegalStateException("tree size " + size + " < " + target + " after "
                        + options.integrateTimeoutSeconds() + " s");
            }
            double[] sequencer = sequencerRate(db, options.proofTenant(), loadFrom);
            log(String.format("tree size %,d after %.1f s", size, integrateSeconds));

            ProofPhase.Result proofs = new ProofPhase(options, service, db).run();

            log("== 3. full verification ==");
            VerifyPhase.Result verify = new VerifyPhase(options, service, db).run(load.leafInputs());

            report(options, started, loadBefore, ingest, load, backlogAtCopyEnd, integrateSeconds, sequencer, proofs,
                    verify);
        }
    }

    private static void report(LogOptions o, String started, String loadBefore, IngestPhase.Result in,
            MillionLoader.Result load, long backlog, double integrateSeconds, double[] sequencer,
            ProofPhase.Result p, VerifyPhase.Result v) {
        StringBuilder out = new StringBuilder();
        out.append('\n').append("Stenographer tamper-evident log benchmark (issue 3)\n");
        out.append("started ").append(started).append(", ").append(Runtime.getRuntime().availableProcessors())
                .append(" cores (").append(MachineLoad.cpuModel()).append("), Java ").append(System.getProperty("java.version"))
                .append('\n');
        out.append("load average before: ").append(loadBefore).append("; after: ").append(loadAverage()).append('\n');
        out.append("reproduce: ").append(o.command()).append("\n\n");

        out.append(String.format(Locale.ROOT, "1. Time to integrate, tenant %s (accepted -> first signed checkpoint "
                + "covering it; published_at - received_at, SQL percentile_cont)%n", o.ingestTenant()));
        out.append(String.format(Locale.ROOT, "   %-44s %9s %9s %9s %9s %10s%n", "", "p50 ms", "p90 ms", "p99 ms",
                "max ms", "events"));
        row(out, "baseline: single events, idle service", in.idle());
        row(out, String.format(Locale.ROOT, "sustained: %d writers x %d-event batches", o.writers(), o.batchSize()),
                in.loaded());
        out.append(String.format(Locale.ROOT, "   sustained ingest rate: %s events/s (%,d accepted in %.1f s, %d failed "
                        + "requests); integration queue peak %,d%n", Stats.rate(in.ingestRate()), in.accepted(),
                in.seconds(), in.failedRequests(), in.maxQueueDepth()));
        out.append(String.format(Locale.ROOT, "   batch POST round trip p50 %s / p99 %s ms; single POST (idle) p50 %s / "
                        + "p99 %s ms%n", Stats.ms(in.batchPost().percentileMs(50)),
                Stats.ms(in.batchPost().percentileMs(99)), Stats.ms(in.idlePost().percentileMs(50)),
                Stats.ms(in.idlePost().percentileMs(99))));
        out.append(String.format(Locale.ROOT, "   interval between checkpoints (configured sequencer period 250 ms): "
                        + "idle p50 %s / max %s ms; under load p50 %s / p99 %s / max %s ms, %.0f leaves per checkpoint%n",
                Stats.ms(in.idleCheckpointInterval().percentileMs(50)), Stats.ms(in.idleCheckpointInterval().maxMs()),
                Stats.ms(in.checkpointInterval().percentileMs(50)), Stats.ms(in.checkpointInterval().percentileMs(99)),
                Stats.ms(in.checkpointInterval().maxMs()), in.meanLeavesPerCheckpoint()));
        out.append(String.format(Locale.ROOT, "   events still not covered by a checkpoint after the queue drained: "
                + "%d idle, %d sustained%n", in.idle().notIntegrated(), in.loaded().notIntegrated()));
        out.append(String.format(Locale.ROOT, "   target p99 <= 1000 ms: %s%n%n",
                in.loaded().p99() <= 1000 ? "met" : "MISSED"));

        out.append(String.format(Locale.ROOT, "2. Bulk load and integration, tenant %s: %,d events%n", o.proofTenant(),
                load.events()));
        out.append(String.format(Locale.ROOT, "   generate + COPY: %.1f s = %s events/s (generation alone %.1f s, "
                        + "overlapped); %,d queued when COPY ended%n", load.seconds(),
                Stats.rate(load.events() / load.seconds()), load.generateSeconds(), backlog));
        out.append(String.format(Locale.ROOT, "   integrated (checkpoint >= N) %.1f s after the load began = %s "
                        + "events/s end to end; sequencer alone %s events/s (%.0f leaves per checkpoint, %s ms "
                        + "between checkpoints)%n%n", integrateSeconds, Stats.rate(load.events() / integrateSeconds),
                Stats.rate(sequencer[0]), sequencer[1], Stats.ms(sequencer[2])));

        out.append(String.format(Locale.ROOT, "   Proof latency at tree size %,d, %d sequential requests each after "
                        + "%d warm-up, loopback HTTP/1.1 keep-alive%n", p.treeSize(), o.proofs(), o.warmup()));
        out.append(String.format(Locale.ROOT, "   %-44s %9s %9s %9s %9s %9s%n", "", "p50 ms", "p90 ms", "p99 ms",
                "max ms", "mean ms"));
        row(out, "baseline: GET /q/health/live", p.health());
        row(out, "ref.: GET .../checkpoint (public, 1 query)", p.checkpoint());
        row(out, String.format(Locale.ROOT, "inclusion (random index, %.1f hashes)", p.meanInclusionPath()),
                p.inclusion());
        row(out, String.format(Locale.ROOT, "consistency (random of %d sizes, %.1f h.)", p.publishedSizes(),
                p.meanConsistencyPath()), p.consistency());
        out.append(String.format(Locale.ROOT, "   requests > 20 ms, total [per tenth of the sequence]: %s%n", p.slow()));
        out.append(String.format(Locale.ROOT, "   verified client-side: %d/%d inclusion, %d/%d consistency; failures "
                        + "%d; target p99 <= 5 ms: %s%n%n", p.inclusionVerified(), o.proofs(), p.consistencyVerified(),
                o.proofs(), p.failures(),
                Math.max(p.inclusion().percentileMs(99), p.consistency().percentileMs(99)) <= 5 ? "met" : "MISSED"));

        out.append(String.format(Locale.ROOT, "3. Full verification, tenant %s%n", o.proofTenant()));
        out.append(String.format(Locale.ROOT, "   baseline: raw SHA-256(0x00||leaf input), 1 thread: %,d events "
                        + "(%.0f MB) in %.2f s = %s events/s%n", v.rawEvents(), v.rawBytes() / 1e6, v.rawSeconds(),
                Stats.rate(v.rawRate())));
        out.append(String.format(Locale.ROOT, "   baseline: JDBC read of the same leaves joined to their events "
                        + "(chunks of %,d, no hashing): %,d rows in %.2f s = %s rows/s%n", VerifyPhase.READ_CHUNK,
                v.readRows(), v.readSeconds(), Stats.rate(v.readRate())));
        if (v.problem() != null) {
            out.append(String.format(Locale.ROOT, "   POST verifications: HTTP %d after %.1f s: %s%n", v.status(),
                    v.seconds(), v.problem()));
        } else {
            out.append(String.format(Locale.ROOT, "   POST verifications: ok=%s, tree %,d, %,d events checked, %d "
                            + "checkpoints, %d findings, %.1f s = %s events/s%n", v.ok(), v.treeSize(),
                    v.eventsChecked(), v.checkpoints(), v.findings(), v.seconds(), Stats.rate(v.rate())));
            double ratio = v.rate() / v.rawRate();
            out.append(String.format(Locale.ROOT, "   ratio to raw SHA-256: %.1f%% (target >= 50%%: %s); to the "
                    + "JDBC read: %.0f%%%n", 100 * ratio, ratio >= 0.5 ? "met" : "MISSED", 100 * v.rate() / v.readRate()));
        }
        System.out.print(out);
        System.out.flush();
    }

    private static void row(StringBuilder out, String label, IngestPhase.Integration i) {
        out.append(String.format(Locale.ROOT, "   %-44s %9s %9s %9s %9s %,10d%n", label, Stats.ms(i.p50()),
                Stats.ms(i.p90()), Stats.ms(i.p99()), Stats.ms(i.max()), i.events()));
    }

    private static void row(StringBuilder out, String label, Stats s) {
        out.append(String.format(Locale.ROOT, "   %-44s %9s %9s %9s %9s %9s%n", label, Stats.ms(s.percentileMs(50)),
                Stats.ms(s.percentileMs(90)), Stats.ms(s.percentileMs(99)), Stats.ms(s.maxMs()),
                Stats.ms(s.meanMs())));
    }

    /** [leaves/s between the first and last checkpoint since {@code from}, leaves per checkpoint, mean gap ms]. */
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
