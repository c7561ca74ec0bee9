package io.stenographer.bootstrap.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.stenographer.bootstrap.support.Api;
import io.stenographer.bootstrap.support.EmbeddedPostgresTestResource;
import io.stenographer.bootstrap.support.Events;
import io.stenographer.bootstrap.support.TestTokens;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every operation of the service's own OpenAPI document, driven with generated bad input: wrong types, nulls,
 * oversized values, broken encodings, control characters, unknown and repeated parameters, odd headers. No answer
 * may be a 500, every error must be problem+json, and a refused request must store nothing.
 *
 * <p>Cases come from a seeded {@link Random}: rerun one failure with {@code -Dfuzz.seed=<seed>} (the seed and the
 * failing case are printed). The run stops generating cases after {@link #BUDGET}.
 */
@QuarkusTest
class OpenApiFuzzAttackTest {

    private static final long SEED = Long.getLong("fuzz.seed", 0x5743_2026L);
    private static final Duration BUDGET = Duration.ofSeconds(Long.getLong("fuzz.seconds", 40));
    private static final int ROUNDS_PER_OPERATION = 100;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> WITH_BODY = Set.of("post", "put", "patch");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Random random = new Random(SEED);
    private final String tenant = Attack.tenant();
    private final String writer = "fuzz-writer-" + UUID.randomUUID();
    private final String staff = "fuzz-staff-" + UUID.randomUUID();
    private final String writerToken = TestTokens.writer(writer, tenant);
    private final String staffToken = TestTokens.valid(staff, Set.of("auditor", "compliance-admin"), tenant);
    private final List<String> findings = new ArrayList<>();
    private int acknowledgedEvents;

    /** One generated request. */
    private record Case(String method, String path, Map<String, List<String>> query, Map<String, List<String>> headers,
            byte[] body, String what) {
    }

    @Test
    void everyOperationAnswersBadInputWithAProblemNeverA500AndStoresNothingRefused() throws Exception {
        JsonNode openapi = Api.parse(http.send(HttpRequest.newBuilder(base("/q/openapi?format=json")).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body());
        List<String[]> operations = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = openapi.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (Iterator<String> methods = path.getValue().fieldNames(); methods.hasNext(); ) {
                String method = methods.next();
                if (Set.of("get", "post", "put", "delete", "patch").contains(method)) {
                    operations.add(new String[] {method, path.getKey()});
                }
            }
        }
        assertThat(operations).as("operations in the OpenAPI document").hasSizeGreaterThan(20);

        long deadline = System.nanoTime() + BUDGET.toNanos();
        int tried = 0;
        try (Connection db = EmbeddedPostgresTestResource.server().superuserConnection()) {
            outer:
            for (int round = 0; round < ROUNDS_PER_OPERATION; round++) {
                for (String[] operation : operations) {
                    if (System.nanoTime() > deadline) {
                        break outer;
                    }
                    JsonNode spec = openapi.path("paths").path(operation[1]).path(operation[0]);
                    Case bad = generate(operation[0], operation[1], spec, openapi);
                    long before = rows(db);
                    HttpResponse<String> answer = send(bad);
                    tried++;
                    if (answer != null) {
                        check(bad, answer, rows(db) - before);
                    } else if (rows(db) != before) {
                        findings.add(bad.what() + ": the connection was cut, yet events were stored");
                    }
                }
            }
            // Ingested events record the token's sub qualified by its issuer.
            assertThat(storedBy(db, writer + "@" + TestTokens.ISSUER))
                    .as("events stored for the fuzzing writer vs. events acknowledged")
                    .isEqualTo(acknowledgedEvents);
        }
        System.out.printf("OpenApiFuzzAttackTest: %d cases over %d operations, seed %d, %d findings%n", tried,
                operations.size(), SEED, findings.size());
        assertThat(findings).as("findings (seed " + SEED + ")").isEmpty();
        assertThat(tried).as("cases tried").isGreaterThan(operations.size() * 5);
    }

    private void check(Case bad, HttpResponse<String> answer, long newRows) {
        int status = answer.statusCode();
        String type = answer.headers().firstValue("Content-Type").orElse("");
        String label = bad.method().toUpperCase() + " " + bad.path() + " [" + bad.what() + "] -> " + status;
        if (status >= 500 && status != 503) {
            findings.add(label + ": " + truncate(answer.body()));
        } else if (status >= 400 && !type.startsWith(Attack.PROBLEM_JSON)) {
            findings.add(label + " without problem+json (" + type + "): " + truncate(answer.body()));
        } else if (status >= 400 && newRows != 0) {
            findings.add(label + " refused, yet " + newRows + " events were stored");
        }
        if (status / 100 == 2 && bad.path().startsWith("/api/v1/events")) {
            if (bad.path().endsWith("/batch")) {
                acknowledgedEvents += Api.json(answer).path("created").asInt();
            } else if (bad.method().equals("post") && status == 201) {
                acknowledgedEvents++;
            }
        }
    }

    // --- generation ---

    private Case generate(String method, String template, JsonNode spec, JsonNode openapi) {
        Map<String, List<String>> query = new LinkedHashMap<>();
        Map<String, List<String>> headers = new LinkedHashMap<>();
        Map<String, String> pathValues = new LinkedHashMap<>();
        List<JsonNode> declared = new ArrayList<>();
        spec.path("parameters").forEach(declared::add);
        for (JsonNode parameter : declared) {
            String name = parameter.path("name").asText();
            switch (parameter.path("in").asText()) {
                case "path" -> pathValues.put(name, plausible(name));
                case "query" -> {
                    if (parameter.path("required").asBoolean() || name.equals("tenant")) {
                        query.put(name, new ArrayList<>(List.of(plausible(name))));
                    }
                }
                default -> {
                }
            }
        }
        String token = template.startsWith("/api/v1/events") && method.equals("post") ? writerToken : staffToken;
        headers.put("Authorization", new ArrayList<>(List.of("Bearer " + token)));
        byte[] body = null;
        if (WITH_BODY.contains(method)) {
            headers.put("Content-Type", new ArrayList<>(List.of("application/json")));
            body = validBody(template).getBytes(StandardCharsets.UTF_8);
        }
        String what;
        int choice = random.nextInt(body == null ? 6 : 9);
        switch (choice) {
            case 0, 1 -> {
                if (declared.isEmpty()) {
                    what = unknownParameter(query);
                } else {
                    JsonNode parameter = declared.get(random.nextInt(declared.size()));
                    String name = parameter.path("name").asText();
                    String value = badValue();
                    what = parameter.path("in").asText() + " " + name + "=" + printable(value);
                    switch (parameter.path("in").asText()) {
                        case "path" -> pathValues.put(name, value);
                        case "query" -> query.put(name, new ArrayList<>(List.of(value)));
                        case "header" -> headers.put(name, new ArrayList<>(List.of(headerSafe(value))));
                        default -> {
                        }
                    }
                }
            }
            case 2 -> what = unknownParameter(query);
            case 3 -> {
                if (query.isEmpty()) {
                    what = unknownParameter(query);
                } else {
                    String name = query.keySet().iterator().next();
                    query.get(name).add(badValue());
                    what = "repeated " + name;
                }
            }
            case 4 -> what = badHeader(headers);
            case 5 -> {
                String name = List.of("tenant", "limit", "from", "to", "cursor", "actor", "index", "size").get(
                        random.nextInt(8));
                String value = badValue();
                query.put(name, new ArrayList<>(List.of(value)));
                what = "query " + name + "=" + printable(value);
            }
            default -> {
                Map.Entry<String, byte[]> mutated = badBody(template, body);
                what = mutated.getKey();
                body = mutated.getValue();
            }
        }
        String path = template;
        for (Map.Entry<String, String> value : pathValues.entrySet()) {
            path = path.replace("{" + value.getKey() + "}", encode(value.getValue()));
        }
        path = path.replaceAll("\\{[^}]+}", "x");
        return new Case(method, path, query, headers, body, what);
    }

    private String plausible(String name) {
        return switch (name) {
            case "tenant" -> tenant;
            case "id" -> UUID.randomUUID().toString();
            case "job" -> random.nextBoolean() ? "archive" : "purge";
            case "limit" -> "5";
            case "index", "from" -> "0";
            case "size", "to" -> "1";
            default -> "x";
        };
    }

    private String badValue() {
        List<Supplier<String>> values = List.of(
                () -> "",
                () -> " ",
                () -> "abc",
                () -> "-1",
                () -> "1e999",
                () -> "99999999999999999999999",
                () -> "0x10",
                () -> "true",
                () -> "null",
                () -> "a\u0000b",
                () -> "line\nbreak",
                () -> "tab\there\u007f",
                () -> "\ud800",
                () -> "x".repeat(2000 + random.nextInt(3000)),
                () -> "../../etc/passwd",
                () -> "' OR 1=1 --",
                () -> "%",
                () -> "%00",
                () -> "\u202eevil",
                () -> "2026-13-45T99:99:99Z",
                () -> "01890000-0000-7000-8000-00000000000g",
                () -> UUID.randomUUID().toString().toUpperCase(),
                () -> "\uffff\ufffe",
                () -> "{\"a\":1}");
        return values.get(random.nextInt(values.size())).get();
    }

    private String unknownParameter(Map<String, List<String>> query) {
        String name = "fuzz" + random.nextInt(1000);
        query.put(name, new ArrayList<>(List.of("1")));
        return "unknown parameter " + name;
    }

    private String badHeader(Map<String, List<String>> headers) {
        switch (random.nextInt(9)) {
            case 0 -> {
                headers.remove("Authorization");
                return "no token";
            }
            case 1 -> {
                headers.put("Authorization", new ArrayList<>(List.of("Bearer not.a.token")));
                return "garbage token";
            }
            case 2 -> {
                headers.put("Idempotency-Key", new ArrayList<>(List.of("k1", "k2")));
                return "two Idempotency-Keys";
            }
            case 3 -> {
                headers.put("Idempotency-Key", new ArrayList<>(List.of("k".repeat(300))));
                return "long Idempotency-Key";
            }
            case 4 -> {
                headers.put("Content-Type", new ArrayList<>(List.of(List.of("text/plain", "application/json; charset=ISO-8859-1",
                        "application/json; charset=nonsense", "///", "application/xml").get(random.nextInt(5)))));
                return "Content-Type " + headers.get("Content-Type");
            }
            case 5 -> {
                headers.put("Accept", new ArrayList<>(List.of(List.of("application/problem+json", "text/html",
                        "application/xml", "*/*;q=bad", "image/png").get(random.nextInt(5)))));
                return "Accept " + headers.get("Accept");
            }
            case 6 -> {
                headers.put("X-Fuzz", new ArrayList<>(List.of("v".repeat(4000))));
                return "long header";
            }
            case 7 -> {
                headers.put("Content-Type", new ArrayList<>(List.of("application/json", "text/plain")));
                return "two Content-Types";
            }
            default -> {
                headers.put("Accept-Charset", new ArrayList<>(List.of("ISO-8859-1")));
                return "Accept-Charset";
            }
        }
    }

    private Map.Entry<String, byte[]> badBody(String template, byte[] valid) {
        int choice = random.nextInt(16);
        String text = switch (choice) {
            case 0 -> "null";
            case 1 -> "   ";
            case 2 -> "[]";
            case 3 -> "\"text\"";
            case 4 -> "12";
            case 5 -> "{}";
            case 6 -> "[".repeat(1000) + "]".repeat(1000);
            case 7 -> new String(valid, StandardCharsets.UTF_8) + "garbage";
            case 8 -> "{\"a\":1,\"a\":2}";
            default -> null;
        };
        if (text != null) {
            return Map.entry("body " + printable(text), text.getBytes(StandardCharsets.UTF_8));
        }
        if (choice == 9) {
            byte[] broken = new byte[valid.length + 2];
            System.arraycopy(valid, 0, broken, 0, valid.length);
            broken[broken.length - 2] = (byte) 0xC3;
            broken[broken.length - 1] = (byte) 0x28;
            return Map.entry("invalid UTF-8", broken);
        }
        if (choice == 10) {
            return Map.entry("2.5 MiB body", ("{\"x\":\"" + "a".repeat(2_600_000) + "\"}").getBytes(StandardCharsets.UTF_8));
        }
        // One field of a valid body replaced by a bad value.
        JsonNode tree = Api.parse(new String(valid, StandardCharsets.UTF_8));
        List<ObjectNode> objects = new ArrayList<>();
        collectObjects(tree, objects);
        if (objects.isEmpty()) {
            return Map.entry("body {}", "{}".getBytes(StandardCharsets.UTF_8));
        }
        ObjectNode target = objects.get(random.nextInt(objects.size()));
        List<String> names = new ArrayList<>();
        target.fieldNames().forEachRemaining(names::add);
        String name = names.isEmpty() || random.nextInt(5) == 0 ? "unknownField" : names.get(random.nextInt(names.size()));
        JsonNode value = badJson();
        target.set(name, value);
        String mutated = tree.toString();
        if (value.isTextual() && value.textValue().equals("NUMBER")) {
            mutated = mutated.replace("\"NUMBER\"", List.of("1e-400", "9007199254740993.0", "1e400", "-0.0",
                    "123456789012345678901234567890").get(random.nextInt(5)));
        }
        return Map.entry("field " + name + "=" + printable(truncate(mutated.length() > 80 ? value.toString()
                : mutated)), mutated.getBytes(StandardCharsets.UTF_8));
    }

    private JsonNode badJson() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        return switch (random.nextInt(12)) {
            case 0 -> f.nullNode();
            case 1 -> f.numberNode(random.nextInt());
            case 2 -> f.booleanNode(true);
            case 3 -> f.arrayNode().add(f.nullNode());
            case 4 -> f.objectNode().putNull("x");
            case 5 -> f.textNode("a\u0000b");
            case 6 -> f.textNode("x".repeat(300_000));
            case 7 -> f.textNode("\ud800");
            case 8 -> f.textNode("");
            case 9 -> f.textNode("NUMBER");
            case 10 -> f.textNode("ctl\u0001\u001b[31m");
            default -> f.textNode(" ");
        };
    }

    private static void collectObjects(JsonNode node, List<ObjectNode> into) {
        if (node instanceof ObjectNode object) {
            into.add(object);
            object.forEach(child -> collectObjects(child, into));
        } else if (node instanceof ArrayNode array) {
            array.forEach(child -> collectObjects(child, into));
        }
    }

    private String validBody(String template) {
        String event = Events.event(tenant, "fuzz-actor", "fuzz.probe", "R-" + random.nextInt(1000));
        if (template.equals("/api/v1/events")) {
            return event;
        }
        if (template.equals("/api/v1/events/batch")) {
            return "{\"events\":[" + event + "]}";
        }
        if (template.startsWith("/api/v1/reports")) {
            return "{\"tenant\":\"" + tenant + "\",\"type\":\"record-access\",\"format\":\"json\",\"parameters\":"
                    + "{\"from\":\"2026-01-01T00:00:00Z\",\"to\":\"2026-02-01T00:00:00Z\",\"resourceType\":\"case\","
                    + "\"resourceId\":\"C-1\"}}";
        }
        if (template.startsWith("/api/v1/legal-holds/{id}")) {
            return "{\"reason\":\"fuzz\"}";
        }
        if (template.startsWith("/api/v1/legal-holds")) {
            return "{\"tenant\":\"" + tenant + "\",\"caseReference\":\"FUZZ-1\",\"reason\":\"fuzz\",\"resourceType\":"
                    + "\"case\",\"resourceId\":\"C-1\"}";
        }
        if (template.startsWith("/api/v1/retention-policies")) {
            return "{\"tenant\":\"" + tenant + "\",\"id\":\"fuzz-policy\",\"actionPattern\":\"fuzz.*\","
                    + "\"archiveAfter\":\"P30D\",\"retainFor\":\"P1Y\",\"legalBasis\":\"fuzz\"}";
        }
        if (template.endsWith("/verifications")) {
            return "{\"trustedCheckpoints\":[\"x\"]}";
        }
        return "{}";
    }

    // --- sending ---

    /** The answer, or null when an oversized body's connection was cut before the answer was read. */
    private HttpResponse<String> send(Case bad) throws InterruptedException {
        StringBuilder uri = new StringBuilder(bad.path());
        char separator = '?';
        for (Map.Entry<String, List<String>> parameter : bad.query().entrySet()) {
            for (String value : parameter.getValue()) {
                uri.append(separator).append(encode(parameter.getKey())).append('=').append(encode(value));
                separator = '&';
            }
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(base(uri.toString())).timeout(Duration.ofSeconds(60));
        bad.headers().forEach((name, values) -> values.forEach(value -> request.header(name, value)));
        request.method(bad.method().toUpperCase(), bad.body() == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(bad.body()));
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            // An oversized body may be refused and the connection closed before it is all sent.
            // The HTTP layer answers 413 (HttpLayerAttackTest reads it off a raw socket); this client may only
            // see the cut. Nothing may be stored either way, which the caller checks.
            if (bad.body() != null && bad.body().length > 2_000_000) {
                return null;
            }
            throw new AssertionError(bad.what() + " on " + bad.path() + ": " + e, e);
        }
    }

    private static URI base(String pathAndQuery) {
        return URI.create("http://localhost:" + RestAssured.port + pathAndQuery);
    }

    /** Percent-encodes as a client would, but leaves '%' sequences a case chose to send raw (e.g. {@code %00}). */
    private static String encode(String value) {
        if (value.startsWith("%") && value.length() > 1) {
            return value;
        }
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String headerSafe(String value) {
        StringBuilder out = new StringBuilder();
        for (char c : value.toCharArray()) {
            out.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return out.toString();
    }

    /**
     * The tenant's events, except those the report worker writes on its own thread when a report accepted by an
     * earlier case finishes: they are not caused by the request under test.
     */
    private long rows(Connection db) throws SQLException {
        try (PreparedStatement statement = db.prepareStatement("SELECT count(*) FROM audit_event WHERE tenant = ? "
                + "AND action NOT IN ('report.generated', 'report.failed')")) {
            statement.setString(1, tenant);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    private long storedBy(Connection db, String submitter) throws SQLException {
        try (PreparedStatement statement = db.prepareStatement(
                "SELECT count(*) FROM audit_event WHERE tenant = ? AND submitted_by = ?")) {
            statement.setString(1, tenant);
            statement.setString(2, submitter);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    private static String printable(String text) {
        StringBuilder out = new StringBuilder();
        text.codePoints().limit(60).forEach(c -> out.append(c < 0x20 || c == 0x7f || (c >= 0xd800 && c <= 0xdfff)
                ? String.format("\\u%04x", c) : new String(Character.toChars(c))));
        return text.length() > 60 ? out + "...(" + text.length() + " chars)" : out.toString();
    }

    private static String truncate(String text) {
        return text == null ? "" : text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }
}
