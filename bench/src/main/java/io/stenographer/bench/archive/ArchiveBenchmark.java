package io.stenographer.bench.archive;

import io.stenographer.bench.MachineLoad;
import io.stenographer.bench.log.LogBenchmark;
import io.stenographer.bench.log.MillionLoader;
import io.stenographer.bench.log.Service;
import io.stenographer.bench.log.Stats;
import io.stenographer.domain.event.TenantId;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Benchmark of the archive and purge jobs (issue 4) against a running service; see bench/run-archive.sh.
 *
 * <ol>
 *   <li>bulk load N (default 1,000,000) sealed events into tenant T and M into tenant U (COPY, as the log
 *       benchmark does) and wait until a signed checkpoint covers them;</li>
 *   <li>archive throughput: the archive job over T's N events, beside a raw baseline (plain JDBC read,
 *       gzip, SHA-256, fsync'd file) of the same rows;</li>
 *   <li>purge throughput: the purge job over T's N archived events, beside a plain batched DELETE of the
 *       same rows, same batch size, from a copy table;</li>
 *   <li>ingest latency into a third tenant, paced single events: first with nothing else running, then
 *       while the purge job removes U's M archived events.</li>
 * </ol>
 * Every loop is bounded (by count or by deadline); everything runs over loopback.
 */
public final class ArchiveBenchmark {

    private static final Pattern DURATION = Pattern.compile("\"durationMillis\"\\s*:\\s*(\\d+)");
    private static final Pattern STATUS = Pattern.compile("\"status\"\\s*:\\s*\"(\\w+)\"");
    private static final Pattern ARCHIVED = Pattern.compile("\"eventsArchived\"\\s*:\\s*(\\d+)");
    private static final Pattern PURGED = Pattern.compile("\"eventsPurged\"\\s*:\\s*(\\d+)");
    private static final Pattern ERROR = Pattern.compile("\"error\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final Pattern SEGMENTS_KEY = Pattern.compile("\"key\"\\s*:");

    private ArchiveBenchmark() {
    }

    /** One job run as the service reported it. */
    record Job(String status, long events, long durationMillis, double wallSeconds, int segments, String body) {
        double rate() {
            return events / (durationMillis / 1000.0);
        }
    }

    record Phase(String name, double seconds, double busyPercent, double loadBefore, double loadAfter) {
    }

