package io.stenographer.bench;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Command-line options of {@link IngestBenchmark}; {@code --name value} or {@code --name=value}. */
record Options(
        URI baseUrl,
        URI tokenUrl,
        String jdbcUrl,
        String jdbcUser,
        String jdbcPassword,
        String tenant,
        int events,
        int batchSize,
        int concurrency,
        int singleRequests,
        int singleConcurrency,
        int warmupEvents,
        int warmupSingles,
        int rounds,
        boolean clientEventIds,
        boolean rawRewriteVariant,
        double target,
        long servicePid,
        long postgresPid,
        String command,
        List<String> rawArgs) {

    static final String USAGE = """
            Usage: IngestBenchmark [options]
              --base-url URL            service base URL                 (default http://127.0.0.1:18080)
              --token-url URL           GET returns a bearer token        (default <base-url>/dev/tokens/writer)
              --jdbc-url URL            same database the service uses    (default jdbc:postgresql://127.0.0.1:54339/stenographer)
              --jdbc-user NAME          role that may CREATE/DROP the scratch table (default stenographer_owner)
              --jdbc-password TEXT      (default: same as --jdbc-user; the embedded server trusts local connections)
              --tenant ID               tenant the token grants           (default acme)
              --events N                events per round, for batch ingest and for the raw baseline (default 200000)
              --batch-size N            events per batch request / per executeBatch (default 1000)
              --concurrency N           parallel batch requests / JDBC connections (default 4)
              --single-requests N       single-event requests              (default 5000)
              --single-concurrency N    parallel single-event requests     (default: --concurrency)
              --warmup-events N         batch events sent (and raw rows inserted) before timing (default 100000;
                                        the service JIT needs about that many to settle)
              --warmup-singles N        single requests sent before timing (default 3000)
              --rounds N                batch-vs-raw rounds, interleaved; the verdict uses the median ratio (default 3)
              --client-event-ids B      give every event a clientEventId (idempotency path) (default false)
              --raw-rewrite-variant B   also time raw JDBC with reWriteBatchedInserts=true, for information (default true)
              --target R                required ratio batch/raw           (default 0.50)
              --command TEXT            reproduce command to print (set by bench/run-ingest.sh)
              --service-pid PID         service JVM, to report its CPU time per event (optional; Linux)
              --postgres-pid PID        PostgreSQL postmaster, likewise (optional; Linux)
            Only loopback addresses are accepted for --base-url, --token-url and --jdbc-url.
            """;

    static Options parse(String[] args) {
        Map<String, String> values = new LinkedHashMap<>();
        List<String> raw = new ArrayList<>(List.of(args));
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--help") || arg.equals("-h")) {
                System.out.print(USAGE);
                System.exit(0);
            }
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + arg + "'\n" + USAGE);
            }
            int eq = arg.indexOf('=');
            if (eq > 0) {
                values.put(arg.substring(2, eq), arg.substring(eq + 1));
            } else if (i + 1 < args.length) {
                values.put(arg.substring(2), args[++i]);
            } else {
                throw new IllegalArgumentException("option " + arg + " needs a value\n" + USAGE);
            }
        }
        URI base = URI.create(stripSlash(take(values, "base-url", "http://127.0.0.1:18080")));
        URI token = URI.create(take(values, "token-url", base + "/dev/tokens/writer"));
        String jdbcUrl = take(values, "jdbc-url", "jdbc:postgresql://127.0.0.1:54339/stenographer");
        String jdbcUser = take(values, "jdbc-user", "stenographer_owner");
        String jdbcPassword = take(values, "jdbc-password", jdbcUser);
        String tenant = take(values, "tenant", "acme");
        int events = positive(values, "events", 200_000);
        int batchSize = positive(values, "batch-size", 1_000);
        int concurrency = positive(values, "concurrency", 4);
        int singles = positive(values, "single-requests", 5_000);
        int singleConcurrency = positive(values, "single-concurrency", concurrency);
        int warmupEvents = nonNegative(values, "warmup-events", 100_000);
        int warmupSingles = nonNegative(values, "warmup-singles", 3_000);
        int rounds = positive(values, "rounds", 3);
        boolean clientIds = Boolean.parseBoolean(take(values, "client-event-ids", "false"));
        boolean rewrite = Boolean.parseBoolean(take(values, "raw-rewrite-variant", "true"));
        double target = Double.parseDouble(take(values, "target", "0.50"));
        String command = values.remove("command");
        long servicePid = Long.parseLong(take(values, "service-pid", "0"));
        long postgresPid = Long.parseLong(take(values, "postgres-pid", "0"));
        if (!values.isEmpty()) {
            throw new IllegalArgumentException("unknown option(s) " + values.keySet() + "\n" + USAGE);
        }
        if (batchSize > 1_000) {
            throw new IllegalArgumentException("--batch-size is at most 1000 (the service's batch limit)");
        }
        if (concurrency > 64 || singleConcurrency > 64) {
            throw new IllegalArgumentException("concurrency is at most 64");
        }
        if (rounds > 20) {
            throw new IllegalArgumentException("--rounds is at most 20");
        }
        requireLoopback("--base-url", base.getHost());
        requireLoopback("--token-url", token.getHost());
        requireLoopback("--jdbc-url", jdbcHost(jdbcUrl));
        return new Options(base, token, jdbcUrl, jdbcUser, jdbcPassword, tenant, events, batchSize, concurrency,
                singles, singleConcurrency, warmupEvents, warmupSingles, rounds, clientIds, rewrite, target,
                servicePid, postgresPid, command, List.copyOf(raw));
    }

    private static String take(Map<String, String> values, String name, String fallback) {
        String value = values.remove(name);
        return value == null ? fallback : value;
    }

    private static int positive(Map<String, String> values, String name, int fallback) {
        int value = Integer.parseInt(take(values, name, Integer.toString(fallback)));
        if (value < 1) {
            throw new IllegalArgumentException("--" + name + " must be at least 1");
        }
        return value;
    }

    private static int nonNegative(Map<String, String> values, String name, int fallback) {
        int value = Integer.parseInt(take(values, name, Integer.toString(fallback)));
        if (value < 0) {
            throw new IllegalArgumentException("--" + name + " must not be negative");
        }
        return value;
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** Host of {@code jdbc:postgresql://host:port/db}; a bare {@code jdbc:postgresql:db} means localhost. */
    private static String jdbcHost(String jdbcUrl) {
        String prefix = "jdbc:postgresql://";
        if (!jdbcUrl.startsWith(prefix)) {
            return "localhost";
        }
        String rest = jdbcUrl.substring(prefix.length());
        int end = rest.length();
        for (char stop : new char[] {'/', '?'}) {
            int at = rest.indexOf(stop);
            if (at >= 0 && at < end) {
                end = at;
            }
        }
        String hostPort = rest.substring(0, end);
        if (hostPort.startsWith("[")) {
            return hostPort.substring(1, hostPort.indexOf(']'));
        }
        int colon = hostPort.lastIndexOf(':');
        return colon >= 0 ? hostPort.substring(0, colon) : hostPort;
    }

    private static void requireLoopback(String option, String host) {
        try {
            if (host == null || !InetAddress.getByName(host).isLoopbackAddress()) {
                throw new IllegalArgumentException(option + " must point at a loopback address, not " + host);
            }
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(option + ": unknown host " + host, e);
        }
    }
}
