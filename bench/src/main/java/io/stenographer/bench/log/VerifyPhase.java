package io.stenographer.bench.log;

import io.stenographer.bench.ProcessCpu;
import io.stenographer.domain.json.JsonArray;
import io.stenographer.domain.json.JsonBoolean;
import io.stenographer.domain.json.JsonNumber;
import io.stenographer.domain.json.JsonObject;
import io.stenographer.domain.json.JsonParser;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * Measurement 3: full verification ({@code POST /api/v1/logs/{tenant}/verifications}) over the bulk-loaded log,
 * events/s = eventsChecked / wall time, against two floors measured in the same run, in each of {@code --rounds}
 * rounds (the order rotates from round to round):
 * <ul>
 *   <li>the READ floor: the columns verification reads, {@code COPY (SELECT ... FROM audit_event WHERE tenant = ...)
 *       TO STDOUT} through the PostgreSQL CopyManager, rows/s and bytes/s;</li>
 *   <li>the HASH floor: raw SHA-256(0x00 || leaf input) of the same canonical leaf-input bytes on all cores (one
 *       thread per core, each with its own digest, over a slice of the kept sample: the first {@code --hash-sample}
 *       events of the bulk load), events/s and bytes/s.</li>
 * </ul>
 * Target (issue 13): verification >= 0.8 x the lower floor.
 */
final class VerifyPhase {

    /** The columns verification reads from audit_event (AuditEventRowMapper.COLUMNS at the time of writing). */
    static final String READ_COLUMNS = "id, tenant, received_at, submitted_by, actor_id, actor_type, "
            + "actor_display_name, action, resource_type, resource_id, reason, outcome, occurred_at, "
            + "source_application, source_ip, source_user_agent, correlation_id, metadata, client_event_id, leaf_hash";

    record Round(int status, String problem, boolean ok, long treeSize, long eventsChecked, long checkpoints,
            int findings, double seconds, long readRows, long readBytes, double readSeconds, long hashEvents,
            long hashBytes, double hashSeconds, ProcessCpu.Sample verifyCpu, double readCpu, long statementRows,
            double statementSeconds, double statementCpu, Round incremental) {

        Round withCpu(ProcessCpu.Sample verify, double read, double[] statement) {
            return new Round(status, problem, ok, treeSize, eventsChecked, checkpoints, findings, seconds, readRows,
                    readBytes, readSeconds, hashEvents, hashBytes, hashSeconds, verify, read, (long) statement[0],
                    statement[2], statement[3], incremental);
        }

        Round withIncremental(Round run) {
            return new Round(status, problem, ok, treeSize, eventsChecked, checkpoints, findings, seconds, readRows,
                    readBytes, readSeconds, hashEvents, hashBytes, hashSeconds, verifyCpu, readCpu, statementRows,
                    statementSeconds, statementCpu, run);
        }

        /** Microseconds of CPU per event verified: the service, PostgreSQL and this client together. */
        double verifyCpuMicrosPerEvent() {
            return total(verifyCpu) / eventsChecked * 1e6;
        }

        double verifyServiceMicrosPerEvent() {
            return verifyCpu.service() / eventsChecked * 1e6;
        }

        double verifyPostgresMicrosPerEvent() {
            return verifyCpu.postgres() / eventsChecked * 1e6;
        }

        double statementRate() {
            return statementRows / statementSeconds;
        }

        double rate() {
            return problem != null ? Double.NaN : eventsChecked / seconds;
        }

        double readRate() {
            return readRows / readSeconds;
        }

        double hashRate() {
            return hashEvents / hashSeconds;
        }

        double lowerFloor() {
            return Math.min(readRate(), hashRate());
        }
    }

    record Result(List<Round> rounds, int threads, long sampleEvents, long sampleBytes) {

        Rounds figure(java.util.function.ToDoubleFunction<Round> f) {
            Rounds r = new Rounds();
            rounds.forEach(round -> r.add(f.applyAsDouble(round)));
            return r;
        }
    }

    private final LogOptions options;
    private final Service service;
    private final Connection db;
    private final ProcessCpu cpu;

    VerifyPhase(LogOptions options, Service service, Connection db) {
        this.options = options;
        this.service = service;
        this.db = db;
        this.cpu = new ProcessCpu(options.servicePid(), options.postgresPid());
    }