    public static void main(String[] args) throws Exception {
        ArchiveOptions o = ArchiveOptions.parse(args);
        Service service = new Service(o.baseUrl());
        String started = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        double loadAtStart = MachineLoad.loadAverage();
        StringBuilder phases = new StringBuilder();
        try (Connection db = DriverManager.getConnection(o.jdbcUrl(), o.jdbcUser(), "")) {
            db.setAutoCommit(true);

            // 1. seed --------------------------------------------------------------------------------
            MillionLoader.Result loadT = seed(service, db, o.tenant(), o.events(), o.copyChunk(), null);
            // U's events were received 40 days ago, in a month that has ended: its purge drops that month's
            // partition whole (docs/STORAGE.md). T's are received now, so its purge goes event by event.
            MillionLoader.Result loadU = seed(service, db, o.purgeLoadTenant(), o.loadEvents(), o.copyChunk(),
                    Instant.now().minus(40, ChronoUnit.DAYS).truncatedTo(ChronoUnit.MILLIS));
            waitIntegrated(service, o.tenant(), o.events(), o.integrateTimeoutSeconds());
            waitIntegrated(service, o.purgeLoadTenant(), o.loadEvents(), o.integrateTimeoutSeconds());
            createPolicy(service, o.adminUser(), o.tenant());
            createPolicy(service, o.adminUser(), o.purgeLoadTenant());

            // 2. archive -------------------------------------------------------------------------------
            log("== archive baseline: raw JDBC read + gzip + SHA-256 + fsync'd files, " + o.events() + " rows ==");
            Path baselineDir = Path.of(o.workDir(), "raw-archive");
            Baselines.deleteTree(baselineDir);
            MachineLoad m0 = MachineLoad.now();
            double l0 = MachineLoad.loadAverage();
            Baselines.Timed rawArchive = Baselines.rawArchive(db, o.tenant(), o.events(), o.segmentEvents(),
                    baselineDir);
            phase(phases, "raw archive baseline", rawArchive.seconds(), m0, l0);
            Baselines.deleteTree(baselineDir);
            log(String.format(Locale.ROOT, "raw archive: %,d rows in %.1f s = %s events/s", rawArchive.events(),
                    rawArchive.seconds(), Stats.rate(rawArchive.rate())));

            log("== archive job, tenant " + o.tenant() + " ==");
            m0 = MachineLoad.now();
            l0 = MachineLoad.loadAverage();
            Job archiveT = job(service, o, "archive", o.tenant());
            phase(phases, "archive job " + o.tenant(), archiveT.wallSeconds(), m0, l0);
            log(String.format(Locale.ROOT, "archive job: %s, %,d events in %,d ms = %s events/s, %d segments",
                    archiveT.status(), archiveT.events(), archiveT.durationMillis(), Stats.rate(archiveT.rate()),
                    archiveT.segments()));
            require(archiveT, "archive", o.events());

            String storage = storageOnDisk(db, (long) o.events() + o.loadEvents());
            log("storage on disk after archiving " + o.tenant() + ":\n" + storage);

            // 3. purge ---------------------------------------------------------------------------------
            log("== purge baseline: plain batched DELETE of a copy of the same rows ==");
            m0 = MachineLoad.now();
            l0 = MachineLoad.loadAverage();
            Baselines.Timed plainDelete = Baselines.plainDelete(db, o.tenant(), o.purgeBatch());
            phase(phases, "plain DELETE baseline (timed part)", plainDelete.seconds(), m0, l0);
            log(String.format(Locale.ROOT, "plain delete: %,d rows in %.1f s = %s events/s", plainDelete.events(),
                    plainDelete.seconds(), Stats.rate(plainDelete.rate())));

            // 4. ingest with and without a purge --------------------------------------------------------
            log("== archive job, tenant " + o.purgeLoadTenant() + " (prepares the purge under ingest) ==");
            Job archiveU = job(service, o, "archive", o.purgeLoadTenant());
            require(archiveU, "archive", o.loadEvents());
            log(String.format(Locale.ROOT, "archive job: %,d events in %,d ms = %s events/s", archiveU.events(),
                    archiveU.durationMillis(), Stats.rate(archiveU.rate())));

            PacedIngest ingest = new PacedIngest(service, o.ingestUser(), o.ingestTenant(), o.ingestWriters(),
                    o.ingestPauseMillis());
            log("ingest warm-up " + o.warmupSeconds() + " s");
            ingest.run("warm", o.warmupSeconds(), () -> false);
            Service.sleep(2_000);
            log("== ingest without purge: " + o.ingestSeconds() + " s ==");
            m0 = MachineLoad.now();
            l0 = MachineLoad.loadAverage();
            PacedIngest.Result quiet = ingest.run("quiet", o.ingestSeconds(), () -> false);
            phase(phases, "ingest, no purge", quiet.seconds(), m0, l0);
            Service.sleep(2_000);

            log("== ingest during the purge job of tenant " + o.purgeLoadTenant() + " ==");
            AtomicReference<Object> purgeOutcome = new AtomicReference<>();
            Thread purgeThread = new Thread(() -> {
                try {
                    purgeOutcome.set(job(service, o, "purge", o.purgeLoadTenant()));
                } catch (RuntimeException e) {
                    purgeOutcome.set(e);
                }
            }, "purge-job");
            m0 = MachineLoad.now();
            l0 = MachineLoad.loadAverage();
            purgeThread.start();
            Service.sleep(200); // the job has started: its first candidate query is under way
            PacedIngest.Result during = ingest.run("purge", o.maxDuringSeconds(), () -> !purgeThread.isAlive());
            phase(phases, "ingest during purge", during.seconds(), m0, l0);
            purgeThread.join(Duration.ofSeconds(o.maxDuringSeconds() + 120L).toMillis());
            Object outcome = purgeOutcome.get();
            Job purgeU = outcome instanceof Job j ? j
                    : new Job(outcome == null ? "still running" : "error: " + outcome, 0, 1, 0, 0, "");
            log(String.format(Locale.ROOT, "purge under ingest: %,d events in %,d ms = %s events/s; ingest "
                            + "p99 %s ms without, %s ms during", purgeU.events(), purgeU.durationMillis(),
                    Stats.rate(purgeU.rate()), Stats.ms(quiet.latency().percentileMs(99)),
                    Stats.ms(during.latency().percentileMs(99))));

            // The purge throughput runs last: the purge under ingest above may still hold the job lock.
            log("plan of the purge function's DELETE for the next batch (custom plan, as the owner):\n"
                    + explainPurge(db, o.tenant(), o.purgeBatch()));
            log("== purge job, tenant " + o.tenant() + " ==");
            m0 = MachineLoad.now();
            l0 = MachineLoad.loadAverage();
            Job purgeT = job(service, o, "purge", o.tenant());
            phase(phases, "purge job " + o.tenant(), purgeT.wallSeconds(), m0, l0);
            log(String.format(Locale.ROOT, "purge job: %s, %,d events in %,d ms = %s events/s", purgeT.status(),
                    purgeT.events(), purgeT.durationMillis(), Stats.rate(purgeT.rate())));
            String purgePlan = explainPurge(db, o.tenant(), o.purgeBatch());
            long hotLeft = hotRows(db, o.tenant());

            report(o, started, loadAtStart, loadT, loadU, rawArchive, archiveT, plainDelete, purgeT, hotLeft,
                    archiveU, purgeU, quiet, during, phases, purgePlan, storage);
        }
    }

