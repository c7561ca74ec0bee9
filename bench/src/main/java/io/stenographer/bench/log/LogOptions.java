package io.stenographer.bench.log;

import io.stenographer.bench.CommandLine;

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
        CommandLine given = CommandLine.parse(args);
        LogOptions options = new LogOptions(
                given.take("base-url", "http://127.0.0.1:18090"),
                given.take("jdbc-url", "jdbc:postgresql://127.0.0.1:54349/stenographer"),
                given.take("jdbc-user", "stenographer_owner"),
                given.take("command", "(not given)"),
                given.take("ingest-tenant", "acme"),
                given.positive("writers", 2),
                given.positive("batch-size", 1_000),
                given.positive("ingest-seconds", 60),
                given.positive("idle-events", 40),
                given.take("proof-tenant", "globex"),
                given.positive("events", 1_000_000),
                given.positive("copy-chunk", 20_000),
                given.positive("proofs", 2_000),
                given.positive("warmup", 300),
                given.positive("integrate-timeout-seconds", 1_800),
                given.positive("verify-timeout-seconds", 600));
        given.requireAllTaken();
        return options;
    }
}
