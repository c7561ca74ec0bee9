package io.stenographer.bench.archive;

import io.stenographer.bench.CommandLine;

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
        CommandLine given = CommandLine.parse(args);
        ArchiveOptions options = new ArchiveOptions(
                given.take("base-url", "http://127.0.0.1:18110"),
                given.take("jdbc-url", "jdbc:postgresql://127.0.0.1:54359/stenographer"),
                given.take("jdbc-user", "stenographer_owner"),
                given.take("command", "(not given)"),
                given.take("work-dir", "/tmp/steno-archbench/baseline"),
                given.take("store", "local"),
                given.take("tenant", "acme"),
                given.take("purge-load-tenant", "initech"),
                given.take("ingest-tenant", "globex"),
                given.take("admin-user", "admin"),
                given.take("ingest-user", "globex-writer"),
                given.positive("events", 1_000_000),
                given.positive("load-events", 1_000_000),
                given.positive("copy-chunk", 20_000),
                given.positive("segment-events", 10_000),
                given.positive("purge-batch", 500),
                given.positive("ingest-writers", 2),
                given.positive("ingest-pause-ms", 20),
                given.positive("ingest-seconds", 30),
                given.positive("warmup-seconds", 10),
                given.positive("max-during-seconds", 600),
                given.positive("integrate-timeout-seconds", 1_800),
                given.positive("job-timeout-seconds", 3_600));
        given.requireAllTaken();
        return options;
    }
}
