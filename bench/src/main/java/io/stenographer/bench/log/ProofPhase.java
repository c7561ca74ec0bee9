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
import java.util.SplittableRandom;

/**
 * Measurement 2: inclusion and consistency proof latency over loopback HTTP, sequential, after
 * warm-up, interleaved with GET /q/health/live (the baseline: the same HTTP round trip with no work
 * behind it) and the public GET .../checkpoint (HTTP + one transaction and one indexed query, no
 * token), so that all four see the same machine. Every proof is verified afterwards with the
 * domain's RFC 9162 code (outside the timing).
 */
final class ProofPhase {

    record Result(long treeSize, int publishedSizes, Stats health, Stats checkpoint, Stats inclusion,
            Stats consistency,
            int inclusionVerified, int consistencyVerified, int failures, double meanInclusionPath,
            double meanConsistencyPath, String slow) {
    }

    /** Requests slower than this are counted per tenth of the timed sequence, to tell a stall from a tail. */
    static final long SLOW_NANOS = 20_000_000L;

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final LogOptions options;
    private final Service service;
    private final Connection db;

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
        LogBenchmark.log(String.format("proofs against tree size %,d (%d published sizes): %d warm-up + %d timed each",
                size, published.size(), options.warmup(), options.proofs()));
        service.token("auditor");
        SplittableRandom random = new SplittableRandom(42);
        int failures = 0;
        for (int i = 0; i < options.warmup(); i++) {
            failures += call(healthPath(), null) == null ? 1 : 0;
            failures += call(checkpointPath(tenant), null) == null ? 1 : 0;
            failures += call(inclusionPath(tenant, random.nextLong(size), size), "auditor") == null ? 1 : 0;
            failures += call(consistencyPath(tenant, published.get(random.nextInt(published.size())), size),
                    "auditor") == null ? 1 : 0;
        }
        int n = options.proofs();
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
            for (int k = 0; k < 4; k++) {
                switch ((i + k) % 4) {
                    case 0 -> {
                        long t0 = System.nanoTime();
                        String body = call(healthPath(), null);
                        health[i] = System.nanoTime() - t0;
                        failures += body == null ? 1 : 0;
                    }
                    case 1 -> {
                        long t0 = System.nanoTime();
                        String body = call(checkpointPath(tenant), null);
                        checkpoint[i] = System.nanoTime() - t0;
                        failures += body == null ? 1 : 0;
                    }
                    case 2 -> {
                        long t0 = System.nanoTime();
                        inclusionBodies[i] = call(inclusionPath, "auditor");
                        inclusion[i] = System.nanoTime() - t0;
                    }
                    default -> {
                        long t0 = System.nanoTime();
                        consistencyBodies[i] = call(consistencyPath, "auditor");
                        consistency[i] = System.nanoTime() - t0;
                    }
                }
            }
        }
        // Verify every answer with the domain's proof checks.
        int inclusionOk = 0;
        int consistencyOk = 0;
        long inclusionPathLength = 0;
        long consistencyPathLength = 0;
        for (int i = 0; i < n; i++) {
            if (inclusionBodies[i] != null) {
                JsonObject json = (JsonObject) JsonParser.parse(inclusionBodies[i], 8);
                List<Hash> path = hashes(json.get("inclusionProof"));
                inclusionPathLength += path.size();
                InclusionProof proof = new InclusionProof(number(json, "leafIndex"), number(json, "treeSize"), path);
                if (proof.verify(Hash.fromHex(text(json, "leafHash")), Hash.fromBase64(text(json, "rootHash")))) {
                    inclusionOk++;
                }
            }
            if (consistencyBodies[i] != null) {
                JsonObject json = (JsonObject) JsonParser.parse(consistencyBodies[i], 8);
                List<Hash> path = hashes(json.get("proof"));
                consistencyPathLength += path.size();
                ConsistencyProof proof = new ConsistencyProof(number(json, "fromSize"), number(json, "toSize"), path);
                if (proof.verify(Hash.fromBase64(text(json, "fromRootHash")),
                        Hash.fromBase64(text(json, "toRootHash")))) {
                    consistencyOk++;
                }
            }
        }
        failures += (n - inclusionOk) + (n - consistencyOk);
        String slow = "health " + slowByTenth(health) + "; checkpoint " + slowByTenth(checkpoint) + "; inclusion "
                + slowByTenth(inclusion) + "; consistency " + slowByTenth(consistency);
        return new Result(size, published.size(), new Stats(health, n), new Stats(checkpoint, n),
                new Stats(inclusion, n),
                new Stats(consistency, n), inclusionOk, consistencyOk, failures,
                (double) inclusionPathLength / n, (double) consistencyPathLength / n, slow);
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

    /** The body on 200, otherwise null (and the failure printed). */
    private String call(String path, String user) {
        HttpResponse<String> response = service.get(path, user, TIMEOUT);
        if (response.statusCode() != 200) {
            System.err.println("GET " + path + ": HTTP " + response.statusCode() + " "
                    + Service.abbreviate(response.body()));
            return null;
        }
        return response.body();
    }

    private static String healthPath() {
        return "/q/health/live";
    }

    /** Public, anonymous: HTTP plus one transaction with one indexed query, no token check. */
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
