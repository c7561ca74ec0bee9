package io.stenographer.bench.archive;

import io.stenographer.bench.CommandLine;
import io.stenographer.bench.log.Service;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.SplittableRandom;

/**
 * Memory bounded by bytes (issue 14): a service started with a small heap (bench/run-memory.sh gives it -Xmx512m)
 * takes --events events of --metadata-bytes of metadata each, integrates, archives, verifies, purges and reads them
 * back, every step checked. It prints the heap the service used at most (sampled from its own metrics twice a
 * second) beside the size of the data it moved, so the ratio shows whether memory follows the data or stays bounded.
 */
public final class MemoryBenchmark {

    private static final Pattern ID = Pattern.compile("\"id\":\"([0-9a-f-]{36})\"");
    private static final Pattern STATUS = Pattern.compile("\"status\":\"([a-z]+)\"");
    private static final Pattern HEAP_USED = Pattern.compile(
            "^jvm_memory_used_bytes\\{area=\"heap\"[^}]*} ([0-9.E+]+)", Pattern.MULTILINE);
    private static final Pattern HEAP_MAX = Pattern.compile(
            "^jvm_memory_max_bytes\\{area=\"heap\"[^}]*} ([0-9.E+-]+)", Pattern.MULTILINE);

    private MemoryBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        CommandLine given = CommandLine.parse(args);
        String baseUrl = given.take("base-url", "http://127.0.0.1:18130");
        String command = given.take("command", "(not given)");
        String tenant = given.take("tenant", "acme");
        int events = given.positive("events", 10_000);
        int metadataBytes = given.positive("metadata-bytes", 65_000);
        int batch = given.positive("batch", 14);
        given.requireAllTaken();

        Service service = new Service(baseUrl);
        String started = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        List<String> steps = new ArrayList<>();
        HeapWatch heap = new HeapWatch(service);
        Thread watcher = new Thread(heap, "heap-watch");
        watcher.setDaemon(true);
        watcher.start();

        post(service, "admin", "/api/v1/retention-policies", "{\"id\":\"memory\",\"tenant\":\"" + tenant
                + "\",\"archiveAfter\":\"PT0S\",\"retainFor\":\"P7Y\",\"legalBasis\":\"benchmark\"}", 201);

        long t0 = System.nanoTime();
        List<String> ids = ingest(service, tenant, events, metadataBytes, batch);
        steps.add(step("ingest", t0, String.format(Locale.ROOT, "%,d events of %,d metadata bytes", ids.size(),
                metadataBytes), heap));

