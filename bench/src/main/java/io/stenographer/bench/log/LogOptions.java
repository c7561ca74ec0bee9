package io.stenographer.bench.log;

import io.stenographer.bench.CommandLine;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Command line of {@link LogBenchmark}: {@code --name value} pairs, every one with a default; {@code --rates-only}
 * may also stand alone (as a flag). The defaults are issue 13's method: rate search with a 60 s sustain window, 3
 * rounds at 50% and 80% of the maximum sustainable rate, proofs at 1M and 10M leaves, verification at each size.
 */
record LogOptions(
        String baseUrl,
        String jdbcUrl,
        String jdbcUser,
        String command,
        String ingestTenant,
        int senders,
        int batchSize,
        int sustainSeconds,
        int measureSeconds,
        int rounds,
        boolean ratesOnly,
        int maxRate,
        int rateStart,
        int rateStepPercent,
        int rateLimit,
        int searchRefine,
        int pollMillis,
        int idleEvents,
        String proofTenant,
        String baselineTenant,
        long[] proofSizes,
        int hashSample,
        int copyChunk,
        int proofs,
        int warmup,
        int integrateTimeoutSeconds,
        int verifyTimeoutSeconds,
        long servicePid,
        long postgresPid) {

    static LogOptions parse(String[] args) {
        CommandLine given = CommandLine.parse(flags(args));
        String ingestSeconds = given.take("ingest-seconds", null); // old name of --measure-seconds
        String writers = given.take("writers", null); // old name of --senders
        String events = given.take("events", null); // old name of --proof-sizes with one size
        int sustain = given.positive("sustain-seconds", 60);
        LogOptions options = new LogOptions(
                given.take("base-url", "http://127.0.0.1:18090"),
                given.take("jdbc-url", "jdbc:postgresql://127.0.0.1:54349/stenographer"),
                given.take("jdbc-user", "stenographer_owner"),
                given.take("command", "(not given)"),
                given.take("ingest-tenant", "acme"),
                given.positive("senders", writers == null ? 64 : Integer.parseInt(writers)),
                given.positive("batch-size", 100),
                sustain,
                given.positive("measure-seconds", ingestSeconds == null ? sustain : Integer.parseInt(ingestSeconds)),
                given.positive("rounds", 3),
                Boolean.parseBoolean(given.take("rates-only", "false")),
                nonNegative(given.take("max-rate", "0"), "max-rate"),
                given.positive("rate-start", 2_000),
                given.positive("rate-step-percent", 50),
                given.positive("rate-limit", 100_000),
                nonNegative(given.take("search-refine", "2"), "search-refine"),
                given.positive("poll-ms", 10),
                given.positive("idle-events", 40),
                given.take("proof-tenant", "globex"),
                given.take("baseline-tenant", "initech"),
                sizes(given.take("proof-sizes", events == null ? "1000000,10000000" : events)),
                given.positive("hash-sample", 1_000_000),
                given.positive("copy-chunk", 20_000),
                given.positive("proofs", 2_000),
                given.positive("warmup", 300),
                given.positive("integrate-timeout-seconds", 3_600),
                given.positive("verify-timeout-seconds", 1_800),
                Long.parseLong(given.take("service-pid", "0")),
                Long.parseLong(given.take("postgres-pid", "0")));
        given.requireAllTaken();
        return options;
    }

    long largestProofSize() {
        return proofSizes[proofSizes.length - 1];
    }

    /** {@code --rates-only} without a value means {@code --rates-only true}. */
    private static String[] flags(String[] args) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            out.add(args[i]);
            if (args[i].equals("--rates-only") && (i + 1 >= args.length || args[i + 1].startsWith("--"))) {
                out.add("true");
            }
        }
        return out.toArray(String[]::new);
    }

    private static long[] sizes(String list) {
        long[] sizes = Arrays.stream(list.split(",")).map(String::strip).filter(s -> !s.isEmpty())
                .mapToLong(s -> Long.parseLong(s.replace("_", ""))).sorted().distinct().toArray();
        if (sizes.length == 0 || sizes[0] < 2 || sizes[sizes.length - 1] > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("--proof-sizes: sizes between 2 and 2^31-1, comma-separated");
        }
        return sizes;
    }

    private static int nonNegative(String value, String name) {
        int parsed = Integer.parseInt(value.replace("_", ""));
        if (parsed < 0) {
            throw new IllegalArgumentException("--" + name + " must be at least 0");
        }
        return parsed;
    }
}
