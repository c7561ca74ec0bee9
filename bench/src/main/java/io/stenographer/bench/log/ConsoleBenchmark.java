package io.stenographer.bench.log;

import io.stenographer.bench.CommandLine;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Issue 17's page measurement: p95 of each console page on a tenant of {@code --rows} events (1M), signed in by the
 * authorization-code flow (BenchTokenIssuer answers it), against its baseline in the same rounds: the API call that
 * reads the same data with a bearer token. Both are timed at the client over loopback, so each figure is the
 * server's time plus one local round trip; the ratio is what the page adds (template, its audit.console.view event).
 */
public final class ConsoleBenchmark {

    private static final String USER = "query-auditor";
    private static final Instant FIRST_DAY = Instant.parse("2025-01-01T00:00:00Z");

    /** A page and the API call that reads the same data; each draws its own values. */
    private record Page(String name, Function<SplittableRandom, String[]> paths) {
    }

    private final Service api;
    private final ConsoleClient console;
    private final List<String> eventIds;
    private final int requests;

    private ConsoleBenchmark(Service api, ConsoleClient console, List<String> eventIds, int requests) {
        this.api = api;
        this.console = console;
        this.eventIds = eventIds;
        this.requests = requests;
    }

    public static void main(String[] args) throws Exception {
        CommandLine line = CommandLine.parse(args);
        String baseUrl = line.take("base-url", "http://127.0.0.1:18170");
        String jdbcUrl = line.take("jdbc-url", "jdbc:postgresql://127.0.0.1:54357/stenographer");
        String jdbcUser = line.take("jdbc-user", "postgres");
        String command = line.take("command", "bench/run-console.sh");
        int rows = line.positive("rows", 1_000_000);
        int requests = line.positive("requests", 100);
        int rounds = line.positive("rounds", 3);
        line.requireAllTaken();
        StringBuilder out = new StringBuilder();
        List<String> ids = new ArrayList<>();
        try (Connection db = DriverManager.getConnection(jdbcUrl, jdbcUser, "")) {
            out.append(QueryBenchmark.load(db, rows, 1, 1));
            try (Statement s = db.createStatement();
                    ResultSet rs = s.executeQuery("SELECT id FROM audit_event TABLESAMPLE SYSTEM (1)"
                            + " WHERE tenant = 'acme' LIMIT 1000")) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
        }
        ConsoleClient console = ConsoleClient.signIn(baseUrl, "/console/events?tenant=acme");
        ConsoleBenchmark bench = new ConsoleBenchmark(new Service(baseUrl), console, ids, requests);
        out.append(bench.measure(rounds, rows, command));
        System.out.print(out);
    }

    private List<Page> pages() {
        return List.of(
                new Page("search: actor + 30 days", r -> {
                    String query = "tenant=acme&limit=100&actor=user-" + r.nextInt(200) + "&" + days(r, 30);
                    return new String[] {"/console/events?" + query, "/api/v1/events?" + query};
                }),
                new Page("search: one day", r -> {
                    String query = "tenant=acme&limit=100&" + days(r, 1);
                    return new String[] {"/console/events?" + query, "/api/v1/events?" + query};
                }),
                new Page("event detail", r -> {
                    String id = eventIds.get(r.nextInt(eventIds.size()));
                    return new String[] {"/console/events/" + id, "/api/v1/events/" + id + "?proof=true"};
                }),
                new Page("timeline: one actor", r -> {
                    String actor = "user-" + r.nextInt(5_000);
                    return new String[] {"/console/timelines?tenant=acme&actor=" + actor,
                        "/api/v1/events?tenant=acme&limit=100&actor=" + actor};
                }),
                new Page("checkpoints", r -> new String[] {"/console/checkpoints?tenant=acme",
                    "/api/v1/logs/acme/checkpoint"}));
    }

