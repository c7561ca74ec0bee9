package io.stenographer.bench.log;

import io.stenographer.bench.CommandLine;
import io.stenographer.testing.SyntheticEvents;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Issue 14's query measurement: p95 of the first page of {@code GET /api/v1/events} for each filter of the target
 * list, on a tenant of {@code --big-rows} events (10M) with {@code --tenants} other tenants of {@code --rows} events
 * each (10 x 1M) in the same database. The baseline, run beside it in the same rounds, is the same filter on one
 * of the small tenants: same shapes and the same events per day, a tenth of the rows. Their ratio says whether the
 * cost follows what was asked or the tenant's size.
 *
 * <p>The data is {@link SyntheticEvents}, the shapes {@code QueryPlanTest} states its plans on, inserted by the
 * superuser with the integration-queue trigger off: searches read the event store, and these events are never
 * integrated. Every query draws its own values (actor, day, resource, ...), so the percentiles are over the
 * spread of a filter's values, not one cached answer.
 */
public final class QueryBenchmark {

    private static final String USER = "query-auditor";
    private static final String[] PREFIXES = {"case", "person", "report", "export", "admin"};
    private static final String[] VERBS = {"view", "edit", "create", "delete", "export", "print", "search", "share",
        "approve", "reject"};
    private static final String[] TYPES = {"case", "person", "report", "document"};
    private static final String[] OUTCOMES = {"success", "failure", "denied"};
    /** Every tenant's events start here, three per 94.608 s: one day holds about 2,740 of them. */
    private static final Instant FIRST_DAY = Instant.parse("2025-01-01T00:00:00Z");

    /** One filter of the target list: its name and a query string with values drawn for each query. */
    private record Filter(String name, Function<SplittableRandom, String> query) {
    }

    private final Service service;
    private final int queries;

    private QueryBenchmark(Service service, int queries) {
        this.service = service;
        this.queries = queries;
    }

    public static void main(String[] args) throws Exception {
        CommandLine line = CommandLine.parse(args);
        String baseUrl = line.take("base-url", "http://127.0.0.1:18130");
        String jdbcUrl = line.take("jdbc-url", "jdbc:postgresql://127.0.0.1:54353/stenographer");
        String jdbcUser = line.take("jdbc-user", "postgres");
        String command = line.take("command", "bench/run-queries.sh");
        int bigRows = line.positive("big-rows", 10_000_000);
        int rows = line.positive("rows", 1_000_000);
        int tenants = line.positive("tenants", 10);
        int queries = line.positive("queries", 100);
        int rounds = line.positive("rounds", 3);
        line.requireAllTaken();
        StringBuilder out = new StringBuilder();
        try (Connection db = DriverManager.getConnection(jdbcUrl, jdbcUser, "")) {
            out.append(load(db, bigRows, rows, tenants));
        }
        QueryBenchmark bench = new QueryBenchmark(new Service(baseUrl), queries);
        out.append(bench.measure(rounds, bigRows, rows, tenants, command));
        System.out.print(out);
    }

    /** Loads the big tenant and the small ones, one statement each, then ANALYZE; says how long each took. */
    static String load(Connection db, int bigRows, int rows, int tenants) throws Exception {
        StringBuilder out = new StringBuilder("\nData (SyntheticEvents, inserted by the superuser, not integrated):\n");
        db.setAutoCommit(false);
        try (Statement s = db.createStatement()) {
            s.execute("SELECT setseed(0.42)");
        }
        db.commit();
        Map<String, Integer> plan = new LinkedHashMap<>();
        plan.put("acme", bigRows);
        for (int t = 1; t <= tenants; t++) {
            plan.put(String.format(Locale.ROOT, "q%02d", t), rows);
        }
        for (Map.Entry<String, Integer> tenant : plan.entrySet()) {
            long t0 = System.nanoTime();
            try (Statement s = db.createStatement()) {
                s.execute("SET LOCAL session_replication_role = replica");
            }
            try (PreparedStatement insert = db.prepareStatement(SyntheticEvents.INSERT)) {
                insert.setString(1, tenant.getKey());
                insert.setInt(2, tenant.getValue() - 1);
                insert.executeUpdate();
            }
            db.commit();
            double seconds = (System.nanoTime() - t0) / 1e9;
            String line = String.format(Locale.ROOT, "   %s: %,d events inserted in %.1f s (%,.0f events/s)%n",
                    tenant.getKey(), tenant.getValue(), seconds, tenant.getValue() / seconds);
            LogBenchmark.log(line.strip());
            out.append(line);
        }
        long t0 = System.nanoTime();
        db.setAutoCommit(true);
        try (Statement s = db.createStatement()) {
            s.execute("ANALYZE audit_event");
        }
        try (Statement s = db.createStatement();
                ResultSet rs = s.executeQuery("SELECT pg_size_pretty(pg_total_relation_size('audit_event')), "
                        + "(SELECT count(*) FROM audit_event)")) {
            rs.next();
            out.append(String.format(Locale.ROOT, "   ANALYZE in %.1f s; the event store holds %,d events%n",
                    (System.nanoTime() - t0) / 1e9, rs.getLong(2)));
        }
        return out.toString();
    }