        t0 = System.nanoTime();
        long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
        while (service.checkpointSize(tenant) < events) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not integrated within 30 minutes");
            }
            Service.sleep(500);
        }
        steps.add(step("integrate", t0, "checkpoint covers every event", heap));

        t0 = System.nanoTime();
        String archived = job(service, "archive", tenant);
        steps.add(step("archive job", t0, archived, heap));

        t0 = System.nanoTime();
        String verified = post(service, "auditor", "/api/v1/logs/" + tenant + "/verifications",
                "{\"full\":true}", 200);
        if (!verified.contains("\"ok\":true")) {
            throw new IllegalStateException("verification found something: " + Service.abbreviate(verified));
        }
        steps.add(step("full verification", t0, "ok", heap));

        t0 = System.nanoTime();
        String purged = job(service, "purge", tenant);
        steps.add(step("purge job", t0, purged, heap));

        t0 = System.nanoTime();
        int readBack = 0;
        for (int i = 0; i < ids.size(); i += Math.max(1, ids.size() / 100)) {
            HttpResponse<String> event = service.get("/api/v1/events/" + ids.get(i) + "?proof=true", "auditor",
                    Duration.ofSeconds(120));
            if (event.statusCode() != 200 || event.body().length() < metadataBytes) {
                throw new IllegalStateException("read back " + ids.get(i) + ": HTTP " + event.statusCode());
            }
            readBack++;
        }
        HttpResponse<String> page = service.get("/api/v1/events?tenant=" + tenant + "&includeArchived=true&limit=50",
                "auditor", Duration.ofSeconds(120));
        if (page.statusCode() != 200) {
            throw new IllegalStateException("archived query: HTTP " + page.statusCode());
        }
        steps.add(step("read back", t0, readBack + " purged events with proofs from their segments, and a page of"
                + " the archived index", heap));
        heap.stop.set(true);

        StringBuilder out = new StringBuilder("\nStenographer memory benchmark (issue 14): bounded by bytes\n");
        out.append("started ").append(started).append(", ").append(Runtime.getRuntime().availableProcessors())
                .append(" cores, Java ").append(System.getProperty("java.version")).append('\n');
        out.append("reproduce: ").append(command).append("\n\n");
        double dataMiB = (double) events * metadataBytes / (1 << 20);
        out.append(String.format(Locale.ROOT, "data moved: %,d events x %,d bytes of metadata = %.0f MiB%n", events,
                metadataBytes, dataMiB));
        out.append(String.format(Locale.ROOT, "service heap: max %.0f MiB; used at most %.0f MiB (%,d samples) = "
                + "%.2f of the data moved%n%n", heap.max.get() / 1048576.0, heap.peak.get() / 1048576.0,
                heap.samples.get(), heap.peak.get() / 1048576.0 / dataMiB));
        out.append(String.format(Locale.ROOT, "%-20s %10s %12s  %s%n", "step", "seconds", "peak MiB", "result"));
        steps.forEach(line -> out.append(line).append('\n'));
        System.out.println(out);
    }

    private static List<String> ingest(Service service, String tenant, int events, int metadataBytes, int batch)
            throws Exception {
        List<String> ids = Collections.synchronizedList(new ArrayList<>());
        ExecutorService writers = Executors.newFixedThreadPool(2);
        List<Future<?>> sent = new ArrayList<>();
        for (int from = 0; from < events; from += batch) {
            int first = from;
            int last = Math.min(events, from + batch);
            sent.add(writers.submit(() -> {
                StringBuilder body = new StringBuilder("{\"events\":[");
                for (int i = first; i < last; i++) {
                    if (i > first) {
                        body.append(',');
                    }
                    // Distinct bytes per event, so compression cannot make the data small.
                    StringBuilder filler = new StringBuilder(metadataBytes);
                    SplittableRandom random = new SplittableRandom(i);
                    while (filler.length() < metadataBytes - 64) {
                        filler.append(Long.toString(random.nextLong() & Long.MAX_VALUE, 36));
                    }
                    body.append("{\"tenant\":\"").append(tenant).append("\",\"actor\":{\"id\":\"u-").append(i % 97)
                            .append("\",\"type\":\"user\"},\"action\":\"case.view\",\"outcome\":\"success\",")
                            .append("\"occurredAt\":\"").append(Instant.now().truncatedTo(ChronoUnit.MILLIS))
                            .append("\",\"source\":{\"application\":\"memory-bench\"},\"clientEventId\":\"m-")
                            .append(i).append("\",\"metadata\":{\"blob\":\"").append(filler).append("\"}}");
                }
                body.append("]}");
                String response = post(service, "writer", "/api/v1/events/batch", body.toString(), 200);
                Matcher id = ID.matcher(response);
                while (id.find()) {
                    ids.add(id.group(1));
                }
                return null;
            }));
        }
        for (Future<?> batchSent : sent) {
            batchSent.get();
        }
        writers.shutdown();
        if (ids.size() != events) {
            throw new IllegalStateException("recorded " + ids.size() + " of " + events + " events");
        }
        return ids;
    }

    private static String job(Service service, String job, String tenant) {
        String body = post(service, "admin", "/api/v1/jobs/" + job + "/runs?tenant="
                + URLEncoder.encode(tenant, StandardCharsets.UTF_8) + "&dryRun=false", "", 200);
        Matcher status = STATUS.matcher(body);
        if (!status.find() || !"succeeded".equals(status.group(1))) {
            throw new IllegalStateException(job + " job: " + Service.abbreviate(body));
        }
        return "succeeded";
    }

    private static String post(Service service, String user, String path, String json, int expected) {
        HttpResponse<String> response = service.post(path, user, Duration.ofMinutes(30),
                json.getBytes(StandardCharsets.UTF_8));
        if (response.statusCode() != expected && !(expected == 200 && response.statusCode() / 100 == 2)) {
            throw new IllegalStateException("POST " + path + ": HTTP " + response.statusCode() + " "
                    + Service.abbreviate(response.body()));
        }
        return response.body();
    }

    private static String step(String name, long startNanos, String result, HeapWatch heap) {
        String line = String.format(Locale.ROOT, "%-20s %10.1f %12.0f  %s", name,
                (System.nanoTime() - startNanos) / 1e9, heap.stepPeak.getAndSet(0) / 1048576.0, result);
        System.err.println("[memory-bench] " + line);
        return line;
    }

    /** Samples the service's heap from its Prometheus metrics (the metrics-reader user) twice a second. */
    private static final class HeapWatch implements Runnable {
        final AtomicLong peak = new AtomicLong();
        final AtomicLong stepPeak = new AtomicLong();
        final AtomicLong max = new AtomicLong();
        final AtomicLong samples = new AtomicLong();
        final AtomicBoolean stop = new AtomicBoolean();
        private final Service service;

        HeapWatch(Service service) {
            this.service = service;
        }

        @Override
        public void run() {
            while (!stop.get()) {
                try {
                    String metrics = service.get("/q/metrics", "scraper", Duration.ofSeconds(10)).body();
                    long used = 0;
                    Matcher m = HEAP_USED.matcher(metrics);
                    while (m.find()) {
                        used += (long) Double.parseDouble(m.group(1));
                    }
                    long heapMax = 0;
                    Matcher x = HEAP_MAX.matcher(metrics);
                    while (x.find()) {
                        heapMax += Math.max(0, (long) Double.parseDouble(x.group(1)));
                    }
                    max.set(heapMax);
                    long sample = used;
                    peak.accumulateAndGet(sample, Math::max);
                    stepPeak.accumulateAndGet(sample, Math::max);
                    samples.incrementAndGet();
                } catch (RuntimeException e) {
                    System.err.println("[memory-bench] heap sample failed: " + e.getMessage());
                }
                Service.sleep(500);
            }
        }
    }
}
