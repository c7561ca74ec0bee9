package io.stenographer.bench.log;

import io.stenographer.domain.checkpoint.NoteVerifier;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.report.bundle.ReportBundleVerification;
import io.stenographer.domain.report.bundle.ReportBundleVerifier;
import java.io.BufferedInputStream;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Report benchmark (issue 5) against a running service; see bench/run-reports.sh. It bulk-loads N
 * (default 1,000,000) events into one tenant with {@link MillionLoader}, waits for the sequencer, then
 * asks for a public-records export of all of them as CSV and as a verifiable bundle, one after the
 * other, and measures for each: time from POST to status 'succeeded', file size, and the service's heap
 * (sampled from /q/metrics every 200 ms: heap used, and old-generation live data after GC). The bundle is
 * then downloaded and checked with the offline verifier's code (its time is reported too).
 */
public final class ReportBenchmark {

    private static final Pattern HEAP_USED = Pattern.compile(
            "(?m)^jvm_memory_used_bytes\\{area=\"heap\",[^}]*} ([0-9.E+]+)$");
    private static final Pattern HEAP_MAX = Pattern.compile(
            "(?m)^jvm_memory_max_bytes\\{area=\"heap\",[^}]*} ([0-9.E+-]+)$");
    private static final Pattern LIVE = Pattern.compile("(?m)^jvm_gc_live_data_size_bytes(?:\\{[^}]*})? ([0-9.E+]+)$");

    private ReportBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        String baseUrl = arg(args, "--base-url", "http://127.0.0.1:18100");
        String jdbcUrl = arg(args, "--jdbc-url", "jdbc:postgresql://127.0.0.1:18101/stenographer");
        String tenant = arg(args, "--tenant", "globex");
        int events = Integer.parseInt(arg(args, "--events", "1000000"));
        int spreadDays = Integer.parseInt(arg(args, "--spread-days", "100"));
        Path work = Path.of(arg(args, "--work-dir", "/tmp/steno-reportbench-files"));
        String command = arg(args, "--command", "(not given)");
        Service service = new Service(baseUrl);
        String started = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        StringBuilder out = new StringBuilder();

        log("== bulk load " + events + " events into '" + tenant + "' ==");
        long loadStart = System.nanoTime();
        try (Connection db = DriverManager.getConnection(jdbcUrl, "stenographer_owner", "")) {
            // Occurrence times spread evenly over spread-days, so one day holds events / spread-days of them.
            MillionLoader.Result load = new MillionLoader(db).load(new TenantId(tenant), 0, events, 20_000, events,
                    null, Duration.ofDays(spreadDays));
            log(String.format("COPY done in %.1f s", load.seconds()));
        }
        long size = 0;
        while (size < events) {
            Service.sleep(1_000);
            size = service.checkpointSize(tenant);
        }
        double integrate = (System.nanoTime() - loadStart) / 1e9;
        log(String.format("tree size %,d after %.1f s", size, integrate));

        out.append("Stenographer report benchmark (issue 5)\n");
        out.append("started ").append(started).append(", ").append(Runtime.getRuntime().availableProcessors())
                .append(" cores, Java ").append(System.getProperty("java.version")).append('\n');
        out.append("reproduce: ").append(command).append('\n');
        out.append(String.format(Locale.ROOT, "log: %,d events loaded and integrated in %.1f s; service heap max "
                + "(-Xmx) %.0f MiB%n", events, integrate, metric(service, HEAP_MAX) / 1048576.0));

