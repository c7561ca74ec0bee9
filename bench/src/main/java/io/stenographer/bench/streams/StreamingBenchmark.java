package io.stenographer.bench.streams;

import io.stenographer.bench.CommandLine;
import io.stenographer.bench.MachineLoad;
import io.stenographer.bench.ProcessCpu;
import io.stenographer.bench.log.Events;
import io.stenographer.bench.log.Service;
import io.stenographer.bench.log.Stats;
import io.stenographer.domain.json.JsonNumber;
import io.stenographer.domain.json.JsonObject;
import io.stenographer.domain.json.JsonParser;
import io.stenographer.domain.json.JsonString;
import io.stenographer.testing.TestCertificates;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToDoubleFunction;

/**
 * Issue 16's streaming targets against the packaged service, each beside its baseline in the same round:
 * <ol>
 *   <li>Delivery lag at {@code --rate} events/s, per transport (Kafka, Standard Webhooks over HTTPS, syslog over
 *       TLS): the receiver's first arrival of each event minus the acknowledgement of the ingest request that carried
 *       it; p99 &le; 2 s. Beside it, the publish lag of the same events (acknowledgement to the first signed checkpoint
 *       that covers them): the floor, since only published events are delivered.</li>
 *   <li>Catch-up after an outage of {@code --outage-events}: every sink paused, that many events ingested, then
 *       ingest at {@code --rate} events/s resumes and the sinks are resumed one after the other; events delivered per
 *       second until the sink has everything that was published when it was resumed; &ge; 10&times; the ingest rate
 *       measured beside it.</li>
 *   <li>Ingest p99 (per request) at {@code --rate} events/s into the tenant with 3 active sinks, against the same
 *       ingest into a tenant with none; &le; 1.10. The two phases alternate in order from round to round.</li>
 * </ol>
 * Ingest is {@code --batch} events a request (default 25, 40 requests/s at 1,000 events/s: four instances of the
 * project's client at 250 events/s each, whose 100 ms linger cuts batches of about 25).
 * The receivers are the project's test receivers ({@link Receivers}); the service was started by
 * {@code bench/run-streams.sh} trusting their certificate and allowing loopback targets.
 */
public final class StreamingBenchmark {

    private static final String SINK_TENANT = "acme";
    private static final String SINK_WRITER = "writer";
    private static final String ADMIN = "admin";
    private static final String PLAIN_TENANT = "globex";
    private static final String PLAIN_WRITER = "globex-writer";
    private static final Duration API_TIMEOUT = Duration.ofSeconds(60);

    private final Service service;
    private final String baseUrl;
    private final Options o;
    private final Ledger ledger = new Ledger();
    private final AtomicInteger sequence = new AtomicInteger(1);
    private final PacedLoad load;
    private final PublishWatch watch;
    private final ProcessCpu cpu;
    private final Map<String, String> sinkIds = new LinkedHashMap<>();
    private Receivers receivers;

    record Options(String baseUrl, String command, int rounds, int rate, int batch, int phaseSeconds,
            int warmupSeconds, int outageEvents, int outageBatch, int outageConcurrency, int maxCatchupSeconds,
            int drainSeconds, int pollMillis, Path receiversDir, long servicePid, long postgresPid) {
    }

