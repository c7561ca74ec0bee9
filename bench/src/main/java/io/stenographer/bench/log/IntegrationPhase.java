package io.stenographer.bench.log;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Measurement 1 (issue 13's method): time to integrate under OPEN-LOOP load at fixed offered rates.
 *
 * <p>A scheduler thread releases batches of {@code --batch-size} events at their planned times (planned time k =
 * start + k x batch / rate), whatever the service answers; a pool of {@code --senders} threads posts them (a batch
 * waits in the pool's queue when all are busy, and that wait counts). Each event's latency runs from its batch's
 * PLANNED send time (no coordinated omission) to the first moment a client sees it in a signed checkpoint: a poller
 * reads the public {@code GET /api/v1/logs/{tenant}/checkpoint} every {@code --poll-ms} and records (time of the
 * answer, tree size); the event's leaf index (log_leaf, read afterwards by the event id from the receipt) is covered
 * by the first answer whose tree size exceeds it. The figure is therefore an upper bound by at most one poll
 * interval plus one round trip.
 *
 * <p>First the maximum sustainable ingest rate is searched: offered rates rise by {@code --rate-step-percent} from
 * {@code --rate-start} until one is not sustained for {@code --sustain-seconds}, then the gap is bisected
 * {@code --search-refine} times. Then {@code --rounds} rounds at 50% and at 80% of that rate, interleaved, each
 * {@code --measure-seconds} long. Baseline in the same run: single events sent 100-600 ms apart to an idle
 * service, measured the same way.
 */
final class IntegrationPhase {

    private static final Pattern CREATED = Pattern.compile("\"created\"\\s*:\\s*(\\d+)");
    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([0-9a-fA-F-]{36})\"");
    private static final int BODIES = 16;
    private static final long SAMPLE_NANOS = 500_000_000L;
    /** Bounded: the backlog's growth over the second half of the window is at most this share of the rate. */
    static final double MAX_SLOPE_SHARE = 0.05;
    /** Sustained: events accepted per second over the window (until the last answer) at least this share. */
    static final double MIN_ACHIEVED_SHARE = 0.95;

    /** One window at a fixed offered rate, and whether the backlog stayed bounded. */
    record Trial(double offered, double achieved, long planned, long accepted, long failedRequests,
            long firstHalfMaxBacklog, long secondHalfMaxBacklog, double slope, long maxQueue, boolean bounded,
            String why) {
    }

    /** Time to integrate of one round, in ms. */
    record Latency(long events, long notIntegrated, Stats stats, Stats postFromPlanned, double achieved,
            long failedRequests) {
    }

    record Level(String label, double share, double rate, double targetMs, List<Latency> rounds) {

        Rounds figure(java.util.function.ToDoubleFunction<Latency> f) {
            Rounds r = new Rounds();
            rounds.forEach(l -> r.add(f.applyAsDouble(l)));
            return r;
        }
    }

    record Result(Latency idle, List<Trial> search, double maxRate, boolean searched, List<Level> levels) {
    }

    private final LogOptions options;
    private final Service service;
    private final Connection db;
    private final String tenant;
    private final byte[][] bodies;
    private final Instant occurredAt = Instant.now().minus(1, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.MILLIS);

    IntegrationPhase(LogOptions options, Service service, Connection db) {
        this.options = options;
        this.service = service;
        this.db = db;
        this.tenant = options.ingestTenant();
        this.bodies = new byte[BODIES][];
        for (int b = 0; b < BODIES; b++) {
            bodies[b] = batchJson(tenant, "b" + b, options.batchSize(), occurredAt);
        }
    }

    Result run() throws Exception {
        // Warm-up outside every measured window: OIDC keys, JIT, connection pools.
        service.token("writer");
        for (int i = 0; i < 5; i++) {
            service.post("/api/v1/events", "writer", Duration.ofSeconds(30),
                    Events.eventJson(tenant, "warm", i, occurredAt).getBytes(StandardCharsets.UTF_8));
            service.post("/api/v1/events/batch", "writer", Duration.ofSeconds(60), bodies[i]);
        }
        waitForQueue(900);
        Service.sleep(1_000);

        log("idle baseline: " + options.idleEvents() + " single events, 100-600 ms apart");
        Latency idle = idle();
        log(String.format(Locale.ROOT, "idle: p50 %s / p99 %s ms", Stats.ms(idle.stats().percentileMs(50)),
                Stats.ms(idle.stats().percentileMs(99))));

        List<Trial> search = new ArrayList<>();
        double maxRate;
        boolean searched = options.maxRate() == 0;
        if (!searched) {
            maxRate = options.maxRate();
            log("maximum sustainable rate given: " + Stats.rate(maxRate) + " events/s (no search)");
        } else {
            maxRate = search(search);
        }
        List<Level> levels = List.of(
                new Level("50% of max", 0.5, round(maxRate * 0.5), 500, new ArrayList<>()),
                new Level("80% of max", 0.8, round(maxRate * 0.8), 1_000, new ArrayList<>()));
        for (int round = 1; round <= options.rounds(); round++) {
            for (Level level : levels) {
                log(String.format(Locale.ROOT, "time to integrate, round %d/%d: %s = %s events/s for %d s", round,
                        options.rounds(), level.label(), Stats.rate(level.rate()), options.measureSeconds()));
                Latency latency = measure(level.rate(), options.measureSeconds());
                log(String.format(Locale.ROOT, "  p50 %s / p90 %s / p99 %s ms (%,d events, %d not integrated)",
                        Stats.ms(latency.stats().percentileMs(50)), Stats.ms(latency.stats().percentileMs(90)),
                        Stats.ms(latency.stats().percentileMs(99)), latency.events(), latency.notIntegrated()));
                level.rounds().add(latency);
            }
        }
        return new Result(idle, search, maxRate, searched, levels);
    }

    // ---- maximum sustainable rate ------------------------------------------------------------------------

    private double search(List<Trial> trials) throws Exception {
        double good = 0;
        double bad = 0;
        double rate = options.rateStart();
        while (true) {
            Trial trial = trial(rate, trials);
            if (!trial.bounded()) {
                bad = rate;
                break;
            }
            good = rate;
            if (rate >= options.rateLimit()) {
                log("reached --rate-limit " + options.rateLimit() + "; the maximum may be higher");
                break;
            }
            rate = Math.min(options.rateLimit(), round(rate * (100 + options.rateStepPercent()) / 100.0));
        }
        if (good == 0) {
            for (rate = round(options.rateStart() / 2.0); rate >= 50; rate = round(rate / 2)) {
                Trial trial = trial(rate, trials);
                if (trial.bounded()) {
                    good = rate;
                    break;
                }
                bad = rate;
            }
            if (good == 0) {
                throw new IllegalStateException("no offered rate down to 50 events/s was sustained");
            }
        }
        for (int i = 0; i < options.searchRefine() && bad > 0; i++) {
            double mid = round((good + bad) / 2);
            if (mid <= good || mid >= bad) {
                break;
            }
            if (trial(mid, trials).bounded()) {
                good = mid;
            } else {
                bad = mid;
            }
        }
        log("maximum sustainable ingest rate: " + Stats.rate(good) + " events/s");
        return good;
    }

    private Trial trial(double rate, List<Trial> trials) throws Exception {
        log(String.format(Locale.ROOT, "rate search: %s events/s offered for %d s", Stats.rate(rate),
                options.sustainSeconds()));
        Window w = new Window(rate, options.sustainSeconds(), false);
        w.run();
        waitForQueue(1_800);
        Trial trial = w.trial();
        log(String.format(Locale.ROOT, "  %s: achieved %s events/s, backlog max %,d -> %,d (first/second half), "
                        + "slope %+.0f events/s, %d failed requests%s", trial.bounded() ? "bounded" : "NOT sustained",
                Stats.rate(trial.achieved()), trial.firstHalfMaxBacklog(), trial.secondHalfMaxBacklog(),
                trial.slope(), trial.failedRequests(), trial.bounded() ? "" : " (" + trial.why() + ")"));
        trials.add(trial);
        return trial;
    }

    // ---- time to integrate -------------------------------------------------------------------------------

    private Latency measure(double rate, int seconds) throws Exception {
        long sizeBefore = treeSizeInDb();
        Poller poller = new Poller();
        poller.start();
        Window w = new Window(rate, seconds, true);
        w.run();
        waitForQueue(1_800);
        List<UUID> ids = new ArrayList<>();
        List<Long> planned = new ArrayList<>();
        for (int k = 0; k < w.batches; k++) {
            if (w.ids[k] != null) {
                for (UUID id : w.ids[k]) {
                    ids.add(id);
                    planned.add(w.planned[k]);
                }
            }
        }
        Latency latency = latencies(ids, planned, sizeBefore, poller);
        long[] post = new long[w.batches];
        int n = 0;
        for (int k = 0; k < w.batches; k++) {
            if (w.done[k] > 0) {
                post[n++] = w.done[k] - w.planned[k];
            }
        }
        return new Latency(latency.events(), latency.notIntegrated(), latency.stats(), new Stats(post, n),
                w.achieved(), w.failedRequests.get());
    }

    private Latency idle() throws Exception {
        long sizeBefore = treeSizeInDb();
        Poller poller = new Poller();
        poller.start();
        List<UUID> ids = new ArrayList<>();
        List<Long> planned = new ArrayList<>();
        long[] post = new long[options.idleEvents()];
        for (int i = 0; i < options.idleEvents(); i++) {
            byte[] body = Events.eventJson(tenant, "idle", i, occurredAt).getBytes(StandardCharsets.UTF_8);
            long t0 = System.nanoTime();
            HttpResponse<String> response = service.post("/api/v1/events", "writer", Duration.ofSeconds(30), body);
            post[i] = System.nanoTime() - t0;
            Matcher id = ID.matcher(response.body());
            if (response.statusCode() != 201 || !id.find()) {
                throw new IllegalStateException("single event: HTTP " + response.statusCode() + " "
                        + Service.abbreviate(response.body()));
            }
            ids.add(UUID.fromString(id.group(1)));
            planned.add(t0);
            Service.sleep(100 + ThreadLocalRandom.current().nextLong(500));
        }
        waitForQueue(300);
        Latency latency = latencies(ids, planned, sizeBefore, poller);
        return new Latency(latency.events(), latency.notIntegrated(), latency.stats(), new Stats(post, post.length),
                Double.NaN, 0);
    }

    /** Stops the poller once it has seen the whole tree, then maps each event to the first answer covering it. */
    private Latency latencies(List<UUID> ids, List<Long> planned, long sizeBefore, Poller poller) throws Exception {
        long size = treeSizeInDb();
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (poller.latest() < size && System.nanoTime() < deadline) {
            Service.sleep(20);
        }
        poller.finish();
        Map<UUID, Long> indices = new HashMap<>(ids.size() * 2);
        try (PreparedStatement statement = db.prepareStatement(
                "SELECT event_id, leaf_index FROM log_leaf WHERE tenant = ? AND leaf_index >= ?")) {
            statement.setString(1, tenant);
            statement.setLong(2, sizeBefore);
            statement.setFetchSize(10_000);
            db.setAutoCommit(false);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    indices.put(rs.getObject(1, UUID.class), rs.getLong(2));
                }
            } finally {
                db.commit();
                db.setAutoCommit(true);
            }
        }
        long[] nanos = new long[ids.size()];
        int n = 0;
        long missing = 0;
        for (int i = 0; i < ids.size(); i++) {
            Long index = indices.get(ids.get(i));
            long seen = index == null ? -1 : poller.firstCovering(index);
            if (seen < 0) {
                missing++;
            } else {
                nanos[n++] = Math.max(0, seen - planned.get(i));
            }
        }
        return new Latency(ids.size(), missing, new Stats(nanos, n), null, Double.NaN, 0);
    }

    /** The open-loop window: planned batches, their answers, and backlog samples. */
    private final class Window {
        final double rate;
        final int seconds;
        final boolean collectIds;
        final int batches;
        final long interval;
        final long[] planned;
        final long[] done;
        final UUID[][] ids;
        final AtomicLong accepted = new AtomicLong();
        final AtomicLong failedRequests = new AtomicLong();
        final List<long[]> samples = new ArrayList<>(); // {t - start, queue depth, unanswered planned events}
        long start;
        long maxQueue;

        Window(double rate, int seconds, boolean collectIds) {
            this.rate = rate;
            this.seconds = seconds;
            this.collectIds = collectIds;
            this.batches = (int) Math.max(1, Math.round(rate * seconds / options.batchSize()));
            this.interval = (long) (options.batchSize() * 1e9 / rate);
            this.planned = new long[batches];
            this.done = new long[batches];
            this.ids = new UUID[batches][];
        }

        void run() throws Exception {
            ThreadPoolExecutor pool = new ThreadPoolExecutor(options.senders(), options.senders(), 60,
                    TimeUnit.SECONDS, new LinkedBlockingQueue<>());
            start = System.nanoTime() + 50_000_000L;
            Thread scheduler = new Thread(() -> {
                for (int k = 0; k < batches; k++) {
                    long at = start + k * interval;
                    long wait;
                    while ((wait = at - System.nanoTime()) > 0) {
                        LockSupport.parkNanos(wait);
                    }
                    planned[k] = at;
                    int batch = k;
                    pool.execute(() -> send(batch));
                }
            }, "open-loop-scheduler");
            scheduler.setDaemon(true);
            scheduler.start();
            long end = start + (long) seconds * 1_000_000_000L;
            for (long next = start; next < end; next += SAMPLE_NANOS) {
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                long now = System.nanoTime();
                long depth = LogBenchmark.queueDepth(db, tenant);
                long plannedEvents = Math.min(batches, (now - start) / interval + 1) * (long) options.batchSize();
                long answered = accepted.get() + failedRequests.get() * options.batchSize();
                samples.add(new long[] {now - start, depth, Math.max(0, plannedEvents - answered)});
                maxQueue = Math.max(maxQueue, depth);
            }
            scheduler.join();
            pool.shutdown();
            if (!pool.awaitTermination(30, TimeUnit.MINUTES)) {
                throw new IllegalStateException("batches still unanswered 30 minutes after the window");
            }
        }

        private void send(int k) {
            try {
                HttpResponse<String> response = service.post("/api/v1/events/batch", "writer",
                        Duration.ofSeconds(120), bodies[k % bodies.length]);
                long now = System.nanoTime();
                Matcher created = CREATED.matcher(response.body());
                if (response.statusCode() == 200 && created.find()) {
                    if (collectIds) {
                        List<UUID> found = new ArrayList<>(options.batchSize());
                        Matcher id = ID.matcher(response.body());
                        while (id.find()) {
                            found.add(UUID.fromString(id.group(1)));
                        }
                        ids[k] = found.toArray(UUID[]::new);
                    }
                    done[k] = now;
                    accepted.addAndGet(Long.parseLong(created.group(1)));
                } else {
                    failedRequests.incrementAndGet();
                    System.err.println("batch: HTTP " + response.statusCode() + " "
                            + Service.abbreviate(response.body()));
                }
            } catch (RuntimeException e) {
                failedRequests.incrementAndGet();
                System.err.println("batch: " + e);
            }
        }

        /** Accepted events per second from the start to the last answer (at least the window). */
        double achieved() {
            long last = start + (long) seconds * 1_000_000_000L;
            for (long d : done) {
                last = Math.max(last, d);
            }
            return accepted.get() / ((last - start) / 1e9);
        }

        Trial trial() {
            long firstMax = 0;
            long secondMax = 0;
            double half = seconds * 1e9 / 2;
            double sx = 0;
            double sy = 0;
            double sxx = 0;
            double sxy = 0;
            int m = 0;
            for (long[] s : samples) {
                long backlog = s[1] + s[2];
                if (s[0] < half) {
                    firstMax = Math.max(firstMax, backlog);
                } else {
                    secondMax = Math.max(secondMax, backlog);
                    double x = s[0] / 1e9;
                    sx += x;
                    sy += backlog;
                    sxx += x * x;
                    sxy += x * backlog;
                    m++;
                }
            }
            double slope = m >= 2 && m * sxx - sx * sx > 0 ? (m * sxy - sx * sy) / (m * sxx - sx * sx) : 0;
            double achieved = achieved();
            List<String> why = new ArrayList<>();
            if (failedRequests.get() > 0) {
                why.add(failedRequests.get() + " failed requests");
            }
            if (achieved < MIN_ACHIEVED_SHARE * rate) {
                why.add("ingest fell behind the offered rate");
            }
            if (slope > MAX_SLOPE_SHARE * rate) {
                why.add("backlog grew in the second half");
            }
            if (secondMax > 2 * firstMax + (long) rate) {
                why.add("backlog in the second half more than twice the first half's plus 1 s of load");
            }
            return new Trial(rate, achieved, (long) batches * options.batchSize(), accepted.get(),
                    failedRequests.get(), firstMax, secondMax, slope, maxQueue, why.isEmpty(), String.join("; ", why));
        }
    }

    /** Reads the latest checkpoint every --poll-ms: (time of the answer, tree size seen so far). */
    private final class Poller extends Thread {
        private long[] times = new long[1 << 16];
        private long[] sizes = new long[1 << 16];
        private int count;
        private volatile long latest;
        private volatile boolean stop;

        Poller() {
            super("checkpoint-poller");
            setDaemon(true);
        }

        @Override
        public void run() {
            long period = options.pollMillis() * 1_000_000L;
            long max = 0;
            while (!stop) {
                long t0 = System.nanoTime();
                try {
                    long size = service.checkpointSize(tenant);
                    long t1 = System.nanoTime();
                    max = Math.max(max, size);
                    synchronized (this) {
                        if (count == times.length) {
                            times = Arrays.copyOf(times, count * 2);
                            sizes = Arrays.copyOf(sizes, count * 2);
                        }
                        times[count] = t1;
                        sizes[count] = max;
                        count++;
                    }
                    latest = max;
                } catch (RuntimeException e) {
                    System.err.println("checkpoint poll: " + e);
                }
                long wait = t0 + period - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
            }
        }

        long latest() {
            return latest;
        }

        void finish() throws InterruptedException {
            stop = true;
            join();
        }

        /** Time of the first answer whose tree size covers leaf {@code index}, or -1. */
        synchronized long firstCovering(long index) {
            int lo = 0;
            int hi = count;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (sizes[mid] > index) {
                    hi = mid;
                } else {
                    lo = mid + 1;
                }
            }
            return lo < count ? times[lo] : -1;
        }
    }

    private long treeSizeInDb() throws SQLException {
        try (PreparedStatement statement = db.prepareStatement(
                "SELECT COALESCE(max(leaf_index) + 1, 0) FROM log_leaf WHERE tenant = ?")) {
            statement.setString(1, tenant);
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private void waitForQueue(int seconds) throws SQLException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (LogBenchmark.queueDepth(db, tenant) > 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("integration queue of " + tenant + " not empty after " + seconds
                        + " s");
            }
            Service.sleep(200);
        }
    }

    private static double round(double rate) {
        return rate >= 1_000 ? Math.round(rate / 100) * 100.0 : Math.round(rate / 10) * 10.0;
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

    /** The section of the report. */
    static String report(LogOptions o, Result r) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "1. Time to integrate, tenant %s: accepted -> first signed checkpoint "
                + "covering it, from the PLANNED send time (open loop, %d-event batches, up to %d in flight), seen by "
                + "polling GET .../checkpoint every %d ms%n", o.ingestTenant(), o.batchSize(), o.senders(),
                o.pollMillis()));
        if (r.searched()) {
            out.append(String.format(Locale.ROOT, "   maximum sustainable ingest rate: %s events/s (highest offered rate "
                    + "whose backlog = integration_queue + unanswered events stayed bounded for %d s: growth over the "
                    + "second half <= %.0f%% of the rate, second-half peak <= 2x first-half peak + 1 s of load, "
                    + "accepted >= %.0f%% of offered, no failed request)%n", Stats.rate(r.maxRate()),
                    o.sustainSeconds(), 100 * MAX_SLOPE_SHARE, 100 * MIN_ACHIEVED_SHARE));
            out.append(String.format(Locale.ROOT, "   %12s %12s %14s %14s %12s %12s  %s%n", "offered/s", "achieved/s",
                    "backlog 1st/2", "backlog 2nd/2", "slope/s", "queue peak", "verdict"));
            for (Trial t : r.search()) {
                out.append(String.format(Locale.ROOT, "   %12s %12s %,14d %,14d %+12.0f %,12d  %s%n",
                        Stats.rate(t.offered()), Stats.rate(t.achieved()), t.firstHalfMaxBacklog(),
                        t.secondHalfMaxBacklog(), t.slope(), t.maxQueue(),
                        t.bounded() ? "bounded" : "NOT sustained: " + t.why()));
            }
        } else {
            out.append(String.format(Locale.ROOT, "   maximum sustainable ingest rate: %s events/s, GIVEN by --max-rate "
                    + "(not searched in this run)%n", Stats.rate(r.maxRate())));
        }
        Stats idle = r.idle().stats();
        out.append(String.format(Locale.ROOT, "   baseline (same run): single events 100-600 ms apart, idle service: "
                        + "p50 %s / p90 %s / p99 %s / max %s ms over %d events (%d not integrated); POST p50 %s ms%n",
                Stats.ms(idle.percentileMs(50)), Stats.ms(idle.percentileMs(90)), Stats.ms(idle.percentileMs(99)),
                Stats.ms(idle.maxMs()), r.idle().events(), r.idle().notIntegrated(),
                Stats.ms(r.idle().postFromPlanned().percentileMs(50))));
        out.append(String.format(Locale.ROOT, "   %d round(s) of %d s per level, levels interleaved; median [min-max] "
                + "across rounds:%n", o.rounds(), o.measureSeconds()));
        out.append(String.format(Locale.ROOT, "   %-26s %-22s %-22s %-22s %-22s%n", "", "p50 ms", "p90 ms", "p99 ms",
                "max ms"));
        for (Level level : r.levels()) {
            out.append(String.format(Locale.ROOT, "   %-26s %-22s %-22s %-22s %-22s%n",
                    level.label() + " = " + Stats.rate(level.rate()) + "/s",
                    level.figure(l -> l.stats().percentileMs(50)).ms(), level.figure(l -> l.stats().percentileMs(90)).ms(),
                    level.figure(l -> l.stats().percentileMs(99)).ms(), level.figure(l -> l.stats().maxMs()).ms()));
        }
        for (Level level : r.levels()) {
            Rounds p99 = level.figure(l -> l.stats().percentileMs(99));
            Rounds ratio = level.figure(l -> l.stats().percentileMs(99) / idle.percentileMs(99));
            long events = level.rounds().stream().mapToLong(Latency::events).sum();
            long missing = level.rounds().stream().mapToLong(Latency::notIntegrated).sum();
            long failed = level.rounds().stream().mapToLong(Latency::failedRequests).sum();
            out.append(String.format(Locale.ROOT, "   %s: achieved %s events/s; batch POST from planned time p99 %s ms; "
                            + "%,d events, %d not integrated, %d failed requests; p99 / baseline p99 = %s; target "
                            + "p99 <= %.0f ms: %s (median), worst round %s ms%n", level.label(),
                    level.figure(Latency::achieved).rate(), level.figure(l -> l.postFromPlanned().percentileMs(99)).ms(),
                    events, missing, failed, ratio.ratio(), level.targetMs(),
                    p99.median() <= level.targetMs() ? "met" : "MISSED", Stats.ms(p99.max())));
        }
        return out.toString();
    }
}
