package io.stenographer.bench.log;

import io.stenographer.domain.json.JsonArray;
import io.stenographer.domain.json.JsonBoolean;
import io.stenographer.domain.json.JsonNumber;
import io.stenographer.domain.json.JsonObject;
import io.stenographer.domain.json.JsonParser;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;

/**
 * Measurement 3: full verification (POST /api/v1/logs/{tenant}/verifications) over the bulk-loaded
 * log, events/s = eventsChecked / wall time. Baseline in the same run: SHA-256(0x00 || leaf input)
 * over the same canonical leaf inputs, single-threaded in this JVM, i.e. the hashing a verification
 * cannot avoid.
 */
final class VerifyPhase {

    record Result(int status, String problem, boolean ok, long treeSize, long eventsChecked, long checkpoints,
            int findings, double seconds, double rawSeconds, long rawEvents, long rawBytes) {

        double rate() {
            return eventsChecked / seconds;
        }

        double rawRate() {
            return rawEvents / rawSeconds;
        }
    }

    private final LogOptions options;
    private final Service service;

    VerifyPhase(LogOptions options, Service service) {
        this.options = options;
        this.service = service;
    }

    Result run(byte[][] leafInputs) throws Exception {
        // Baseline: one warm-up pass over a tenth, then one timed pass over everything.
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        byte sink = 0;
        for (int i = 0; i < leafInputs.length / 10; i++) {
            sha.update((byte) 0x00);
            sha.update(leafInputs[i]);
            sink ^= sha.digest()[0];
        }
        long bytes = 0;
        long t0 = System.nanoTime();
        for (byte[] input : leafInputs) {
            sha.update((byte) 0x00);
            sha.update(input);
            sink ^= sha.digest()[0];
            bytes += input.length + 1;
        }
        double rawSeconds = (System.nanoTime() - t0) / 1e9;
        LogBenchmark.log(String.format("raw SHA-256 baseline: %,d leaf inputs in %.2f s (sink %d)",
                leafInputs.length, rawSeconds, sink));

        LogBenchmark.log("POST /api/v1/logs/" + options.proofTenant() + "/verifications (timeout "
                + options.verifyTimeoutSeconds() + " s)");
        service.token("auditor");
        long t1 = System.nanoTime();
        HttpResponse<String> response = service.post("/api/v1/logs/" + options.proofTenant() + "/verifications",
                "auditor", Duration.ofSeconds(options.verifyTimeoutSeconds()), "{}".getBytes(StandardCharsets.UTF_8));
        double seconds = (System.nanoTime() - t1) / 1e9;
        if (response.statusCode() != 200 && response.statusCode() != 201) {
            return new Result(response.statusCode(), Service.abbreviate(response.body()), false, 0, 0, 0, 0, seconds,
                    rawSeconds, leafInputs.length, bytes);
        }
        JsonObject report = (JsonObject) JsonParser.parse(response.body(), 8);
        return new Result(response.statusCode(), null, JsonBoolean.TRUE.equals(report.get("ok")),
                number(report, "treeSize"), number(report, "eventsChecked"), number(report, "checkpointsChecked"),
                ((JsonArray) report.get("findings")).elements().size(), seconds, rawSeconds, leafInputs.length,
                bytes);
    }

    private static long number(JsonObject json, String name) {
        return (long) ((JsonNumber) json.get(name)).value();
    }
}