    private static String days(SplittableRandom r, int length) {
        Instant from = FIRST_DAY.plus(Duration.ofDays(r.nextInt(365 - length)));
        return "from=" + encode(from.toString()) + "&to=" + encode(from.plus(Duration.ofDays(length)).toString());
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private String measure(int rounds, int rows, String command) {
        List<Page> pages = pages();
        api.token(USER);
        SplittableRandom random = new SplittableRandom(17);
        for (Page page : pages) { // warm-up: JIT, plans, templates and buffers, as in a running service
            for (int i = 0; i < 10; i++) {
                String[] paths = page.paths().apply(random);
                console.get(paths[0]);
                apiGet(paths[1]);
            }
        }
        Map<String, double[][]> p95 = new LinkedHashMap<>(); // page -> [round][console, api]
        pages.forEach(page -> p95.put(page.name(), new double[rounds][2]));
        for (int round = 0; round < rounds; round++) {
            LogBenchmark.log(String.format(Locale.ROOT, "round %d/%d: %d requests per page", round + 1, rounds,
                    requests));
            for (Page page : pages) {
                long[][] nanos = new long[2][requests];
                for (int i = 0; i < requests; i++) {
                    String[] paths = page.paths().apply(random);
                    // Interleaved, so page and baseline see the same machine load.
                    long t0 = System.nanoTime();
                    console.get(paths[0]);
                    nanos[0][i] = System.nanoTime() - t0;
                    long t1 = System.nanoTime();
                    apiGet(paths[1]);
                    nanos[1][i] = System.nanoTime() - t1;
                }
                p95.get(page.name())[round][0] = new Stats(nanos[0], requests).percentileMs(95);
                p95.get(page.name())[round][1] = new Stats(nanos[1], requests).percentileMs(95);
                LogBenchmark.log(String.format(Locale.ROOT, "  %-26s p95 %s ms (page) / %s ms (API)", page.name(),
                        Stats.ms(p95.get(page.name())[round][0]), Stats.ms(p95.get(page.name())[round][1])));
            }
        }
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%nConsole pages: p95 of %d requests per page and round, %d rounds, "
                + "signed in by the authorization-code flow; tenant acme holds %,d events; baseline: the API call "
                + "reading the same data with a bearer token, interleaved request by request%n", requests, rounds,
                rows));
        out.append("| page | page p95, ms, median [min-max] | API p95, ms, median [min-max] | page / API "
                + "| target p95 <= 200 ms |\n|---|---|---|---|---|\n");
        int met = 0;
        for (Page page : pages) {
            Rounds measured = new Rounds();
            Rounds base = new Rounds();
            for (double[] round : p95.get(page.name())) {
                measured.add(round[0]);
                base.add(round[1]);
            }
            boolean meets = measured.median() <= 200;
            met += meets ? 1 : 0;
            out.append(String.format(Locale.ROOT, "| %s | %s | %s | %.2f | %s |%n", page.name(), measured.ms(),
                    base.ms(), measured.median() / base.median(), meets ? "met" : "missed"));
        }
        out.append(String.format(Locale.ROOT, "%d of %d pages meet p95 <= 200 ms.%nReproduce: %s%n", met,
                pages.size(), command));
        return out.toString();
    }

    private void apiGet(String path) {
        HttpResponse<String> response = api.get(path, USER, Duration.ofSeconds(60));
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET " + path + " answered " + response.statusCode() + ": "
                    + Service.abbreviate(response.body()));
        }
    }

    /**
     * A browser stand-in: follows redirects itself and keeps every cookie it is given, Secure ones too (the bench
     * talks plain HTTP on loopback to a service declared to sit behind a TLS-terminating proxy).
     */
    static final class ConsoleClient {

        private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(10)).build();
        private final Map<String, Map<String, String>> cookiesByHost = new LinkedHashMap<>();
        private final String baseUrl;

        private ConsoleClient(String baseUrl) {
            this.baseUrl = baseUrl;
        }

        /** Opens {@code path}, which sends it through the provider's sign-in and back; fails unless it ends in 200. */
        static ConsoleClient signIn(String baseUrl, String path) {
            ConsoleClient client = new ConsoleClient(baseUrl);
            HttpResponse<String> page = client.follow(URI.create(baseUrl + path), 10);
            if (page.statusCode() != 200 || !page.body().contains("Stenographer")) {
                throw new IllegalStateException("console sign-in ended with HTTP " + page.statusCode() + " at "
                        + page.uri() + ": " + Service.abbreviate(page.body()));
            }
            LogBenchmark.log("signed in to the console as " + USER);
            return client;
        }

        void get(String path) {
            HttpResponse<String> response = follow(URI.create(baseUrl + path), 0);
            if (response.statusCode() != 200) {
                throw new IllegalStateException("GET " + path + " answered " + response.statusCode() + ": "
                        + Service.abbreviate(response.body()));
            }
        }

        private HttpResponse<String> follow(URI uri, int redirectsLeft) {
            try {
                HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60)).GET();
                String cookies = cookieHeader(uri);
                if (!cookies.isEmpty()) {
                    request.header("Cookie", cookies);
                }
                HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
                response.headers().allValues("Set-Cookie").forEach(header -> keep(uri, header));
                int status = response.statusCode();
                if (status >= 300 && status < 400 && response.headers().firstValue("Location").isPresent()) {
                    if (redirectsLeft == 0) {
                        throw new IllegalStateException("GET " + uri + " redirected (" + status + ") to "
                                + response.headers().firstValue("Location").get() + ": the session was lost");
                    }
                    return follow(uri.resolve(response.headers().firstValue("Location").get()), redirectsLeft - 1);
                }
                return response;
            } catch (IOException e) {
                throw new IllegalStateException("GET " + uri + " failed: " + e, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }

        private void keep(URI uri, String header) {
            String pair = header.split(";", 2)[0];
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                return;
            }
            Map<String, String> jar = cookiesByHost.computeIfAbsent(uri.getAuthority(), h -> new LinkedHashMap<>());
            String name = pair.substring(0, eq).trim();
            String value = pair.substring(eq + 1).trim();
            boolean expired = header.toLowerCase(Locale.ROOT).contains("max-age=0") || value.isEmpty();
            if (expired) {
                jar.remove(name);
            } else {
                jar.put(name, value);
            }
        }

        private String cookieHeader(URI uri) {
            Map<String, String> jar = cookiesByHost.getOrDefault(uri.getAuthority(), Map.of());
            StringBuilder header = new StringBuilder();
            jar.forEach((name, value) -> header.append(header.length() == 0 ? "" : "; ").append(name).append('=')
                    .append(value));
            return header.toString();
        }
    }
}