    /** CPU seconds of the three parties together; NaN when a process is unknown (no PIDs given). */
    static double total(ProcessCpu.Sample used) {
        return used.service() + used.postgres() + used.bench();
    }

    Result run(byte[][] sample) throws Exception {
        int threads = Runtime.getRuntime().availableProcessors();
        long sampleBytes = 0;
        for (byte[] input : sample) {
            sampleBytes += input.length + 1;
        }
        hashFloor(sample, threads, sample.length / 10); // warm-up
        List<Round> rounds = new ArrayList<>();
        for (int round = 0; round < options.rounds(); round++) {
            double[] read = null;
            double[] hash = null;
            double[] statement = null;
            Round verify = null;
            ProcessCpu.Sample verifyCpu = null;
            for (int k = 0; k < 4; k++) {
                switch ((round + k) % 4) {
                    case 0 -> read = readFloor();
                    case 1 -> hash = hashFloor(sample, threads, sample.length);
                    case 2 -> statement = statementFloor();
                    default -> {
                        ProcessCpu.Sample before = cpu.now();
                        verify = verify(true);
                        verifyCpu = cpu.now().minus(before);
                        // At once after the full run: it continues from the checkpoint that run accepted.
                        verify = verify.withIncremental(verify(false));
                    }
                }
            }
            Round r = new Round(verify.status(), verify.problem(), verify.ok(), verify.treeSize(),
                    verify.eventsChecked(), verify.checkpoints(), verify.findings(), verify.seconds(), (long) read[0],
                    (long) read[1], read[2], sample.length, (long) hash[1], hash[2], null, 0, 0, 0, 0,
                    verify.incremental()).withCpu(verifyCpu, read[3], statement);
            LogBenchmark.log(String.format(Locale.ROOT, "  round %d: verification %s events/s; read floor %s rows/s; hash "
                            + "floor %s events/s", round + 1, Stats.rate(r.rate()), Stats.rate(r.readRate()),
                    Stats.rate(r.hashRate())));
            rounds.add(r);
        }
        return new Result(rounds, threads, sample.length, sampleBytes);
    }

    /** A full run, or an incremental one (the service's default), timed from request to answer. */
    private Round verify(boolean full) {
        LogBenchmark.log("POST /api/v1/logs/" + options.proofTenant() + "/verifications, " + (full ? "full" : "incremental")
                + " (timeout " + options.verifyTimeoutSeconds() + " s)");
        service.token("auditor");
        long t1 = System.nanoTime();
        HttpResponse<String> response = service.post("/api/v1/logs/" + options.proofTenant() + "/verifications",
                "auditor", Duration.ofSeconds(options.verifyTimeoutSeconds()),
                (full ? "{\"full\":true}" : "{}").getBytes(StandardCharsets.UTF_8));
        double seconds = (System.nanoTime() - t1) / 1e9;
        if (response.statusCode() != 200 && response.statusCode() != 201) {
            return new Round(response.statusCode(), Service.abbreviate(response.body()), false, 0, 0, 0, 0, seconds,
                    0, 0, 0, 0, 0, 0, null, 0, 0, 0, 0, null);
        }
        JsonObject report = (JsonObject) JsonParser.parse(response.body(), 8);
        return new Round(response.statusCode(), null, JsonBoolean.TRUE.equals(report.get("ok")),
                number(report, "treeSize"), number(report, "eventsChecked"), number(report, "checkpointsChecked"),
                ((JsonArray) report.get("findings")).elements().size(), seconds, 0, 0, 0, 0, 0, 0, null, 0, 0, 0, 0,
                null);
    }

    /** {rows, bytes, seconds} of COPY (SELECT the verified columns FROM audit_event WHERE tenant = ...) TO STDOUT. */
    private double[] readFloor() throws Exception {
        String tenant = options.proofTenant().replace("'", "''");
        String sql = "COPY (SELECT " + READ_COLUMNS + " FROM audit_event WHERE tenant = '" + tenant + "') TO STDOUT";
        CopyManager copy = db.unwrap(PGConnection.class).getCopyAPI();
        long[] counts = new long[2];
        OutputStream sink = new OutputStream() {
            @Override
            public void write(int b) {
                counts[1]++;
                if (b == '\n') {
                    counts[0]++;
                }
            }

            @Override
            public void write(byte[] b, int off, int len) {
                counts[1] += len;
                for (int i = off; i < off + len; i++) {
                    if (b[i] == '\n') {
                        counts[0]++;
                    }
                }
            }
        };
        ProcessCpu.Sample before = cpu.now();
        long t0 = System.nanoTime();
        long rows = copy.copyOut(sql, sink);
        double seconds = (System.nanoTime() - t0) / 1e9;
        return new double[] {rows, counts[1], seconds, total(cpu.now().minus(before))};
    }