    private List<Filter> filters(long rows) {
        return List.of(
                new Filter("tenant only", r -> ""),
                new Filter("actor", r -> "actor=user-" + r.nextInt(5_000)),
                new Filter("action (exact)", r -> "action=" + PREFIXES[r.nextInt(5)] + "." + VERBS[r.nextInt(10)]),
                new Filter("action prefix", r -> "action=" + PREFIXES[r.nextInt(5)] + ".*"),
                new Filter("resourceType", r -> "resourceType=" + TYPES[r.nextInt(4)]),
                new Filter("resourceId", r -> "resourceId=R-" + r.nextInt(20_000)),
                new Filter("outcome", r -> "outcome=" + OUTCOMES[r.nextInt(3)]),
                new Filter("sourceApplication", r -> "sourceApplication=app-" + twoDigits(r.nextInt(20))),
                new Filter("tenant + time range (1 day)", QueryBenchmark::day),
                new Filter("actor + time (30 days)", r -> "actor=user-" + r.nextInt(200) + "&" + days(r, 30)),
                new Filter("resourceType + resourceId", r -> {
                    int resource = r.nextInt(20_000);
                    return "resourceType=" + TYPES[resource % 4] + "&resourceId=R-" + resource;
                }),
                new Filter("action prefix + time (1 day)", r -> "action=" + PREFIXES[r.nextInt(5)] + ".*&" + day(r)),
                new Filter("outcome + time (1 day)", r -> "outcome=" + OUTCOMES[r.nextInt(3)] + "&" + day(r)),
                // Two events share each correlation id corr-000000 .. corr-<rows / 5 - 1> in every tenant.
                new Filter("correlationId", r -> "correlationId=corr-"
                        + String.format(Locale.ROOT, "%06d", r.nextInt((int) (rows / 5)))));
    }

    private static String twoDigits(int n) {
        return String.format(Locale.ROOT, "%02d", n);
    }

    /** One day in the first year, which every tenant covers. */
    private static String day(SplittableRandom r) {
        return days(r, 1);
    }

    private static String days(SplittableRandom r, int length) {
        Instant from = FIRST_DAY.plus(Duration.ofDays(r.nextInt(365 - length)));
        return "from=" + encode(from.toString()) + "&to=" + encode(from.plus(Duration.ofDays(length)).toString());
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private String measure(int rounds, int bigRows, int rows, int tenants, String command) {
        List<Filter> filters = filters(rows);
        service.token(USER);
        String small = "q01";
        SplittableRandom random = new SplittableRandom(14);
        for (Filter filter : filters) { // warm-up: plans cached, pages in shared buffers as a running service has
            for (int i = 0; i < 5; i++) {
                query("acme", filter, random);
                query(small, filter, random);
            }
        }
        Map<String, double[][]> p95 = new LinkedHashMap<>(); // filter -> [round][big, small]
        Map<String, long[]> empty = new LinkedHashMap<>();
        for (Filter filter : filters) {
            p95.put(filter.name(), new double[rounds][2]);
            empty.put(filter.name(), new long[2]);
        }
        for (int round = 0; round < rounds; round++) {
            LogBenchmark.log(String.format(Locale.ROOT, "round %d/%d: %d queries per filter and tenant", round + 1,
                    rounds, queries));
            for (Filter filter : filters) {
                long[][] nanos = new long[2][queries];
                for (int i = 0; i < queries; i++) {
                    // Interleaved, so both tenants see the same machine load.
                    for (int which = 0; which < 2; which++) {
                        long[] timed = query(which == 0 ? "acme" : small, filter, random);
                        nanos[which][i] = timed[0];
                        if (timed[1] == 0) {
                            empty.get(filter.name())[which]++;
                        }
                    }
                }
                for (int which = 0; which < 2; which++) {
                    p95.get(filter.name())[round][which] = new Stats(nanos[which], queries).percentileMs(95);
                }
                LogBenchmark.log(String.format(Locale.ROOT, "  %-30s p95 %s ms (10M) / %s ms (1M)", filter.name(),
                        Stats.ms(p95.get(filter.name())[round][0]), Stats.ms(p95.get(filter.name())[round][1])));
            }
        }
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%nQueries: first page (limit 100) of GET /api/v1/events, p95 of %d "
                + "queries per filter, tenant and round, %d rounds; tenant acme holds %,d events, %d other tenants "
                + "%,d each; baseline: the same filter on tenant %s (%,d events), interleaved query by query%n",
                queries, rounds, bigRows, tenants, rows, small, rows));
        out.append("| filter | p95 at 10M, ms, median [min-max] | p95 at 1M, ms, median [min-max] | 10M / 1M "
                + "| target p95 <= 50 ms at 10M | empty answers 10M / 1M |\n|---|---|---|---|---|---|\n");
        int met = 0;
        for (Filter filter : filters) {
            Rounds big = new Rounds();
            Rounds base = new Rounds();
            for (double[] round : p95.get(filter.name())) {
                big.add(round[0]);
                base.add(round[1]);
            }
            boolean meets = big.median() <= 50;
            if (meets) {
                met++;
            }
            out.append(String.format(Locale.ROOT, "| %s | %s | %s | %.2f | %s | %d / %d |%n", filter.name(), big.ms(),
                    base.ms(), big.median() / base.median(), meets ? "met" : "missed",
                    empty.get(filter.name())[0], empty.get(filter.name())[1]));
        }
        out.append(String.format(Locale.ROOT, "%d of %d filters meet p95 <= 50 ms at 10M.%nReproduce: %s%n", met,
                filters.size(), command));
        return out.toString();
    }

    /** {nanoseconds, 1 when the page held events else 0}; any answer but 200 ends the run. */
    private long[] query(String tenant, Filter filter, SplittableRandom random) {
        String parameters = filter.query().apply(random);
        String path = "/api/v1/events?tenant=" + tenant + "&limit=100" + (parameters.isEmpty() ? "" : "&" + parameters);
        long t0 = System.nanoTime();
        HttpResponse<String> response = service.get(path, USER, Duration.ofSeconds(60));
        long nanos = System.nanoTime() - t0;
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET " + path + " answered " + response.statusCode() + ": "
                    + Service.abbreviate(response.body()));
        }
        return new long[] {nanos, response.body().contains("\"id\"") ? 1 : 0};
    }
}