        // Both reports are pinned to the same checkpoint (the first one's): the CSV report's own
        // report.requested/generated events land in the same tenant's log and must not count.
        Instant now = Instant.now();
        String wholeLog = "\"from\":\"" + now.minus(spreadDays + 1L, ChronoUnit.DAYS) + "\",\"to\":\""
                + now.plus(1, ChronoUnit.HOURS) + "\",\"pseudonymiseActors\":false";
        // One day in the middle of the spread: about events / spread-days events of the whole log.
        Instant dayStart = now.minus(spreadDays / 2L, ChronoUnit.DAYS);
        String oneDay = "\"from\":\"" + dayStart + "\",\"to\":\"" + dayStart.plus(1, ChronoUnit.DAYS)
                + "\",\"pseudonymiseActors\":false";
        String pin = "";
        for (String run : new String[] {"csv", "bundle", "csv 1 day"}) {
            String format = run.substring(0, run.indexOf(' ') < 0 ? run.length() : run.indexOf(' '));
            String period = run.endsWith("1 day") ? oneDay : wholeLog;
            String body = "{\"tenant\":\"" + tenant + "\",\"type\":\"foia-export\",\"format\":\"" + format
                    + "\",\"parameters\":{" + period + pin + "}}";
            AtomicLong maxUsed = new AtomicLong();
            AtomicLong maxLive = new AtomicLong();
            Thread sampler = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    try {
                        String metrics = service.get("/q/metrics", "scraper", Duration.ofSeconds(10)).body();
                        maxUsed.accumulateAndGet((long) sum(HEAP_USED, metrics), Math::max);
                        maxLive.accumulateAndGet((long) sum(LIVE, metrics), Math::max);
                        Thread.sleep(200);
                    } catch (InterruptedException e) {
                        return;
                    } catch (RuntimeException e) {
                        // a missed sample is not fatal
                    }
                }
            }, "heap-sampler");
            sampler.setDaemon(true);
            sampler.start();
            long t0 = System.nanoTime();
            HttpResponse<String> created = service.post("/api/v1/reports", "auditor", Duration.ofSeconds(60),
                    body.getBytes(StandardCharsets.UTF_8));
            if (created.statusCode() != 202) {
                throw new IllegalStateException("POST /api/v1/reports: " + created.statusCode() + " " + created.body());
            }
            String id = field(created.body(), "id");
            String status;
            String report;
            do {
                Service.sleep(100);
                report = service.get("/api/v1/reports/" + id, "auditor", Duration.ofSeconds(30)).body();
                status = field(report, "status");
            } while (!status.equals("succeeded") && !status.equals("failed"));
            double seconds = (System.nanoTime() - t0) / 1e9;
            sampler.interrupt();
            sampler.join();
            if (status.equals("failed")) {
                throw new IllegalStateException("report failed: " + report);
            }
            long eventCount = Long.parseLong(number(report, "eventCount"));
            pin = ",\"treeSize\":" + number(report, "treeSize");
            long bytes = Long.parseLong(number(report, "contentBytes"));
            log(String.format("%s: %,d events in %.1f s", run, eventCount, seconds));
            out.append(String.format(Locale.ROOT, "%-9s %,d events: POST -> succeeded %.1f s (%,.0f events/s); file "
                            + "%,.1f MB; service heap used max %.0f MiB (sampled), old-gen live data after GC max %.0f MiB%n",
                    run, eventCount, seconds, eventCount / seconds, bytes / 1e6, maxUsed.get() / 1048576.0,
                    maxLive.get() / 1048576.0));

            if (format.equals("bundle")) {
                Files.createDirectories(work);
                Path file = work.resolve(id + ".zip");
                HttpRequest download = HttpRequest.newBuilder(service.uri("/api/v1/reports/" + id + "/content"))
                        .header("Authorization", "Bearer " + service.token("auditor")).timeout(Duration.ofMinutes(30))
                        .GET().build();
                HttpResponse<Path> saved = service.http.send(download, HttpResponse.BodyHandlers.ofFile(file));
                if (saved.statusCode() != 200) {
                    throw new IllegalStateException("download: HTTP " + saved.statusCode());
                }
                NoteVerifier key = NoteVerifier.parse(service.get("/api/v1/logs/" + tenant + "/verifier-key", null,
                        Duration.ofSeconds(10)).body().strip());
                long v0 = System.nanoTime();
                ReportBundleVerification result;
                try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
                    result = new ReportBundleVerifier(key, null).verify(in);
                }
                double verify = (System.nanoTime() - v0) / 1e9;
                out.append(String.format(Locale.ROOT, "       offline verification of the downloaded bundle: %s in "
                        + "%.1f s (%,.0f events/s)%n", result.ok() ? "OK" : "FAILED " + result.failures(), verify,
                        result.events() / verify));
                Files.deleteIfExists(file);
            }
        }
        System.out.print(out);
    }

    private static double metric(Service service, Pattern pattern) {
        return sum(pattern, service.get("/q/metrics", "scraper", Duration.ofSeconds(10)).body());
    }

    private static double sum(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        double total = 0;
        while (m.find()) {
            double value = Double.parseDouble(m.group(1));
            if (value > 0) {
                total += value;
            }
        }
        return total;
    }

    private static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":\"([^\"]*)\"").matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("no " + name + " in " + json);
        }
        return m.group(1);
    }

    private static String number(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":([0-9]+)").matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("no " + name + " in " + json);
        }
        return m.group(1);
    }

    private static String arg(String[] args, String name, String fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }

    static void log(String message) {
        System.err.println("[reports " + LocalTime.now().withNano(0) + "] " + message);
    }
}