    /**
     * {rows, bytes, seconds, core-seconds} of the very statement verification streams (PostgresLeafFields: the
     * leaves joined with their events and archive rows, binary COPY in index order), read and dropped: what
     * PostgreSQL alone needs to send what verification reads.
     */
    private double[] statementFloor() throws Exception {
        String tenant = options.proofTenant().replace("'", "''");
        String sql = "COPY (SELECT l.leaf_index, l.event_id, l.leaf_hash, CASE WHEN e.id IS NULL THEN (SELECT "
                + "a.leaf_hash FROM archived_event a WHERE a.tenant = l.tenant AND a.log_index = l.leaf_index AND "
                + "a.event_id = l.event_id) END, e.* FROM log_leaf l LEFT JOIN LATERAL (SELECT e."
                + READ_COLUMNS.replace(", leaf_hash", "").replace(", ", ", e.")
                + " FROM audit_event e WHERE e.id = l.event_id OFFSET 0) e ON true WHERE l.tenant = '" + tenant
                + "' AND l.leaf_index >= 0 ORDER BY l.leaf_index) TO STDOUT (FORMAT binary)";
        CopyManager copy = db.unwrap(PGConnection.class).getCopyAPI();
        long[] bytes = new long[1];
        OutputStream sink = new OutputStream() {
            @Override
            public void write(int b) {
                bytes[0]++;
            }

            @Override
            public void write(byte[] b, int off, int len) {
                bytes[0] += len;
            }
        };
        ProcessCpu.Sample before = cpu.now();
        long t0 = System.nanoTime();
        long rows = copy.copyOut(sql, sink);
        double seconds = (System.nanoTime() - t0) / 1e9;
        return new double[] {rows, bytes[0], seconds, total(cpu.now().minus(before))};
    }

    /** {events, bytes, seconds} of SHA-256(0x00 || input) over the first {@code count} inputs, on all threads. */
    static double[] hashFloor(byte[][] inputs, int threads, int count) throws Exception {
        long[] bytes = new long[threads];
        byte[] sinks = new byte[threads];
        Thread[] workers = new Thread[threads];
        Throwable[] failure = new Throwable[1];
        long t0 = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            int slice = t;
            workers[t] = new Thread(() -> {
                try {
                    MessageDigest sha = MessageDigest.getInstance("SHA-256");
                    int from = (int) ((long) count * slice / threads);
                    int to = (int) ((long) count * (slice + 1) / threads);
                    byte sink = 0;
                    long n = 0;
                    for (int i = from; i < to; i++) {
                        sha.update((byte) 0x00);
                        sha.update(inputs[i]);
                        sink ^= sha.digest()[0];
                        n += inputs[i].length + 1;
                    }
                    bytes[slice] = n;
                    sinks[slice] = sink;
                } catch (Throwable e) {
                    failure[0] = e;
                }
            }, "sha-" + t);
            workers[t].start();
        }
        for (Thread worker : workers) {
            worker.join();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (failure[0] != null) {
            throw new IllegalStateException("hashing failed", failure[0]);
        }
        long total = 0;
        for (long b : bytes) {
            total += b;
        }
        return new double[] {count, total, seconds};
    }