    private StreamingBenchmark(Options o) {
        this.o = o;
        this.baseUrl = o.baseUrl();
        this.service = new Service(o.baseUrl());
        this.load = new PacedLoad(service, o.baseUrl(), ledger, sequence);
        this.watch = new PublishWatch(new Service(o.baseUrl()), o.pollMillis());
        this.cpu = new ProcessCpu(o.servicePid(), o.postgresPid());
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            CommandLine line = CommandLine.parse(args);
            options = new Options(line.take("base-url", "http://127.0.0.1:18140"),
                    line.take("command", "bench/run-streams.sh"), line.positive("rounds", 3),
                    line.positive("rate", 1_000), line.positive("batch", 25), line.positive("phase-seconds", 30),
                    line.positive("warmup-seconds", 20), line.positive("outage-events", 100_000),
                    line.positive("outage-batch", 1_000), line.positive("outage-concurrency", 2),
                    line.positive("max-catchup-seconds", 90), line.positive("drain-seconds", 60),
                    line.positive("poll-millis", 25), Path.of(line.take("receivers", "/tmp/steno-streambench-receivers")),
                    Long.parseLong(line.take("service-pid", "0")), Long.parseLong(line.take("postgres-pid", "0")));
            line.requireAllTaken();
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(64);
            return;
        }
        StreamingBenchmark bench = new StreamingBenchmark(options);
        int status;
        try {
            status = bench.run();
        } finally {
            bench.close();
        }
        System.exit(status);
    }

    // ---- one run ------------------------------------------------------------------------------------------------

    /** One phase of paced ingest into one tenant. */
    record Phase(String tenant, PacedLoad.Result load, double busy, double loadAverage, ProcessCpu.Sample cpu,
            Stats publishLag) {
        double p99() {
            return load.latency().percentileMs(99);
        }
    }

    /** One transport's delivery lag over a phase. */
    record Lag(Stats lag, long missing) {
    }

    /** One transport's catch-up: backlog {@code [from, to)} delivered in {@code seconds}, ingest beside it. */
    record CatchUp(long from, long to, double seconds, double ingestRate, boolean complete) {
        double rate() {
            return complete ? (to - from) / seconds : 0;
        }
    }

    record Round(int number, Phase none, Phase sinks, Stats exactPublishLag, Map<String, Lag> lags,
            Map<String, CatchUp> catchUps, long outageEvents, double outageIngestSeconds) {
    }

    private int run() throws Exception {
        printHeader();
        TestCertificates.Server certificate = ReceiverCertificate.load(o.receiversDir());
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        String hmacSecret = "whsec_" + Base64.getEncoder().encodeToString(key);
        log("starting the receivers (Kafka broker, webhook, syslog)");
        receivers = Receivers.start(o.receiversDir(), certificate, "audit-bench", hmacSecret, ledger);
        row("receivers", "Kafka " + receivers.kafka.bootstrapServers() + " (topic " + receivers.topic + ", 1 partition;"
                + " broker started in " + receivers.kafka.lastStartTime().toMillis() + " ms), webhook "
                + receivers.webhook.url() + " (HMAC v1), syslog 127.0.0.1:" + receivers.syslog.port());
        createSinks();
        System.out.println();

        log("warm-up (untimed): " + o.warmupSeconds() + " s of paced ingest into each tenant");
        load.run(SINK_TENANT, SINK_WRITER, o.rate(), o.batch(), o.warmupSeconds(), () -> false);
        load.run(PLAIN_TENANT, PLAIN_WRITER, o.rate(), o.batch(), o.warmupSeconds(), () -> false);
        settle(SINK_TENANT, true);

        List<Round> rounds = new ArrayList<>();
        for (int r = 1; r <= o.rounds(); r++) {
            rounds.add(round(r));
            printRound(rounds.get(rounds.size() - 1));
        }
        System.out.println();
        for (Arrivals a : receivers.all()) {
            System.out.println("receiver " + a.counts());
        }
        System.out.println("receivers: " + receivers.problems());
        printSinks();
        return printSummary(rounds);
    }

    private Round round(int r) throws Exception {
        boolean noneFirst = r % 2 == 1;
        Phase none = null;
        Phase sinks = null;
        Stats exact = null;
        Map<String, Lag> lags = new LinkedHashMap<>();
        for (int step = 0; step < 2; step++) {
            if ((step == 0) == noneFirst) {
                log("round " + r + ": " + o.phaseSeconds() + " s at " + o.rate() + " events/s into " + PLAIN_TENANT
                        + " (no sink)");
                none = phase(PLAIN_TENANT, PLAIN_WRITER, false);
            } else {
                log("round " + r + ": " + o.phaseSeconds() + " s at " + o.rate() + " events/s into " + SINK_TENANT
                        + " (3 active sinks)");
                sinks = phase(SINK_TENANT, SINK_WRITER, true);
                awaitDelivered(sinks.load());
                List<Long> publishLags = new ArrayList<>();
                for (Arrivals arrivals : receivers.all()) {
                    lags.put(arrivals.transport(), lag(arrivals, sinks.load(), publishLags, lags.isEmpty()));
                }
                exact = stats(publishLags);
            }
        }
        log("round " + r + ": outage of " + o.outageEvents() + " events, then catch-up while ingest goes on");
        long outageStart = System.nanoTime();
        Map<String, CatchUp> catchUps = outage(r);
        double outageSeconds = (System.nanoTime() - outageStart) / 1e9;
        return new Round(r, none, sinks, exact, lags, catchUps, o.outageEvents(), outageSeconds);
    }

    /** Paced ingest for the phase length, with the machine's load and the processes' CPU noted. */
    private Phase phase(String tenant, String user, boolean withSinks) throws Exception {
        settle(tenant, withSinks);
        watch.follow(tenant);
        long base = service.checkpointSize(tenant);
        Thread.sleep(500);
        MachineLoad before = MachineLoad.now();
        ProcessCpu.Sample cpuBefore = cpu.now();
        PacedLoad.Result result = load.run(tenant, user, o.rate(), o.batch(), o.phaseSeconds(), () -> false);
        ProcessCpu.Sample used = cpu.now().minus(cpuBefore);
        double busy = MachineLoad.now().busyPercentSince(before);
        double loadAverage = MachineLoad.loadAverage();
        long expected = base + result.okEvents();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(o.drainSeconds());
        while (watch.firstAtLeast(expected) == 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        // Publish lag from the order of acknowledgements: the request's events are published once the tree holds
        // every event acknowledged up to it (an upper bound, exact when requests commit in acknowledgement order).
        List<PacedLoad.Sent> acked = result.requests().stream().filter(PacedLoad.Sent::ok)
                .sorted((a, b) -> Long.compare(a.answeredNanos(), b.answeredNanos())).toList();
        List<Long> lags = new ArrayList<>();
        long cumulative = base;
        for (PacedLoad.Sent sent : acked) {
            cumulative += sent.events();
            long published = watch.firstAtLeast(cumulative);
            for (int i = 0; i < sent.events(); i++) {
                lags.add(published == 0 ? Long.MAX_VALUE : Math.max(0, published - sent.answeredNanos()));
            }
        }
        return new Phase(tenant, result, busy, loadAverage, cpu.enabled() ? used : null, stats(lags));
    }

    /** Waits until every transport has every event of the phase (at most --drain-seconds). */
    private void awaitDelivered(PacedLoad.Result result) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(o.drainSeconds());
        while (System.nanoTime() < deadline) {
            boolean all = true;
            for (Arrivals arrivals : receivers.all()) {
                all &= missing(arrivals, result) == 0;
            }
            if (all) {
                return;
            }
            Thread.sleep(100);
        }
        log("not every event of the phase was delivered within " + o.drainSeconds() + " s");
    }

    private long missing(Arrivals arrivals, PacedLoad.Result result) {
        long missing = 0;
        for (PacedLoad.Sent sent : result.requests()) {
            if (sent.ok()) {
                for (int s = sent.firstSeq(); s < sent.firstSeq() + sent.events(); s++) {
                    if (arrivals.arrivalOf(s) == 0) {
                        missing++;
                    }
                }
            }
        }
        return missing;
    }

    /**
     * Delivery lag per event: first arrival minus acknowledgement. With {@code collectPublish}, also the exact publish
     * lag of each delivered event (its leaf index is known from the record): first seen published minus acknowledged.
     */
    private Lag lag(Arrivals arrivals, PacedLoad.Result result, List<Long> publishLags, boolean collectPublish) {
        List<Long> lags = new ArrayList<>();
        long missing = 0;
        for (PacedLoad.Sent sent : result.requests()) {
            if (!sent.ok()) {
                continue;
            }
            for (int s = sent.firstSeq(); s < sent.firstSeq() + sent.events(); s++) {
                long acknowledged = ledger.acknowledgedAt(s);
                long arrived = arrivals.arrivalOf(s);
                if (arrived == 0) {
                    missing++;
                    continue;
                }
                lags.add(Math.max(0, arrived - acknowledged));
                long index = ledger.indexOf(s);
                if (collectPublish && index >= 0) {
                    long published = watch.firstAtLeast(index + 1);
                    publishLags.add(published == 0 ? Long.MAX_VALUE : Math.max(0, published - acknowledged));
                }
            }
        }
        return new Lag(stats(lags), missing);
    }

    /**
     * Pauses every sink, ingests the outage's events in batches as fast as the service takes them, waits until they
     * are published, starts paced ingest again, and resumes the sinks one at a time, each timed until it has every
     * index that was published when it was resumed.
     */
    private Map<String, CatchUp> outage(int r) throws Exception {
        settle(SINK_TENANT, true);
        for (String id : sinkIds.values()) {
            admin("/api/v1/sinks/" + id + "/pause");
        }
        Thread.sleep(1_000);
        long before = service.checkpointSize(SINK_TENANT);
        long ingestStart = System.nanoTime();
        long stored = bulkIngest("so" + r);
        double ingestSeconds = (System.nanoTime() - ingestStart) / 1e9;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
        while (service.checkpointSize(SINK_TENANT) < before + stored && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        double publishedAfter = (System.nanoTime() - ingestStart) / 1e9;
        log(String.format(Locale.ROOT, "round %d: %,d outage events stored in %.1f s (%.0f events/s), published after"
                + " %.1f s", r, stored, ingestSeconds, stored / ingestSeconds, publishedAfter));

        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService background = Executors.newSingleThreadExecutor();
        Future<PacedLoad.Result> paced = background.submit(() -> load.run(SINK_TENANT, SINK_WRITER, o.rate(),
                o.batch(), 3.0 * o.maxCatchupSeconds() + 60, stop::get));
        Thread.sleep(3_000);
        Map<String, long[]> windows = new LinkedHashMap<>();
        Map<String, CatchUp> catchUps = new LinkedHashMap<>();
        try {
            for (Arrivals arrivals : receivers.all()) {
                String transport = arrivals.transport();
                long resumedAt = System.nanoTime();
                JsonObject status = (JsonObject) admin("/api/v1/sinks/" + sinkIds.get(transport) + "/resume")
                        .get("status");
                long from = number(status, "cursor");
                long to = number(status, "publishedSize");
                long limit = resumedAt + TimeUnit.SECONDS.toNanos(o.maxCatchupSeconds());
                long done = 0;
                while (System.nanoTime() < limit) {
                    if (arrivals.frontier() >= to) {
                        done = arrivals.completedAt(from, to);
                        break;
                    }
                    Thread.sleep(20);
                }
                double seconds = ((done == 0 ? System.nanoTime() : done) - resumedAt) / 1e9;
                windows.put(transport, new long[] {resumedAt, done == 0 ? System.nanoTime() : done});
                catchUps.put(transport, new CatchUp(from, to, seconds, Double.NaN, done != 0));
                log(String.format(Locale.ROOT, "round %d: %s caught up %,d events in %.1f s (%s)", r, transport,
                        to - from, seconds, done != 0 ? String.format(Locale.ROOT, "%.0f events/s",
                                (to - from) / seconds) : "NOT within " + o.maxCatchupSeconds() + " s"));
            }
        } finally {
            stop.set(true);
            for (String id : sinkIds.values()) {
                admin("/api/v1/sinks/" + id + "/resume"); // idempotent for active sinks, in case one was not resumed
            }
        }
        PacedLoad.Result result = paced.get(5, TimeUnit.MINUTES);
        background.shutdown();
        Map<String, CatchUp> withIngest = new LinkedHashMap<>();
        for (Map.Entry<String, CatchUp> e : catchUps.entrySet()) {
            long[] window = windows.get(e.getKey());
            CatchUp c = e.getValue();
            withIngest.put(e.getKey(), new CatchUp(c.from(), c.to(), c.seconds(),
                    result.rateBetween(window[0], window[1]), c.complete()));
        }
        if (result.failures() > 0) {
            log("round " + r + ": " + result.failures() + " paced ingest requests failed during the catch-up");
        }
        return withIngest;
    }

    /** {@code --outage-events} events in batches from {@code --outage-concurrency} connections; events stored. */
    private long bulkIngest(String prefix) throws Exception {
        Instant occurredAt = Instant.now().minus(1, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.MILLIS);
        int batches = (o.outageEvents() + o.outageBatch() - 1) / o.outageBatch();
        AtomicInteger next = new AtomicInteger();
        AtomicInteger storedEvents = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(o.outageConcurrency());
        List<Future<?>> senders = new ArrayList<>();
        for (int c = 0; c < o.outageConcurrency(); c++) {
            senders.add(pool.submit(() -> {
                for (int b = next.getAndIncrement(); b < batches; b = next.getAndIncrement()) {
                    int from = b * o.outageBatch();
                    int to = Math.min(o.outageEvents(), from + o.outageBatch());
                    StringBuilder body = new StringBuilder((to - from) * 560).append("{\"events\":[");
                    for (int i = from; i < to; i++) {
                        body.append(i == from ? "" : ",").append(Events.eventJson(SINK_TENANT, prefix, i, occurredAt));
                    }
                    HttpResponse<String> response = service.post("/api/v1/events/batch", SINK_WRITER, API_TIMEOUT,
                            body.append("]}").toString().getBytes(StandardCharsets.UTF_8));
                    if (response.statusCode() != 200 || !response.body().contains("\"rejected\":0")) {
                        throw new IllegalStateException("outage batch: HTTP " + response.statusCode() + " "
                                + Service.abbreviate(response.body()));
                    }
                    storedEvents.addAndGet(to - from);
                }
                return null;
            }));
        }
        for (Future<?> sender : senders) {
            sender.get(30, TimeUnit.MINUTES);
        }
        pool.shutdown();
        return storedEvents.get();
    }

    /**
     * Waits (at most --drain-seconds) until the tenant's published tree stopped growing for 1.5 s and, with sinks,
     * every receiver has every index up to it; then one more second.
     */
    private void settle(String tenant, boolean withSinks) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(o.drainSeconds());
        long last = -1;
        long stableSince = System.nanoTime();
        while (System.nanoTime() < deadline) {
            long size = service.checkpointSize(tenant);
            if (size != last) {
                last = size;
                stableSince = System.nanoTime();
            }
            boolean delivered = true;
            if (withSinks) {
                for (Arrivals arrivals : receivers.all()) {
                    delivered &= arrivals.frontier() >= size;
                }
            }
            if (delivered && System.nanoTime() - stableSince >= 1_500_000_000L) {
                break;
            }
            Thread.sleep(250);
        }
        if (System.nanoTime() >= deadline) {
            log("settling " + tenant + " took longer than " + o.drainSeconds() + " s; going on");
        }
        Thread.sleep(1_000);
    }

    // ---- sinks --------------------------------------------------------------------------------------------------

    private void createSinks() {
        String kafka = "{\"tenant\":\"" + SINK_TENANT + "\",\"name\":\"bench-kafka\",\"transport\":\"kafka\","
                + "\"format\":\"native\",\"target\":{\"bootstrapServers\":[\"" + receivers.kafka.bootstrapServers()
                + "\"],\"topic\":\"" + receivers.topic + "\",\"tls\":false}}";
        String webhook = "{\"tenant\":\"" + SINK_TENANT + "\",\"name\":\"bench-webhook\",\"transport\":\"webhook\","
                + "\"format\":\"native\",\"target\":{\"url\":\"" + receivers.webhook.url() + "\"},\"secrets\":[\""
                + receivers.hmacSecret + "\"]}";
        String syslog = "{\"tenant\":\"" + SINK_TENANT + "\",\"name\":\"bench-syslog\",\"transport\":\"syslog\","
                + "\"format\":\"native\",\"target\":{\"address\":\"127.0.0.1:" + receivers.syslog.port() + "\"}}";
        Map<String, String> requests = Map.of("kafka", kafka, "webhook", webhook, "syslog", syslog);
        for (Arrivals arrivals : receivers.all()) {
            HttpResponse<String> created = service.post("/api/v1/sinks", ADMIN, API_TIMEOUT,
                    requests.get(arrivals.transport()).getBytes(StandardCharsets.UTF_8));
            if (created.statusCode() != 201) {
                throw new IllegalStateException("creating the " + arrivals.transport() + " sink: HTTP "
                        + created.statusCode() + " " + Service.abbreviate(created.body()));
            }
            JsonObject sink = (JsonObject) JsonParser.parse(created.body(), 64);
            sinkIds.put(arrivals.transport(), ((JsonString) sink.get("id")).value());
            arrivals.startAt(number((JsonObject) sink.get("status"), "cursor"));
            JsonObject settings = (JsonObject) sink.get("settings");
            row("sink " + arrivals.transport(), ((JsonString) sink.get("id")).value() + ", format native, batchSize "
                    + number(settings, "batchSize") + ", checkpoint every " + number(settings, "checkpointEveryRecords")
                    + " records or " + ((JsonString) settings.get("checkpointEvery")).value() + ", from index "
                    + number((JsonObject) sink.get("status"), "cursor"));
        }
    }

    private JsonObject admin(String path) {
        HttpResponse<String> response = service.post(path, ADMIN, API_TIMEOUT, "{}".getBytes(StandardCharsets.UTF_8));
        if (response.statusCode() != 200) {
            throw new IllegalStateException("POST " + path + ": HTTP " + response.statusCode() + " "
                    + Service.abbreviate(response.body()));
        }
        return (JsonObject) JsonParser.parse(response.body(), 64);
    }

    private static long number(JsonObject object, String name) {
        return (long) ((JsonNumber) object.get(name)).value();
    }

    private void printSinks() {
        for (String id : sinkIds.values()) {
            JsonObject status = (JsonObject) ((JsonObject) JsonParser.parse(service.get("/api/v1/sinks/" + id, ADMIN,
                    API_TIMEOUT).body(), 64)).get("status");
            System.out.println("sink " + id + " at the end: delivered " + number(status, "delivered") + ", failed "
                    + number(status, "failed") + ", cursor " + number(status, "cursor") + " of "
                    + number(status, "publishedSize") + (status.get("lastError") instanceof JsonString e
                    ? ", last error: " + Service.abbreviate(e.value()) : ""));
        }
    }

    // ---- report -------------------------------------------------------------------------------------------------

    private static Stats stats(List<Long> nanos) {
        long[] values = nanos.stream().mapToLong(Long::longValue).toArray();
        return new Stats(values, values.length);
    }

    private void printHeader() {
        System.out.println("== Stenographer streaming benchmark (issue 16) ==");
        row("date", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        row("machine", Runtime.getRuntime().availableProcessors() + " CPUs (" + MachineLoad.cpuModel() + "), "
                + String.format(Locale.ROOT, "1-min load average %.2f at start", MachineLoad.loadAverage()));
        row("bench JVM", System.getProperty("java.vm.name") + " " + System.getProperty("java.version")
                + ", max heap " + Runtime.getRuntime().maxMemory() / (1 << 20) + " MiB");
        row("service", baseUrl + " (tokens from " + System.getProperty(Service.TOKEN_BASE_PROPERTY, "?") + ")");
        row("workload", String.format(Locale.ROOT, "rounds=%d rate=%d events/s in requests of %d (%d requests/s,"
                + " open loop) phase=%d s warm-up=%d s/tenant outage=%,d events (batches of %d, %d connections)"
                + " max-catchup=%d s publish-poll=%d ms", o.rounds(), o.rate(), o.batch(), o.rate() / o.batch(),
                o.phaseSeconds(), o.warmupSeconds(), o.outageEvents(), o.outageBatch(), o.outageConcurrency(),
                o.maxCatchupSeconds(), o.pollMillis()));
        row("tenants", SINK_TENANT + " has the 3 sinks; " + PLAIN_TENANT + " has none (the baseline of target 3)");
        row("command", o.command());
    }

    private void printRound(Round r) {
        System.out.printf(Locale.ROOT, "%nround %d (%s first)%n", r.number(), r.number() % 2 == 1 ? "no sink"
                : "3 sinks");
        for (Phase p : List.of(r.none(), r.sinks())) {
            Stats latency = p.load().latency();
            System.out.printf(Locale.ROOT, "  ingest into %-7s %s: %,d events in %.1f s = %.0f events/s, %d failed"
                    + " requests; per request p50 %s ms, p99 %s ms, max %s ms; publish lag p50 %s ms, p99 %s ms;"
                    + " busy %.0f%%, load %.2f%s%n", p.tenant(), p == r.none() ? "(no sink)" : "(3 sinks)",
                    p.load().okEvents(), p.load().seconds(), p.load().rate(), p.load().failures(),
                    Stats.ms(latency.percentileMs(50)), Stats.ms(latency.percentileMs(99)),
                    Stats.ms(latency.maxMs()), Stats.ms(p.publishLag().percentileMs(50)),
                    Stats.ms(p.publishLag().percentileMs(99)), p.busy(), p.loadAverage(), cpuText(p));
        }
        System.out.printf(Locale.ROOT, "  published (exact, per delivered event): p50 %s ms, p99 %s ms, max %s ms%n",
                Stats.ms(r.exactPublishLag().percentileMs(50)), Stats.ms(r.exactPublishLag().percentileMs(99)),
                Stats.ms(r.exactPublishLag().maxMs()));
        for (Map.Entry<String, Lag> e : r.lags().entrySet()) {
            Stats lag = e.getValue().lag();
            System.out.printf(Locale.ROOT, "  delivery lag %-8s p50 %s ms, p90 %s ms, p99 %s ms, max %s ms over %,d"
                    + " events; %d not delivered%n", e.getKey(), Stats.ms(lag.percentileMs(50)),
                    Stats.ms(lag.percentileMs(90)), Stats.ms(lag.percentileMs(99)), Stats.ms(lag.maxMs()),
                    lag.count(), e.getValue().missing());
        }
        for (Map.Entry<String, CatchUp> e : r.catchUps().entrySet()) {
            CatchUp c = e.getValue();
            System.out.printf(Locale.ROOT, "  catch-up %-8s %,d events [%d, %d) in %.1f s = %s events/s, ingest beside"
                    + " it %.0f events/s, ratio %s%n", e.getKey(), c.to() - c.from(), c.from(), c.to(), c.seconds(),
                    c.complete() ? String.format(Locale.ROOT, "%.0f", c.rate()) : "NOT CAUGHT UP",
                    c.ingestRate(), c.complete() ? String.format(Locale.ROOT, "%.1f", c.rate() / c.ingestRate())
                            : "-");
        }
        System.out.flush();
    }

    private static String cpuText(Phase p) {
        if (p.cpu() == null) {
            return "";
        }
        double perThousand = 1000.0 / Math.max(1, p.load().okEvents()) * 1000.0;
        return String.format(Locale.ROOT, "; CPU ms per 1,000 events: service %.0f, PostgreSQL %.0f, bench %.0f",
                p.cpu().service() * perThousand, p.cpu().postgres() * perThousand, p.cpu().bench() * perThousand);
    }

    private int printSummary(List<Round> rounds) {
        System.out.printf(Locale.ROOT, "%nmedian [min-max] of %d rounds (verdict on the median):%n", rounds.size());
        boolean pass = true;
        for (String t : List.of("kafka", "webhook", "syslog")) {
            pass &= summary("1. delivery lag p99, " + t + " (ms)", rounds, r -> r.lags().get(t).lag().percentileMs(99),
                    "publish lag p99 (ms)", r -> r.exactPublishLag().percentileMs(99), "<= 2000 ms",
                    m -> m <= 2000 && rounds.stream().allMatch(r -> r.lags().get(t).missing() == 0));
        }
        for (String t : List.of("kafka", "webhook", "syslog")) {
            pass &= summary("2. catch-up, " + t + " (events/s)", rounds, r -> r.catchUps().get(t).rate(),
                    "ingest beside it (events/s)", r -> r.catchUps().get(t).ingestRate(), ">= 10x ingest",
                    m -> median(rounds.stream().mapToDouble(r -> r.catchUps().get(t).rate()
                            / r.catchUps().get(t).ingestRate()).toArray()) >= 10);
        }
        pass &= summary("3. ingest p99, 3 sinks (ms)", rounds, r -> r.sinks().p99(), "ingest p99, no sink (ms)",
                r -> r.none().p99(), "<= 1.10x", m -> median(rounds.stream().mapToDouble(r -> r.sinks().p99()
                        / r.none().p99()).toArray()) <= 1.10);
        long failures = rounds.stream().mapToLong(r -> r.none().load().failures() + r.sinks().load().failures()).sum();
        System.out.printf(Locale.ROOT, "failed ingest requests in the measured phases: %d%n", failures);
        System.out.println("overall: " + (pass && failures == 0 ? "PASS" : "MISS (see the lines above)"));
        return 0;
    }

    private static boolean summary(String name, List<Round> rounds, ToDoubleFunction<Round> measured,
            String baselineName, ToDoubleFunction<Round> baseline, String target,
            java.util.function.DoublePredicate verdict) {
        double[] m = rounds.stream().mapToDouble(measured).sorted().toArray();
        double[] b = rounds.stream().mapToDouble(baseline).sorted().toArray();
        double[] ratio = rounds.stream().mapToDouble(r -> measured.applyAsDouble(r) / baseline.applyAsDouble(r))
                .sorted().toArray();
        boolean ok = verdict.test(median(m));
        System.out.printf(Locale.ROOT, "  %-36s %9.1f [%.1f-%.1f]   beside: %-28s %8.1f [%.1f-%.1f]   ratio %.2f"
                + " [%.2f-%.2f]   target %-14s %s%n", name, median(m), m[0], m[m.length - 1], baselineName,
                median(b), b[0], b[b.length - 1], median(ratio), ratio[0], ratio[ratio.length - 1], target,
                ok ? "PASS" : "MISS");
        return ok;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    private static void row(String name, String value) {
        System.out.printf(Locale.ROOT, "%-10s %s%n", name + ":", value);
    }

    private static void log(String message) {
        System.err.println("[streams " + Instant.now().truncatedTo(ChronoUnit.SECONDS) + "] " + message);
    }

    private void close() {
        watch.close();
        if (receivers != null) {
            receivers.close();
        }
    }
}
