package io.stenographer.bench.log;

import io.stenographer.domain.json.JsonArray;
import io.stenographer.domain.json.JsonNumber;
import io.stenographer.domain.json.JsonObject;
import io.stenographer.domain.json.JsonParser;
import io.stenographer.domain.json.JsonString;
import io.stenographer.domain.json.JsonValue;
import io.stenographer.domain.merkle.ConsistencyProof;
import io.stenographer.domain.merkle.Hash;
import io.stenographer.domain.merkle.InclusionProof;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Measurement 2: inclusion and consistency proof latency over loopback HTTP, sequential, after warm-up, in
 * {@code --rounds} rounds of {@code --proofs} requests of each kind. The kinds are interleaved in rotating order so
 * that all see the same machine:
 * <ul>
 *   <li>the BASELINE: an authenticated request that does no work, {@code GET
 *       /api/v1/logs/{--baseline-tenant}/proof/inclusion?index=0} with the proof tenant's auditor token: the service
 *       verifies the JWT and refuses it (403) at the role/tenant check, before any database work;</li>
 *   <li>references: {@code GET /q/health/live} (bare HTTP) and {@code GET .../checkpoint} with a token;</li>
 *   <li>inclusion (random index, latest size) and consistency (random published size to the latest).</li>
 * </ul>
 * Targets (issue 13): p50 within 0.5 ms of the baseline's p50, p99 at most 1.5x the baseline's p99. Every proof is
 * verified afterwards with the domain's RFC 9162 code (outside the timing).
 */
final class ProofPhase {

    /** One round: the latencies of each kind. */
    record Round(Stats baseline, Stats health, Stats checkpoint, Stats inclusion, Stats consistency, String slow) {
    }

    record Result(long treeSize, int publishedSizes, List<Round> rounds, int inclusionVerified,
            int consistencyVerified, int requestsPerKind, int failures, double meanInclusionPath,
            double meanConsistencyPath) {

        Rounds figure(java.util.function.ToDoubleFunction<Round> f) {
            Rounds r = new Rounds();
            rounds.forEach(round -> r.add(f.applyAsDouble(round)));
            return r;
        }
    }

    /** Requests slower than this are counted per tenth of the timed sequence, to tell a stall from a tail. */
    static final long SLOW_NANOS = 20_000_000L;

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final LogOptions options;
    private final Service service;
    private final Connection db;
    private int failures;

    ProofPhase(LogOptions options, Service service, Connection db) {
        this.options = options;
        this.service = service;
        this.db = db;
    }

