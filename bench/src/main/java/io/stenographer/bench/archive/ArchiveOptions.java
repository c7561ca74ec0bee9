package io.stenographer.bench.archive;

import java.util.HashMap;
import java.util.Map;

/** Command line of {@link ArchiveBenchmark}: {@code --name value} pairs, every one with a default. */
record ArchiveOptions(
        String baseUrl,
        String jdbcUrl,
        String jdbcUser,
        String command,
        String workDir,
        String store,
        String tenant,
        String purgeLoadTenant,
        String ingestTenant,
        String adminUser,
        String ingestUser,
        int events,
        int loadEvents,
        int copyChunk,
        int segmentEvents,
        int purgeBatch,
        int ingestWriters,
        int ingestPauseMillis,
        int ingestSeconds,
        int warmupSeconds,
        int maxDuringSeconds,
        int integrateTimeoutSeconds,
        int jobTimeoutSeconds) {

    static ArchiveOptions parse(String[] args) {
        Map<String, String> given = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (!name.startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --name value pairs, got '" + name + "'");
            }
            given.put(name.substring(2), args[++i]);
        }
        ArchiveOptions options = new ArchiveOptions(
                take(given, "base-url", "http://127.0.0.1:18110"),
                take(given, "jdbc-url", "jdbc:postgresql://127.0.0.1:54359/stenographer"),
                take(given, "jdbc-user", "stenographer_owner"),
                take(given, "command", "(not given)"),
                take(given, "work-dir", "/tmp/steno-archbench/baseline"),
                take(given, "store", "local"),
                take(given, "tenant", "acme"),
                take(given, "purge-load-tenant", "initech"),
                take(given, "ingest-tenant", "globex"),
                take(given, "admin-user", "admin"),
                take(given, "ingest-user", "globex-writer"),
                positive(given, "events", 1_000_000),
                positive(given, "load-events", 1_000_000),
                positive(given, "copy-chunk", 20_000),
                positive(given, "segment-events", 10_000),
                positive(given, "purge-batch", 500),
                positive(given, "ingest-writers", 2),
                positive(given, "ingest-pause-ms", 20),
                positive(given, "ingest-seconds", 30),
                positive(given, "warmup-seconds", 10),
                positive(given, "max-during-seconds", 600),
                positive(given, "integrate-timeout-seconds", 1_800),
                positive(given, "job-timeout-seconds", 3_600));
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
