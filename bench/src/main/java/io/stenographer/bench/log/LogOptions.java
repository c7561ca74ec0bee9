package io.stenographer.bench.log;

import java.util.HashMap;
import java.util.Map;

/** Command line of {@link LogBenchmark}: {@code --name value} pairs, every one with a default. */
record LogOptions(
        String baseUrl,
        String jdbcUrl,
        String jdbcUser,
        String command,
        String ingestTenant,
        int writers,
        int batchSize,
        int ingestSeconds,
        int idleEvents,
        String proofTenant,
        int events,
        int copyChunk,
        int proofs,
        int warmup,
        int integrateTimeoutSeconds,
        int verifyTimeoutSeconds) {

    static LogOptions parse(String[] args) {
        Map<String, String> given = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (!name.startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --name value pairs, got '" + name + "'");
            }
            given.put(name.substring(2), args[++i]);
        }
        LogOptions options = new LogOptions(
                take(given, "base-url", "http://127.0.0.1:18090"),
                take(given, "jdbc-url", "jdbc:postgresql://127.0.0.1:54349/stenographer"),
                take(given, "jdbc-user", "stenographer_owner"),
                take(given, "command", "(not given)"),
                take(given, "ingest-tenant", "acme"),
                positive(given, "writers", 2),
                positive(given, "batch-size", 1_000),
                positive(given, "ingest-seconds", 60),
                positive(given, "idle-events", 40),
                take(given, "proof-tenant", "globex"),
                positive(given, "events", 1_000_000),
                positive(given, "copy-chunk", 20_000),
                positive(given, "proofs", 2_000),
                positive(given, "warmup", 300),
                positive(given, "integrate-timeout-seconds", 1_800),
                positive(given, "verify-timeout-seconds", 600));
        if (!given.isEmpty()) {
            throw new IllegalArgumentException("unknown option(s): " + given.keySet());
        }
        return options;
    }

    private static String take(Map<String, String> given, String name, String fallback) {
        String value = given.remove(name);
        return value == null ? fallback : value;
    }

    private static int positive(Map<String, String> given, String name, int fallback) {
        String value = given.remove(name);
        int parsed = value == null ? fallback : Integer.parseInt(value.replace("_", ""));
        if (parsed < 1) {
            throw new IllegalArgumentException("--" + name + " must be at least 1");
        }
        return parsed;
    }
}
