package io.stenographer.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Callable;

/**
 * Ingest benchmark for issue 2 (a measurement, not a timed test).
 *
 * <p>Against a running service it times single-event ingest (events/s, p50/p99 latency) and batch
 * ingest (events/s) over HTTP with real bearer tokens. In the same run it inserts the same number of
 * equivalent rows with a raw JDBC batch INSERT into a scratch copy of {@code audit_event} in the same
 * PostgreSQL: the ceiling. Batch and raw alternate for several rounds, so that other load on a shared
 * machine hits both alike; the verdict uses the median of the per-round ratios batch/raw. All traffic
 * goes to loopback addresses, and every loop is bounded by a request or row count.
 */
public final class IngestBenchmark {

    private static final String SUBMITTER = "writer";

    private IngestBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(64);
            return;
        }
        System.exit(new IngestBenchmark().run(options));
    }

    /** One batch-versus-raw round. */
    record Round(PhaseResult batch, Drain drain, PhaseResult raw, List<PhaseResult> info) {
        double ratio() {
            return batch.eventsPerSecond() / raw.eventsPerSecond();
        }
    }

    /** How far integration (the sequencer) lagged behind ingest when a batch phase ended. */
    record Drain(long depthAfterBatch, double seconds, boolean complete, ProcessCpu.Sample cpu) {
    }

    private ProcessCpu cpu = new ProcessCpu(0, 0);

    private int run(Options o) throws Exception {
        String runId = UUID.randomUUID().toString().substring(0, 8);
        RawJdbcBaseline raw = new RawJdbcBaseline(o.jdbcUrl(), o.jdbcUser(), o.jdbcPassword());
        RawJdbcBaseline.DatabaseInfo db = raw.describe();
        cpu = new ProcessCpu(o.servicePid(), o.postgresPid());
        printHeader(o, db, runId);
        // Fail before any load if a trigger cannot be mirrored onto the baseline table.
        for (RawJdbcBaseline.MirroredTrigger t : raw.mirrorableTriggers("bench_raw_")) {
            log("raw baseline mirrors trigger " + t.name() + ": " + t.functionName() + "() inserts into "
                    + t.tables().stream().map(x -> "bench_raw_" + x).toList());
        }

        EventFactory factory = new EventFactory(o.tenant(), runId, o.clientEventIds());
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
        TokenSource tokens = new TokenSource(http, o.tokenUrl());
        HttpIngest ingest = new HttpIngest(http, tokens, o.baseUrl());

        boolean triggers = !db.auditEventInsertTriggers().isEmpty();
        List<RawJdbcBaseline.Target> targets = new ArrayList<>();
        targets.add(raw.target("raw JDBC batch", "bench_raw_", raw.url(), true));
        if (triggers) {
            targets.add(raw.target("(info) raw JDBC, no INSERT trigger", "bench_rawnt_", raw.url(), false));
        }
        if (o.rawRewriteVariant()) {
            targets.add(raw.target("(info) raw JDBC, reWriteBatchedInserts", "bench_rawrw_", raw.rewriteUrl(),
                    true));
        }
        List<Round> rounds = new ArrayList<>();
        List<PhaseResult> warmups = new ArrayList<>();
        PhaseResult single;
        try {
            log("warm-up (untimed): " + o.warmupSingles() + " single requests, " + o.warmupEvents()
                    + " events in batches, " + o.warmupEvents() + " raw rows into each scratch table");
            List<EventFactory.Row> warmupRows = factory.rows("rw", o.warmupEvents(), SUBMITTER);
            for (RawJdbcBaseline.Target target : targets) {
                target.create().insert("warm-up", warmupRows, o.batchSize(), o.concurrency());
            }
            List<byte[]> warmupSingles = factory.singleBodies("ws", o.warmupSingles());
            if (!warmupSingles.isEmpty()) {
                warmups.add(ingest.singles("warm-up single", warmupSingles, o.singleConcurrency()));
            }
            List<byte[]> warmupBatches = factory.batchBodies("wb", o.warmupEvents(), o.batchSize());
            if (!warmupBatches.isEmpty()) {
                warmups.add(ingest.batches("warm-up batch", warmupBatches, sizes(o.warmupEvents(), o.batchSize()),
                        o.concurrency()));
            }
            for (PhaseResult w : warmups) {
                log(String.format(Locale.ROOT, "  %s: %.0f events/s, %d failures", w.name(), w.eventsPerSecond(),
                        w.failures()));
            }
            awaitIntegration(raw);

            List<byte[]> singles = factory.singleBodies("s", o.singleRequests());
            log("timed: single-event ingest, " + o.singleRequests() + " requests at concurrency "
                    + o.singleConcurrency());
            single = measure(() -> ingest.singles("HTTP single event", singles, o.singleConcurrency()));
            awaitIntegration(raw);

            for (int r = 1; r <= o.rounds(); r++) {
                List<byte[]> batches = factory.batchBodies("b" + r, o.events(), o.batchSize());
                checkBatchLimit(batches);
                List<EventFactory.Row> rows = factory.rows("r" + r, o.events(), SUBMITTER);
                log("round " + r + "/" + o.rounds() + ": batch ingest, " + o.events() + " events in batches of "
                        + o.batchSize() + " at concurrency " + o.concurrency());
                PhaseResult batch = measure(() -> ingest.batches("HTTP batch", batches,
                        sizes(o.events(), o.batchSize()), o.concurrency()));
                Drain drain = awaitIntegration(raw);
                PhaseResult ceiling = null;
                List<PhaseResult> info = new ArrayList<>();
                for (RawJdbcBaseline.Target target : targets) {
                    log("round " + r + "/" + o.rounds() + ": " + target.label() + " into " + target.table());
                    PhaseResult result = measure(() -> target.insert(target.label(), rows, o.batchSize(),
                            o.concurrency()));
                    if (ceiling == null) {
                        ceiling = result;
                    } else {
                        info.add(result);
                    }
                }
                Round round = new Round(batch, drain, ceiling, info);
                rounds.add(round);
                log(String.format(Locale.ROOT, "round %d: batch %.0f events/s, raw %.0f events/s, ratio %.2f", r,
                        batch.eventsPerSecond(), ceiling.eventsPerSecond(), round.ratio()));
            }
        } finally {
            for (RawJdbcBaseline.Target target : targets) {
                try {
                    target.close();
                } catch (SQLException e) {
                    System.err.println("could not drop " + target.table() + ": " + e.getMessage());
                }
            }
        }

        long failures = single.failures() + warmups.stream().mapToLong(PhaseResult::failures).sum()
                + rounds.stream().mapToLong(r -> r.batch().failures()).sum();
        return printReport(o, single, rounds, tokens.fetches(), failures);
    }

    /**
     * Runs a phase after a short settling pause, and notes how busy the whole machine was meanwhile and
     * how much CPU the service, PostgreSQL and this process used.
     */
    private PhaseResult measure(Callable<PhaseResult> phase) throws Exception {
        Thread.sleep(2_000);
        MachineLoad before = MachineLoad.now();
        ProcessCpu.Sample cpuBefore = cpu.now();
        PhaseResult result = phase.call();
        ProcessCpu.Sample used = cpu.now().minus(cpuBefore);
        return result.withMachine(MachineLoad.now().busyPercentSince(before), MachineLoad.loadAverage(),
                cpu.enabled() ? used : null);
    }

    /**
     * Waits (bounded: 10 minutes) until the sequencer has integrated everything, so it does not compete
     * with the next phase for the CPU, and reports how long that took.
     */
    private Drain awaitIntegration(RawJdbcBaseline raw) throws Exception {
        ProcessCpu.Sample cpuBefore = cpu.now();
        long depth = raw.integrationQueueDepth();
        if (depth <= 0) {
            return new Drain(depth, 0, true, null);
        }
        long start = System.nanoTime();
        long remaining = depth;
        for (int i = 0; i < 6_000 && remaining > 0; i++) {
            Thread.sleep(100);
            remaining = raw.integrationQueueDepth();
        }
        return new Drain(depth, (System.nanoTime() - start) / 1e9, remaining == 0,
                cpu.enabled() ? cpu.now().minus(cpuBefore) : null);
    }

    private static void printHeader(Options o, RawJdbcBaseline.DatabaseInfo db, String runId) {
        System.out.println("== Stenographer ingest benchmark (issue 2) ==");
        row("date", Instant.now().truncatedTo(ChronoUnit.SECONDS) + "  (run " + runId + ")");
        row("machine", machine());
        row("bench JVM", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        row("service", o.baseUrl() + "  (tokens from " + o.tokenUrl() + ")");
        row("database", "PostgreSQL " + db.version() + " at " + o.jdbcUrl() + "  fsync=" + db.fsync()
                + " synchronous_commit=" + db.synchronousCommit());
        row("audit_event", db.auditEventIndexes() + " indexes, " + db.auditEventRows() + " rows before the run,"
                + " INSERT triggers: " + (db.auditEventInsertTriggers().isEmpty() ? "none"
                : db.auditEventInsertTriggers() + " (mirrored onto the raw baseline's scratch table)"));
        row("workload", String.format(Locale.ROOT, "rounds=%d events/round=%d batch-size=%d concurrency=%d"
                        + " single-requests=%d single-concurrency=%d warmup-events=%d warmup-singles=%d"
                        + " client-event-ids=%s",
                o.rounds(), o.events(), o.batchSize(), o.concurrency(), o.singleRequests(), o.singleConcurrency(),
                o.warmupEvents(), o.warmupSingles(), o.clientEventIds()));
        row("load", String.format(Locale.ROOT, "1-min load average %.2f at start", MachineLoad.loadAverage()));
        System.out.println();
    }

    private int printReport(Options o, PhaseResult single, List<Round> rounds, int tokenFetches,
            long failures) {
        System.out.println();
        System.out.println("== Results ==");
        String header = String.format(Locale.ROOT, "%-44s %8s %6s %8s %9s %8s %8s %5s %6s %5s", "phase", "events",
                "reqs", "seconds", "events/s", "p50 ms", "p99 ms", "fail", "busy%", "load");
        String rule = "-".repeat(header.length());
        System.out.println(header);
        System.out.println(rule);
        line("HTTP single event (C=" + o.singleConcurrency() + ")", single);
        for (int i = 0; i < rounds.size(); i++) {
            Round r = rounds.get(i);
            String tag = "r" + (i + 1) + " ";
            line(tag + "HTTP batch of " + o.batchSize() + " (C=" + o.concurrency() + ")", r.batch());
            line(tag + "raw JDBC batch of " + o.batchSize() + " (C=" + o.concurrency() + ")", r.raw());
            for (PhaseResult info : r.info()) {
                line(tag + info.name(), info);
            }
        }
        System.out.println(rule);
        System.out.println("p50/p99 per request: one event for single, one batch for batch and raw. busy% = all CPUs"
                + " of the machine, every process; load = 1-min load average after the phase.");
        double[] ratios = rounds.stream().mapToDouble(Round::ratio).toArray();
        double median = median(ratios);
        double batchRate = median(rounds.stream().mapToDouble(r -> r.batch().eventsPerSecond()).toArray());
        double rawRate = median(rounds.stream().mapToDouble(r -> r.raw().eventsPerSecond()).toArray());
        boolean pass = median >= o.target() && failures == 0;
        System.out.printf(Locale.ROOT, "single-event ingest: %.0f events/s, latency p50 %.2f ms, p99 %.2f ms (C=%d)%n",
                single.eventsPerSecond(), single.percentileMillis(50), single.percentileMillis(99),
                o.singleConcurrency());
        System.out.printf(Locale.ROOT, "batch ingest (median of %d rounds): %.0f events/s;"
                + " raw JDBC ceiling (median): %.0f events/s%n", rounds.size(), batchRate, rawRate);
        System.out.printf(Locale.ROOT, "ratio batch/raw per round: %s; spread %.2f..%.2f%n", formatRatios(ratios),
                Arrays.stream(ratios).min().orElse(Double.NaN), Arrays.stream(ratios).max().orElse(Double.NaN));
        System.out.printf(Locale.ROOT, "RATIO batch/raw (median) = %.2f   target >= %.2f   %s%n", median, o.target(),
                pass ? "PASS" : "MISS");
        if (!rounds.isEmpty()) {
            for (int k = 0; k < rounds.get(0).info().size(); k++) {
                final int index = k;
                double infoMedian = median(rounds.stream()
                        .mapToDouble(r -> r.batch().eventsPerSecond() / r.info().get(index).eventsPerSecond())
                        .toArray());
                System.out.printf(Locale.ROOT, "%s: median ratio batch/that = %.2f%n",
                        rounds.get(0).info().get(index).name(), infoMedian);
            }
            for (int i = 0; i < rounds.size(); i++) {
                Drain d = rounds.get(i).drain();
                if (d.depthAfterBatch() >= 0) {
                    System.out.printf(Locale.ROOT, "r%d integration: %d events still queued when batch ingest ended;"
                            + " drained in %.1f s%s%n", i + 1, d.depthAfterBatch(), d.seconds(),
                            d.complete() ? "" : " (NOT drained: gave up waiting)");
                }
            }
        }
        if (cpu.enabled() && !rounds.isEmpty()) {
            printCpu(o, single, rounds);
        }
        if (failures > 0) {
            System.out.println("FAILED REQUESTS: " + failures + " (see ERROR lines above); figures are not valid");
        }
        System.out.println("tokens fetched: " + tokenFetches);
        System.out.println("reproduce: " + (o.command() != null ? o.command() : javaCommand(o)));
        return failures == 0 ? 0 : 2;
    }

    /** CPU milliseconds per 1,000 events, split by process; robust against other load, unlike events/s. */
    private static void printCpu(Options o, PhaseResult single, List<Round> rounds) {
        System.out.println();
        System.out.println("== CPU time per 1,000 events (ms; service JVM / PostgreSQL / load generator) ==");
        String header = String.format(Locale.ROOT, "%-44s %9s %9s %9s %9s", "phase", "service", "postgres",
                "client", "total");
        System.out.println(header);
        System.out.println("-".repeat(header.length()));
        cpuLine("HTTP single event", single.cpu(), single.events());
        for (int i = 0; i < rounds.size(); i++) {
            Round r = rounds.get(i);
            String tag = "r" + (i + 1) + " ";
            cpuLine(tag + "HTTP batch (ingest phase only)", r.batch().cpu(), r.batch().events());
            if (r.drain().cpu() != null) {
                cpuLine(tag + "HTTP batch + integration drain", plus(r.batch().cpu(), r.drain().cpu()),
                        r.batch().events());
            }
            cpuLine(tag + "raw JDBC batch", r.raw().cpu(), r.raw().events());
            for (PhaseResult info : r.info()) {
                cpuLine(tag + info.name(), info.cpu(), info.events());
            }
        }
        System.out.println("-".repeat(header.length()));
        double batchTotal = median(rounds.stream().mapToDouble(r -> perThousand(
                r.drain().cpu() == null ? r.batch().cpu() : plus(r.batch().cpu(), r.drain().cpu()),
                r.batch().events())).toArray());
        double batchIngestOnly = median(rounds.stream()
                .mapToDouble(r -> perThousand(r.batch().cpu(), r.batch().events())).toArray());
        double rawTotal = median(rounds.stream()
                .mapToDouble(r -> perThousand(r.raw().cpu(), r.raw().events())).toArray());
        System.out.printf(Locale.ROOT, "CPU-normalised ratio raw/batch (what the ratio would be if CPU were the only"
                + " limit): %.2f counting integration, %.2f ingest phase only%n", rawTotal / batchTotal,
                rawTotal / batchIngestOnly);
    }

    private static ProcessCpu.Sample plus(ProcessCpu.Sample a, ProcessCpu.Sample b) {
        return new ProcessCpu.Sample(a.service() + b.service(), a.postgres() + b.postgres(), a.bench() + b.bench());
    }

    private static double perThousand(ProcessCpu.Sample s, long events) {
        if (s == null || events == 0) {
            return Double.NaN;
        }
        double sum = (Double.isNaN(s.service()) ? 0 : s.service()) + (Double.isNaN(s.postgres()) ? 0 : s.postgres())
                + s.bench();
        return sum * 1e6 / events;
    }

    private static void cpuLine(String label, ProcessCpu.Sample s, long events) {
        if (s == null || events == 0) {
            return;
        }
        double k = 1e6 / events; // seconds per event * 1000 events * 1000 ms
        System.out.printf(Locale.ROOT, "%-44s %9.0f %9.0f %9.0f %9.0f%n", label, s.service() * k, s.postgres() * k,
                s.bench() * k, perThousand(s, events));
    }

    private static void line(String label, PhaseResult r) {
        System.out.printf(Locale.ROOT, "%-44s %8d %6d %8.2f %9.0f %8.2f %8.2f %5d %6.0f %5.1f%n", label, r.events(),
                r.requests(), r.seconds(), r.eventsPerSecond(), r.percentileMillis(50), r.percentileMillis(99),
                r.failures(), r.machineBusyPercent(), r.loadAverage());
    }

    private static void row(String label, String value) {
        System.out.printf(Locale.ROOT, "%-12s %s%n", label, value);
    }

    private static void log(String message) {
        System.out.println("[" + Instant.now().truncatedTo(ChronoUnit.MILLIS) + "] " + message);
    }

    static double median(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    private static String formatRatios(double[] ratios) {
        List<String> parts = new ArrayList<>();
        for (double r : ratios) {
            parts.add(String.format(Locale.ROOT, "%.2f", r));
        }
        return String.join(", ", parts);
    }

    private static int[] sizes(int events, int batchSize) {
        int[] sizes = new int[(events + batchSize - 1) / batchSize];
        for (int k = 0; k < sizes.length; k++) {
            sizes[k] = Math.min(batchSize, events - k * batchSize);
        }
        return sizes;
    }

    private static void checkBatchLimit(List<byte[]> batches) {
        int largest = batches.stream().mapToInt(b -> b.length).max().orElse(0);
        if (largest > 1_048_576) {
            throw new IllegalStateException("a batch body is " + largest + " bytes, above the 1 MiB limit;"
                    + " use a smaller --batch-size");
        }
    }

    private static String machine() {
        int cpus = Runtime.getRuntime().availableProcessors();
        String model = "";
        try {
            model = Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).strip())
                    .findFirst().orElse("");
        } catch (IOException | RuntimeException e) {
            // Not Linux: the CPU count is enough.
        }
        long memory = 0;
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            memory = os.getTotalMemorySize();
        }
        return String.format(Locale.ROOT, "%d CPUs%s, %.1f GiB RAM, %s %s %s", cpus,
                model.isEmpty() ? "" : " (" + model + ")", memory / (1024.0 * 1024 * 1024),
                System.getProperty("os.name"), System.getProperty("os.version"), System.getProperty("os.arch"));
    }

    private static String javaCommand(Options o) {
        return "java -jar bench/target/stenographer-bench.jar " + String.join(" ", o.rawArgs());
    }
}