    Result run() throws Exception {
        String tenant = options.proofTenant();
        long size = service.checkpointSize(tenant);
        List<Long> published = new ArrayList<>();
        try (PreparedStatement statement = db.prepareStatement(
                "SELECT tree_size FROM log_checkpoint WHERE tenant = ? AND tree_size BETWEEN 1 AND ? ORDER BY 1")) {
            statement.setString(1, tenant);
            statement.setLong(2, size);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    published.add(rs.getLong(1));
                }
            }
        }
        LogBenchmark.log(String.format("proofs against tree size %,d (%d published sizes): %d warm-up + %d rounds x %d "
                + "timed each", size, published.size(), options.warmup(), options.rounds(), options.proofs()));
        service.token("auditor");
        SplittableRandom random = new SplittableRandom(42 + size);
        String baselinePath = baselinePath(options.baselineTenant());
        for (int i = 0; i < options.warmup(); i++) {
            call(baselinePath, "auditor", 403);
            call(healthPath(), null, 200);
            call(checkpointPath(tenant), Service.LOG_WATCHER, 200);
            call(inclusionPath(tenant, random.nextLong(size), size), "auditor", 200);
            call(consistencyPath(tenant, published.get(random.nextInt(published.size())), size), "auditor", 200);
        }
        failures = 0;
        int n = options.proofs();
        List<Round> rounds = new ArrayList<>();
        int inclusionOk = 0;
        int consistencyOk = 0;
        long inclusionPathLength = 0;
        long consistencyPathLength = 0;
        for (int round = 0; round < options.rounds(); round++) {
            long[] baseline = new long[n];
            long[] health = new long[n];
            long[] checkpoint = new long[n];
            long[] inclusion = new long[n];
            long[] consistency = new long[n];
            String[] inclusionBodies = new String[n];
            String[] consistencyBodies = new String[n];
            for (int i = 0; i < n; i++) {
                String inclusionPath = inclusionPath(tenant, random.nextLong(size), size);
                String consistencyPath = consistencyPath(tenant, published.get(random.nextInt(published.size())), size);
                // Rotate the order so no kind always runs first (or right after another kind).
                for (int k = 0; k < 5; k++) {
                    long t0 = System.nanoTime();
                    switch ((i + k) % 5) {
                        case 0 -> {
                            call(baselinePath, "auditor", 403);
                            baseline[i] = System.nanoTime() - t0;
                        }
                        case 1 -> {
                            call(healthPath(), null, 200);
                            health[i] = System.nanoTime() - t0;
                        }
                        case 2 -> {
                            call(checkpointPath(tenant), Service.LOG_WATCHER, 200);
                            checkpoint[i] = System.nanoTime() - t0;
                        }
                        case 3 -> {
                            inclusionBodies[i] = call(inclusionPath, "auditor", 200);
                            inclusion[i] = System.nanoTime() - t0;
                        }
                        default -> {
                            consistencyBodies[i] = call(consistencyPath, "auditor", 200);
                            consistency[i] = System.nanoTime() - t0;
                        }
                    }
                }
            }
            // Verify every answer with the domain's proof checks.
            for (int i = 0; i < n; i++) {
                if (inclusionBodies[i] != null) {
                    JsonObject json = (JsonObject) JsonParser.parse(inclusionBodies[i], 8);
                    List<Hash> path = hashes(json.get("inclusionProof"));
                    inclusionPathLength += path.size();
                    InclusionProof proof = new InclusionProof(number(json, "leafIndex"), number(json, "treeSize"),
                            path);
                    if (proof.verify(Hash.fromHex(text(json, "leafHash")), Hash.fromBase64(text(json, "rootHash")))) {
                        inclusionOk++;
                    }
                }
                if (consistencyBodies[i] != null) {
                    JsonObject json = (JsonObject) JsonParser.parse(consistencyBodies[i], 8);
                    List<Hash> path = hashes(json.get("proof"));
                    consistencyPathLength += path.size();
                    ConsistencyProof proof = new ConsistencyProof(number(json, "fromSize"), number(json, "toSize"),
                            path);
                    if (proof.verify(Hash.fromBase64(text(json, "fromRootHash")),
                            Hash.fromBase64(text(json, "toRootHash")))) {
                        consistencyOk++;
                    }
                }
            }
            String slow = "baseline " + slowByTenth(baseline) + "; inclusion " + slowByTenth(inclusion)
                    + "; consistency " + slowByTenth(consistency);
            Round r = new Round(new Stats(baseline, n), new Stats(health, n), new Stats(checkpoint, n),
                    new Stats(inclusion, n), new Stats(consistency, n), slow);
            LogBenchmark.log(String.format("  round %d: baseline p50 %s / p99 %s ms; inclusion %s / %s; consistency "
                            + "%s / %s", round + 1, Stats.ms(r.baseline().percentileMs(50)),
                    Stats.ms(r.baseline().percentileMs(99)), Stats.ms(r.inclusion().percentileMs(50)),
                    Stats.ms(r.inclusion().percentileMs(99)), Stats.ms(r.consistency().percentileMs(50)),
                    Stats.ms(r.consistency().percentileMs(99))));
            rounds.add(r);
        }
        int total = n * options.rounds();
        failures += (total - inclusionOk) + (total - consistencyOk);
        return new Result(size, published.size(), rounds, inclusionOk, consistencyOk, total, failures,
                (double) inclusionPathLength / total, (double) consistencyPathLength / total);
    }

    /** The section of the report for one size. */
    static String report(LogOptions o, Result p) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "   Proof latency at tree size %,d: %d round(s) x %d sequential requests "
                        + "of each kind after %d warm-up, interleaved, loopback HTTP/1.1 keep-alive; median [min-max] "
                        + "across rounds%n", p.treeSize(), p.rounds().size(), o.proofs(), o.warmup()));
        out.append(String.format(Locale.ROOT, "   %-46s %-22s %-22s %-22s%n", "", "p50 ms", "p90 ms", "p99 ms"));
        row(out, "BASELINE: authenticated, refused 403, no work", p, Round::baseline);
        row(out, "ref.: GET /q/health/live", p, Round::health);
        row(out, "ref.: GET .../checkpoint (token)", p, Round::checkpoint);
        row(out, String.format(Locale.ROOT, "inclusion (random index, %.1f hashes)", p.meanInclusionPath()), p,
                Round::inclusion);
        row(out, String.format(Locale.ROOT, "consistency (%d sizes, %.1f hashes)", p.publishedSizes(),
                p.meanConsistencyPath()), p, Round::consistency);
        for (String kind : List.of("inclusion", "consistency")) {
            java.util.function.Function<Round, Stats> of = kind.equals("inclusion") ? Round::inclusion
                    : Round::consistency;
            Rounds diff = p.figure(r -> of.apply(r).percentileMs(50) - r.baseline().percentileMs(50));
            Rounds ratio50 = p.figure(r -> of.apply(r).percentileMs(50) / r.baseline().percentileMs(50));
            Rounds ratio99 = p.figure(r -> of.apply(r).percentileMs(99) / r.baseline().percentileMs(99));
            out.append(String.format(Locale.ROOT, "   %-11s p50 - baseline p50 = %s ms (target <= 0.5: %s), p50 ratio %s; "
                            + "p99 / baseline p99 = %s (target <= 1.5: %s)%n", kind, diff.ms(),
                    diff.median() <= 0.5 ? "met" : "MISSED", ratio50.ratio(), ratio99.ratio(),
                    ratio99.median() <= 1.5 ? "met" : "MISSED"));
        }
        out.append(String.format(Locale.ROOT, "   requests > 20 ms per round [per tenth]: %s%n",
                String.join(" | ", p.rounds().stream().map(Round::slow).toList())));
        out.append(String.format(Locale.ROOT, "   verified client-side: %d/%d inclusion, %d/%d consistency; failures %d%n",
                p.inclusionVerified(), p.requestsPerKind(), p.consistencyVerified(), p.requestsPerKind(),
                p.failures()));
        return out.toString();
    }

    private static void row(StringBuilder out, String label, Result p, java.util.function.Function<Round, Stats> of) {
        out.append(String.format(Locale.ROOT, "   %-46s %-22s %-22s %-22s%n", label,
                p.figure(r -> of.apply(r).percentileMs(50)).ms(), p.figure(r -> of.apply(r).percentileMs(90)).ms(),
                p.figure(r -> of.apply(r).percentileMs(99)).ms()));
    }

    /** Count of slow requests in each tenth of the timed sequence, e.g. "12 [0 0 5 7 0 0 0 0 0 0]". */
    private static String slowByTenth(long[] nanos) {
        int[] tenths = new int[10];
        int total = 0;
        for (int i = 0; i < nanos.length; i++) {
            if (nanos[i] > SLOW_NANOS) {
                tenths[(int) ((long) i * 10 / nanos.length)]++;
                total++;
            }
        }
        StringBuilder b = new StringBuilder().append(total).append(" [");
        for (int t = 0; t < 10; t++) {
            b.append(t == 0 ? "" : " ").append(tenths[t]);
        }
        return b.append(']').toString();
    }

    /** The body on the expected status, otherwise null (and the failure counted and printed). */
    private String call(String path, String user, int expected) {
        HttpResponse<String> response = service.get(path, user, TIMEOUT);
        if (response.statusCode() != expected) {
            failures++;
            System.err.println("GET " + path + ": HTTP " + response.statusCode() + " (expected " + expected + ") "
                    + Service.abbreviate(response.body()));
            return null;
        }
        return response.body();
    }

    /** Authenticated, refused by the role/tenant check before any database work. */
    private static String baselinePath(String otherTenant) {
        return "/api/v1/logs/" + otherTenant + "/proof/inclusion?index=0";
    }

    private static String healthPath() {
        return "/q/health/live";
    }

    /** HTTP, a token check and one transaction with one indexed query. */
    private static String checkpointPath(String tenant) {
        return "/api/v1/logs/" + tenant + "/checkpoint";
    }

    private static String inclusionPath(String tenant, long index, long size) {
        return "/api/v1/logs/" + tenant + "/proof/inclusion?index=" + index + "&size=" + size;
    }

    private static String consistencyPath(String tenant, long from, long to) {
        return "/api/v1/logs/" + tenant + "/proof/consistency?from=" + from + "&to=" + to;
    }

    private static List<Hash> hashes(JsonValue value) {
        List<Hash> hashes = new ArrayList<>();
        for (JsonValue element : ((JsonArray) value).elements()) {
            hashes.add(Hash.fromBase64(((JsonString) element).value()));
        }
        return hashes;
    }

    private static long number(JsonObject json, String name) {
        return (long) ((JsonNumber) json.get(name)).value();
    }

    private static String text(JsonObject json, String name) {
        return ((JsonString) json.get(name)).value();
    }
}