    /** Bytes on disk of each table, with its indexes and TOAST, and per event of the two loaded tenants. */
    private static String storageOnDisk(Connection db, long events) throws Exception {
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "   %-44s %14s %10s%n", "table",
                "bytes", "per event"));
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("""
                SELECT 'audit_event: heap and TOAST, all partitions',
                       sum(pg_total_relation_size(i.inhrelid) - pg_indexes_size(i.inhrelid))
                FROM pg_inherits i WHERE i.inhparent = 'audit_event'::regclass
                UNION ALL
                SELECT 'audit_event: its 10 indexes, all partitions', sum(pg_indexes_size(i.inhrelid))
                FROM pg_inherits i WHERE i.inhparent = 'audit_event'::regclass
                UNION ALL
                SELECT t, pg_total_relation_size(t::regclass)
                FROM unnest(ARRAY['event_client_key', 'log_leaf', 'merkle_subtree', 'log_checkpoint',
                                  'archived_event', 'archive_segment', 'integration_queue']) t""")) {
            long total = 0;
            while (rs.next()) {
                long bytes = rs.getLong(2);
                total += bytes;
                out.append(String.format(Locale.ROOT, "   %-44s %,14d %10.1f%n", rs.getString(1), bytes,
                        (double) bytes / events));
            }
            out.append(String.format(Locale.ROOT, "   %-44s %,14d %10.1f%n", "total", total, (double) total / events));
        }
        return out.toString();
    }

    private static MillionLoader.Result seed(Service service, Connection db, String tenant, int events, int chunk,
            Instant receivedAt) throws Exception {
        log("== bulk load " + events + " events into '" + tenant + "' ==");
        long before = service.checkpointSize(tenant);
        if (before != 0) {
            throw new IllegalStateException("tenant " + tenant + " already has a log (tree size " + before + ")");
        }
        MillionLoader.Result load = new MillionLoader(db).load(new TenantId(tenant), 0, events, chunk, events,
                receivedAt);
        log(String.format(Locale.ROOT, "COPY done in %.1f s (%s events/s)", load.seconds(),
                Stats.rate(load.events() / load.seconds())));
        // Drop the leaf inputs the log benchmark keeps for its SHA-256 baseline.
        return new MillionLoader.Result(load.events(), load.seconds(), load.generateSeconds(), null,
                load.leafInputBytes());
    }

    private static void waitIntegrated(Service service, String tenant, long events, int timeoutSeconds) {
        long deadline = System.nanoTime() + Duration.ofSeconds(timeoutSeconds).toNanos();
        long size = 0;
        while (System.nanoTime() < deadline) {
            size = service.checkpointSize(tenant);
            if (size >= events) {
                log(String.format(Locale.ROOT, "tenant %s: signed checkpoint at tree size %,d", tenant, size));
                return;
            }
            Service.sleep(1_000);
        }
        throw new IllegalStateException("tenant " + tenant + ": tree size " + size + " < " + events + " after "
                + timeoutSeconds + " s");
    }

    private static void createPolicy(Service service, String admin, String tenant) {
        String body = "{\"id\":\"bench-" + tenant + "\",\"tenant\":\"" + tenant + "\",\"archiveAfter\":\"PT0S\","
                + "\"retainFor\":\"P7Y\",\"legalBasis\":\"benchmark\"}";
        HttpResponse<String> response = service.post("/api/v1/retention-policies", admin, Duration.ofSeconds(30),
                body.getBytes(StandardCharsets.UTF_8));
        if (response.statusCode() != 201) {
            throw new IllegalStateException("policy for " + tenant + ": HTTP " + response.statusCode() + " "
                    + Service.abbreviate(response.body()));
        }
        log("policy bench-" + tenant + ": archive at once, retain 7 years");
    }

    static Job job(Service service, ArchiveOptions o, String job, String tenant) {
        String path = "/api/v1/jobs/" + job + "/runs?tenant=" + URLEncoder.encode(tenant, StandardCharsets.UTF_8)
                + "&dryRun=false";
        long t0 = System.nanoTime();
        HttpResponse<String> response = service.post(path, o.adminUser(), Duration.ofSeconds(o.jobTimeoutSeconds()),
                new byte[0]);
        double wall = (System.nanoTime() - t0) / 1e9;
        String body = response.body();
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException(job + " job for " + tenant + ": HTTP " + response.statusCode() + " "
                    + Service.abbreviate(body));
        }
        Matcher status = STATUS.matcher(body);
        Matcher duration = DURATION.matcher(body);
        Matcher count = ("archive".equals(job) ? ARCHIVED : PURGED).matcher(body);
        int segments = 0;
        Matcher keys = SEGMENTS_KEY.matcher(body);
        while (keys.find()) {
            segments++;
        }
        return new Job(status.find() ? status.group(1) : "?", count.find() ? Long.parseLong(count.group(1)) : -1,
                duration.find() ? Long.parseLong(duration.group(1)) : Math.round(wall * 1000), wall, segments, body);
    }

    private static void require(Job job, String name, long events) {
        if (!"succeeded".equals(job.status()) || job.events() < events) {
            throw new IllegalStateException(name + " job: status " + job.status() + ", " + job.events()
                    + " events (expected " + events + "): " + Service.abbreviate(job.body()));
        }
    }

    /** EXPLAIN of the purge function's DELETE for the tenant's next batch of still-hot archived events. */
    private static String explainPurge(Connection db, String tenant, int batch) throws SQLException {
        String sql = """
                EXPLAIN DELETE FROM audit_event e
                USING archived_event a, archive_segment s, log_leaf l
                WHERE e.tenant = ? AND e.id = ANY (?)
                  AND a.event_id = e.id AND a.tenant = e.tenant AND a.leaf_hash = e.leaf_hash
                  AND s.object_key = a.segment_key
                  AND NOT EXISTS (SELECT 1 FROM archive_segment_deletion d WHERE d.object_key = s.object_key)
                  AND l.tenant = e.tenant AND l.leaf_index = a.log_index AND l.event_id = e.id
                RETURNING e.id, a.log_index""";
        List<Object> ids = new ArrayList<>();
        try (PreparedStatement s = db.prepareStatement("SELECT a.event_id FROM archived_event a JOIN audit_event e"
                + " ON e.id = a.event_id WHERE a.tenant = ? ORDER BY a.log_index LIMIT ?")) {
            s.setString(1, tenant);
            s.setInt(2, batch);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getObject(1));
                }
            }
        }
        if (ids.isEmpty()) {
            return "   (no hot archived events left)";
        }
        StringBuilder plan = new StringBuilder();
        try (PreparedStatement s = db.prepareStatement(sql)) {
            s.setString(1, tenant);
            s.setArray(2, db.createArrayOf("uuid", ids.toArray()));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    plan.append("   ").append(rs.getString(1)).append('\n');
                }
            }
        }
        return plan.toString();
    }

    private static long hotRows(Connection db, String tenant) throws SQLException {
        try (PreparedStatement s = db.prepareStatement("SELECT count(*) FROM audit_event WHERE tenant = ?")) {
            s.setString(1, tenant);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static void phase(StringBuilder out, String name, double seconds, MachineLoad before, double loadBefore) {
        out.append(String.format(Locale.ROOT, "   %-36s %8.1f s   machine CPU busy %5.1f%%   load %.2f -> %.2f%n",
                name, seconds, MachineLoad.now().busyPercentSince(before), loadBefore, MachineLoad.loadAverage()));
    }

    private static void report(ArchiveOptions o, String started, double loadAtStart, MillionLoader.Result loadT,
            MillionLoader.Result loadU, Baselines.Timed raw, Job archive, Baselines.Timed delete, Job purge,
            long hotLeft, Job archiveU, Job purgeU, PacedIngest.Result quiet, PacedIngest.Result during,
            StringBuilder phases, String purgePlan, String storage) {
        StringBuilder out = new StringBuilder();
        out.append('\n').append("Stenographer retention benchmark: archive and purge (issue 4)\n");
        out.append("started ").append(started).append(", ").append(Runtime.getRuntime().availableProcessors())
                .append(" cores (").append(MachineLoad.cpuModel()).append("), Java ").append(System.getProperty("java.version"))
                .append(", archive store ").append(o.store()).append('\n');
        out.append(String.format(Locale.ROOT, "load average at start %.2f, at end %.2f (1 min)%n", loadAtStart,
                MachineLoad.loadAverage()));
        out.append("reproduce: ").append(o.command()).append("\n\n");
        out.append(String.format(Locale.ROOT, "bulk load (COPY, not measured here): %s %,d events in %.1f s, "
                        + "%s %,d in %.1f s; both integrated and under a signed checkpoint before step 1%n%n",
                o.tenant(), loadT.events(), loadT.seconds(), o.purgeLoadTenant(), loadU.events(), loadU.seconds()));

        out.append(String.format(Locale.ROOT, "1. Archive throughput, tenant %s, %,d events, %,d per segment%n",
                o.tenant(), archive.events(), o.segmentEvents()));
        out.append(String.format(Locale.ROOT, "   baseline: raw JDBC read + JSON lines + gzip + SHA-256 + fsync'd "
                        + "file: %,d events in %.1f s = %s events/s (%.1f s of it reading rows and building lines;"
                        + " %,d compressed bytes)%n", raw.events(), raw.seconds(), Stats.rate(raw.rate()),
                raw.readSeconds(), raw.bytes()));
        out.append(String.format(Locale.ROOT, "   archive job (%s, %d segments): %,d events in %.1f s = %s events/s "
                        + "(HTTP round trip %.1f s)%n", archive.status(), archive.segments(), archive.events(),
                archive.durationMillis() / 1000.0, Stats.rate(archive.rate()), archive.wallSeconds()));
        out.append(String.format(Locale.ROOT, "   ratio job / baseline: %.2f (the job takes %.1fx as long)%n",
                archive.rate() / raw.rate(), raw.rate() / archive.rate()));
        out.append(String.format(Locale.ROOT, "   second archive run, tenant %s (step 3 setup): %,d events = %s "
                + "events/s%n%n", o.purgeLoadTenant(), archiveU.events(), Stats.rate(archiveU.rate())));

        out.append(String.format(Locale.ROOT, "2. Purge throughput, tenant %s, batch %d%n", o.tenant(),
                o.purgeBatch()));
        out.append(String.format(Locale.ROOT, "   baseline: plain DELETE ... WHERE id = ANY(batch) on a copy table "
                        + "(same columns and indexes, no trigger), owner role, one transaction per batch: %,d rows in "
                        + "%.1f s = %s events/s%n", delete.events(), delete.seconds(), Stats.rate(delete.rate())));
        out.append(String.format(Locale.ROOT, "   purge job (%s): %,d events in %.1f s = %s events/s (HTTP round "
                        + "trip %.1f s); hot rows left for the tenant: %,d%n", purge.status(), purge.events(),
                purge.durationMillis() / 1000.0, Stats.rate(purge.rate()), purge.wallSeconds(), hotLeft));
        out.append(String.format(Locale.ROOT, "   ratio job / baseline: %.2f (the job takes %.1fx as long)%n%n",
                purge.rate() / delete.rate(), delete.rate() / purge.rate()));

        out.append(String.format(Locale.ROOT, "Storage on disk after archiving %s (%,d events loaded in all)%n",
                o.tenant(), (long) o.events() + o.loadEvents()));
        out.append(storage).append('\n');

        out.append(String.format(Locale.ROOT, "3. Ingest latency, tenant %s: %d writers, single-event POST, "
                + "%d ms pause after each%n", o.ingestTenant(), o.ingestWriters(), o.ingestPauseMillis()));
        out.append(String.format(Locale.ROOT, "   %-44s %8s %8s %8s %8s %8s %9s%n", "", "p50 ms", "p90 ms", "p99 ms",
                "max ms", "events", "events/s"));
        row(out, "baseline: no purge running", quiet);
        row(out, String.format(Locale.ROOT, "during purge of %s (%,d events)", o.purgeLoadTenant(), purgeU.events()),
                during);
        out.append(String.format(Locale.ROOT, "   ratio during / without: p50 %.2f, p99 %.2f%n",
                during.latency().percentileMs(50) / quiet.latency().percentileMs(50),
                during.latency().percentileMs(99) / quiet.latency().percentileMs(99)));
        out.append(String.format(Locale.ROOT, "   that purge, under ingest, drops %s's ended month whole: %,d "
                        + "events in %.1f s = %s events/s = %.2f of the plain DELETE baseline (%.2f of the event-by-event purge "
                        + "above); failed ingest requests %d without, %d during%n%n",
                o.purgeLoadTenant(), purgeU.events(), purgeU.durationMillis() / 1000.0, Stats.rate(purgeU.rate()),
                purgeU.rate() / delete.rate(), purgeU.rate() / purge.rate(), quiet.failed(), during.failed()));
        if (!"succeeded".equals(purge.status()) || !"succeeded".equals(purgeU.status())) {
            out.append("   NOTE: a purge job did not succeed; its error, as the service recorded it:\n");
            for (Job j : new Job[] {purge, purgeU}) {
                Matcher error = ERROR.matcher(j.body());
                if (error.find()) {
                    out.append("     ").append(error.group(1)).append('\n');
                }
            }
            out.append('\n');
        }
        out.append("Plan of the purge function's DELETE for the next 500 archived events after the run (EXPLAIN with "
                + "literal ids, as the owner):\n").append(purgePlan).append('\n');
        out.append("Phases (wall time, whole-machine CPU busy from /proc/stat, 1-minute load average):\n");
        out.append(phases);
        System.out.println(out);
    }

    private static void row(StringBuilder out, String label, PacedIngest.Result r) {
        Stats s = r.latency();
        out.append(String.format(Locale.ROOT, "   %-44s %8s %8s %8s %8s %8d %9s%n", label, Stats.ms(s.percentileMs(50)),
                Stats.ms(s.percentileMs(90)), Stats.ms(s.percentileMs(99)), Stats.ms(s.maxMs()), s.count(),
                Stats.rate(r.rate())));
    }

    private static void log(String message) {
        LogBenchmark.log(message);
    }
}