    /** The section of the report for one size. */
    static String report(LogOptions o, Result v) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "   Full verification, tenant %s, %d round(s), median [min-max] across "
                + "rounds%n", o.proofTenant(), v.rounds().size()));
        out.append(String.format(Locale.ROOT, "   READ floor: COPY (SELECT <%d columns verification reads> FROM "
                        + "audit_event WHERE tenant = '%s') TO STDOUT: %s rows/s, %s MB/s (%,d rows, %.0f MB)%n",
                READ_COLUMNS.split(",").length, o.proofTenant(), v.figure(Round::readRate).rate(),
                v.figure(r -> r.readBytes() / r.readSeconds() / 1e6).format(x -> String.format(Locale.ROOT, "%.0f", x)),
                v.rounds().get(0).readRows(), v.rounds().get(0).readBytes() / 1e6));
        out.append(String.format(Locale.ROOT, "   HASH floor: raw SHA-256(0x00||leaf input) on %d threads over a sample "
                        + "of %,d leaf inputs (%.0f MB): %s events/s, %s MB/s%n", v.threads(), v.sampleEvents(),
                v.sampleBytes() / 1e6, v.figure(Round::hashRate).rate(),
                v.figure(r -> r.hashBytes() / r.hashSeconds() / 1e6).format(x -> String.format(Locale.ROOT, "%.0f", x))));
        for (Round r : v.rounds()) {
            if (r.problem() != null) {
                out.append(String.format(Locale.ROOT, "   POST verifications: HTTP %d after %.1f s: %s%n", r.status(),
                        r.seconds(), r.problem()));
            }
        }
        Round first = v.rounds().get(0);
        out.append(String.format(Locale.ROOT, "   POST verifications: ok=%s, tree %,d, %,d events checked, %d checkpoints, "
                        + "%d findings (round 1); %s s = %s events/s%n", first.ok(), first.treeSize(),
                first.eventsChecked(), first.checkpoints(), first.findings(),
                v.figure(Round::seconds).format(x -> String.format(Locale.ROOT, "%.1f", x)),
                v.figure(Round::rate).rate()));
        Round incremental = first.incremental();
        if (incremental != null && incremental.problem() == null) {
            out.append(String.format(Locale.ROOT, "   POST verifications, incremental, at once after each full run: "
                            + "ok=%s, %,d events recomputed (round 1); %s s, %s of the full run's time%n",
                    incremental.ok(), incremental.eventsChecked(),
                    v.figure(r -> r.incremental() == null ? Double.NaN : r.incremental().seconds())
                            .format(x -> String.format(Locale.ROOT, "%.2f", x)),
                    v.figure(r -> r.incremental() == null ? Double.NaN : r.incremental().seconds() / r.seconds())
                            .ratio()));
        }
        out.append(String.format(Locale.ROOT, "   STATEMENT floor: verification's own statement (binary COPY of the leaves "
                        + "joined with their events, in index order), read and dropped: %s rows/s; CPU of PostgreSQL "
                        + "and this client: %s us/row%n", v.figure(Round::statementRate).rate(),
                v.figure(r -> r.statementCpu() / r.statementRows() * 1e6).format(x -> String.format(Locale.ROOT,
                        "%.2f", x))));
        out.append(String.format(Locale.ROOT, "   CPU by process (/proc/PID/stat: the service JVM, PostgreSQL's "
                        + "postmaster and backends, this client) on %d cores: verification %s us/event (service %s, "
                        + "PostgreSQL %s; cores busy %s); read floor %s us/row%n",
                Runtime.getRuntime().availableProcessors(),
                v.figure(Round::verifyCpuMicrosPerEvent).format(x -> String.format(Locale.ROOT, "%.2f", x)),
                v.figure(Round::verifyServiceMicrosPerEvent).format(x -> String.format(Locale.ROOT, "%.2f", x)),
                v.figure(Round::verifyPostgresMicrosPerEvent).format(x -> String.format(Locale.ROOT, "%.2f", x)),
                v.figure(r -> total(r.verifyCpu()) / r.seconds()).format(x -> String.format(Locale.ROOT, "%.2f", x)),
                v.figure(r -> r.readCpu() / r.readRows() * 1e6).format(x -> String.format(Locale.ROOT, "%.2f", x))));
        Rounds ratio = v.figure(r -> r.rate() / r.lowerFloor());
        out.append(String.format(Locale.ROOT, "   ratio to the statement floor (the rows verification reads, leaves with "
                + "their events): %s%n", v.figure(r -> r.rate() / r.statementRate()).ratio()));
        out.append(String.format(Locale.ROOT, "   ratio to the lower floor (%s): %s (target >= 0.8: %s); to the read "
                        + "floor %s; to the hash floor %s%n",
                v.figure(Round::readRate).median() <= v.figure(Round::hashRate).median() ? "read" : "hash",
                ratio.ratio(), ratio.median() >= 0.8 ? "met" : "MISSED",
                v.figure(r -> r.rate() / r.readRate()).ratio(), v.figure(r -> r.rate() / r.hashRate()).ratio()));
        return out.toString();
    }

    private static long number(JsonObject json, String name) {
        return (long) ((JsonNumber) json.get(name)).value();
    }
}
