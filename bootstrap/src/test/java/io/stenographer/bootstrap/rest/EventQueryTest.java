package io.stenographer.bootstrap.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.stenographer.bootstrap.support.EmbeddedPostgresTestResource;
import io.stenographer.bootstrap.support.TestTokens;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.nullValue;

/**
 * Filters, keyset paging, reads by id, and the audit.query trail. Each test seeds its own tenant with
 * 30 varied events and computes the expected answer from that model, independently of the server.
 */
@QuarkusTest
class EventQueryTest {

    private static final String PROBLEM_JSON = "application/problem+json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int SEEDS = 30;
    /** Seeds occur within [BASE, BASE + 15 min), long before any audit.query event of the test. */
    private static final Instant BASE = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(3, ChronoUnit.HOURS);
    private static final String[] ACTORS = {"alice", "bob", "carol"};
    private static final String[] ACTIONS = {"case.view", "case.export", "casefile.open", "user.login",
        "case.note.add"};
    private static final String[] OUTCOMES = {"success", "success", "failure", "denied"};
    private static final Comparator<View> ORDER = Comparator.comparing(View::occurredAt).thenComparing(View::id);

    /** The filterable shape of one event, from the seed model, the database or a response. */
    record View(String id, String actor, String action, String resourceType, String resourceId, String outcome,
            Instant occurredAt, String sourceApplication, String correlationId) {
    }

    record Seeded(String tenant, List<View> seeds, List<String> leafHashes) {
        Set<String> ids() {
            Set<String> ids = new HashSet<>();
            seeds.forEach(seed -> ids.add(seed.id()));
            return ids;
        }
    }

    record FilterCase(String name, Map<String, String> params, Predicate<View> matches) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> filters() {
        Instant from = BASE.plus(5, ChronoUnit.MINUTES);
        Instant to = BASE.plus(9, ChronoUnit.MINUTES);
        Predicate<View> inWindow = v -> !v.occurredAt().isBefore(from) && v.occurredAt().isBefore(to);
        return Stream.of(
                filter("actor", Map.of("actor", "bob"), v -> v.actor().equals("bob")),
                filter("action exact", Map.of("action", "case.view"), v -> v.action().equals("case.view")),
                filter("action exact does not match longer names", Map.of("action", "case.note"),
                        v -> v.action().equals("case.note")),
                filter("action prefix case.*", Map.of("action", "case.*"), v -> v.action().startsWith("case.")),
                filter("action prefix case.note.*", Map.of("action", "case.note.*"),
                        v -> v.action().startsWith("case.note.")),
                filter("action prefix audit.*", Map.of("action", "audit.*"), v -> v.action().startsWith("audit.")),
                filter("resourceType", Map.of("resourceType", "person"), v -> "person".equals(v.resourceType())),
                filter("resourceId", Map.of("resourceId", "R-1"), v -> "R-1".equals(v.resourceId())),
                filter("resourceType and resourceId", Map.of("resourceType", "case", "resourceId", "R-2"),
                        v -> "case".equals(v.resourceType()) && "R-2".equals(v.resourceId())),
                filter("outcome failure", Map.of("outcome", "failure"), v -> v.outcome().equals("failure")),
                filter("outcome success", Map.of("outcome", "success"), v -> v.outcome().equals("success")),
                filter("from is inclusive", Map.of("from", from.toString()), v -> !v.occurredAt().isBefore(from)),
                filter("to is exclusive", Map.of("to", to.toString()), v -> v.occurredAt().isBefore(to)),
                filter("from and to", Map.of("from", from.toString(), "to", to.toString()), inWindow),
                filter("from and to with an offset",
                        Map.of("from", OffsetDateTime.ofInstant(from, ZoneOffset.ofHours(2)).toString(),
                                "to", OffsetDateTime.ofInstant(to, ZoneOffset.ofHours(-5)).toString()), inWindow),
                filter("sourceApplication", Map.of("sourceApplication", "hr-sync"),
                        v -> v.sourceApplication().equals("hr-sync")),
                filter("correlationId", Map.of("correlationId", "corr-a"), v -> "corr-a".equals(v.correlationId())),
                filter("no filter", Map.of(), v -> true),
                filter("nothing matches", Map.of("actor", "mallory"), v -> false),
                filter("actor + action prefix + outcome + sourceApplication",
                        Map.of("actor", "alice", "action", "case.*", "outcome", "success",
                                "sourceApplication", "portal"),
                        v -> v.actor().equals("alice") && v.action().startsWith("case.")
                                && v.outcome().equals("success") && v.sourceApplication().equals("portal")),
                filter("resourceType + window + correlationId",
                        Map.of("resourceType", "person", "from", BASE.toString(),
                                "to", BASE.plus(12, ChronoUnit.MINUTES).toString(), "correlationId", "corr-b"),
                        v -> "person".equals(v.resourceType()) && v.occurredAt().isBefore(BASE.plus(12,
                                ChronoUnit.MINUTES)) && "corr-b".equals(v.correlationId())),
                filter("every filter at once",
                        Map.of("actor", "alice", "action", "user.login", "resourceType", "person", "resourceId", "R-3",
                                "outcome", "denied", "from", BASE.toString(),
                                "to", BASE.plus(1, ChronoUnit.HOURS).toString(), "sourceApplication", "portal",
                                "correlationId", "corr-b"),
                        v -> v.actor().equals("alice") && v.action().equals("user.login")
                                && "person".equals(v.resourceType()) && "R-3".equals(v.resourceId())
                                && v.outcome().equals("denied") && v.sourceApplication().equals("portal")
                                && v.occurredAt().isBefore(BASE.plus(1, ChronoUnit.HOURS))
                                && "corr-b".equals(v.correlationId())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("filters")
    void filterReturnsExactlyTheMatchingEventsInOrder(FilterCase filter) {
        Seeded seeded = seed();
        String auditor = "auditor-" + hex(4);
        // Earlier searches leave audit.query events in the log; they are part of the truth too.
        searchAll(seeded.tenant(), auditor, Map.of("actor", "warm-up"));

        List<View> universe = new ArrayList<>(seeded.seeds());
        universe.addAll(selfAuditRows(seeded.tenant()));
        List<String> expected = universe.stream().filter(filter.matches()).sorted(ORDER).map(View::id).toList();

        Response response = search(seeded.tenant(), auditor, withLimit(filter.params(), "1000"));

        response.then().statusCode(200);
        assertThat(response.jsonPath().getString("nextCursor")).isNull();
        List<View> returned = views(response);
        assertThat(returned).map(View::id).containsExactlyElementsOf(expected);
        assertThat(returned).allMatch(filter.matches());
        assertThat(returned).isSortedAccordingTo(ORDER);
        // The filter must actually discriminate for most cases: the seed data is built for it.
        if (!filter.params().isEmpty() && !filter.name().equals("nothing matches")
                && !filter.name().startsWith("action exact does not") && !filter.name().contains("audit.*")) {
            assertThat(expected).as("the seed data exercises this filter").isNotEmpty();
        }
    }

    @Test
    void fromIsInclusiveAndToIsExclusiveAtTheExactInstant() {
        Seeded seeded = seed();
        Instant at = BASE.plus(5, ChronoUnit.MINUTES);
        List<String> exactlyAt = seeded.seeds().stream().filter(v -> v.occurredAt().equals(at)).map(View::id).toList();
        assertThat(exactlyAt).hasSize(2);

        List<String> fromAt = ids(search(seeded.tenant(), "auditor-x",
                Map.of("from", at.toString(), "to", at.plus(1, ChronoUnit.MICROS).toString())));
        assertThat(fromAt).containsExactlyInAnyOrderElementsOf(exactlyAt);

        List<String> toAt = ids(search(seeded.tenant(), "auditor-x",
                Map.of("from", at.minus(1, ChronoUnit.MICROS).toString(), "to", at.toString())));
        assertThat(toAt).isEmpty();
    }

    @Test
    void pagingWalksEveryEventOnceInOrder() {
        Seeded seeded = seed();
        String to = BASE.plus(1, ChronoUnit.HOURS).toString();
        List<String> expected = seeded.seeds().stream().sorted(ORDER).map(View::id).toList();

        List<List<View>> pages = walk(seeded.tenant(), Map.of("to", to), 7);

        assertThat(pages).map(List::size).containsExactly(7, 7, 7, 7, 2);
        List<View> all = pages.stream().flatMap(List::stream).toList();
        assertThat(all).map(View::id).doesNotHaveDuplicates().containsExactlyElementsOf(expected);
        assertThat(all).isSortedAccordingTo(ORDER);
    }

    @Test
    void pagingAnExactMultipleEndsWithoutAnEmptyPage() {
        Seeded seeded = seed();
        List<List<View>> pages = walk(seeded.tenant(), Map.of("to", BASE.plus(1, ChronoUnit.HOURS).toString()), 10);
        assertThat(pages).map(List::size).containsExactly(10, 10, 10);
    }

    @Test
    void pagingCombinesWithFilters() {
        Seeded seeded = seed();
        List<String> expected = seeded.seeds().stream().filter(v -> v.action().startsWith("case."))
                .sorted(ORDER).map(View::id).toList();
        assertThat(expected).hasSizeGreaterThan(7);

        List<List<View>> pages = walk(seeded.tenant(), Map.of("action", "case.*"), 7);

        assertThat(pages.stream().flatMap(List::stream).map(View::id).toList()).containsExactlyElementsOf(expected);
    }

    @Test
    void invalidLimitIs400() {
        Seeded seeded = seed();
        long before = selfAuditRows(seeded.tenant()).size();
        for (String limit : List.of("0", "1001", "abc", "-1", "1.5", "99999999999")) {
            Response response = search(seeded.tenant(), "auditor-x", Map.of("limit", limit));
            assertProblem(response, 400, "validation-failed", "limit");
        }
        assertThat(selfAuditRows(seeded.tenant())).as("rejected queries are not run, so not audited")
                .hasSize((int) before);
        search(seeded.tenant(), "auditor-x", Map.of("limit", "1000")).then().statusCode(200);
        search(seeded.tenant(), "auditor-x", Map.of("limit", "1")).then().statusCode(200)
                .body("events.size()", equalTo(1));
    }

    @Test
    void garbageCursorIs400() {
        Seeded seeded = seed();
        List<String> garbage = List.of("garbage", "!!!", "x".repeat(300),
                base64("v2:123:" + UUID.randomUUID()), base64("v1:notanumber:" + UUID.randomUUID()),
                base64("v1:123:not-a-uuid"), base64("v1:123"),
                base64("v1:-9223372036854775808:" + UUID.randomUUID()),
                base64("v1:9223372036854775807:" + UUID.randomUUID()));
        for (String cursor : garbage) {
            assertProblem(search(seeded.tenant(), "auditor-x", Map.of("cursor", cursor)), 400, "invalid-cursor",
                    "cursor");
        }
    }

    @Test
    void unknownOrRepeatedQueryParametersAre400() {
        Seeded seeded = seed();
        assertProblem(search(seeded.tenant(), "auditor-x", Map.of("actorId", "alice")), 400, "unknown-field",
                "actorId");
        Response repeated = given().auth().oauth2(TestTokens.auditor("auditor-x", seeded.tenant()))
                .queryParam("actor", "alice", "bob")
                .when().get("/api/v1/events");
        assertProblem(repeated, 400, "validation-failed", "actor");
    }

    @Test
    void invalidFilterValuesAre400() {
        Seeded seeded = seed();
        assertProblem(search(seeded.tenant(), "a", Map.of("outcome", "maybe")), 400, "validation-failed", "outcome");
        assertProblem(search(seeded.tenant(), "a", Map.of("from", "yesterday")), 400, "validation-failed", "from");
        assertProblem(search(seeded.tenant(), "a", Map.of("to", "2024-01-01")), 400, "validation-failed", "to");
        assertProblem(search(seeded.tenant(), "a", Map.of("action", "Case.*")), 400, "validation-failed", "action");
        assertProblem(search(seeded.tenant(), "a",
                Map.of("from", BASE.toString(), "to", BASE.toString())), 400, "validation-failed", "from");
    }

    @Test
    void auditorOfSeveralTenantsMustNameOne() {
        Seeded seeded = seed();
        Response response = given().auth().oauth2(TestTokens.auditor("auditor-x", seeded.tenant(), tenant()))
                .when().get("/api/v1/events");
        assertProblem(response, 400, "validation-failed", "tenant");

        given().auth().oauth2(TestTokens.auditor("auditor-x", seeded.tenant(), tenant()))
                .queryParam("tenant", seeded.tenant()).queryParam("actor", "alice")
                .when().get("/api/v1/events")
                .then().statusCode(200).body("events.size()", equalTo(10));
    }

    @Test
    void aPersonalDataReaderSeesTheValueAndTheOpeningOfItsCommitment() {
        Seeded seeded = seed();
        View seed = seeded.seeds().get(6);

        given().auth().oauth2(TestTokens.valid("privacy-officer", Set.of("auditor", "personal-data-reader"),
                        seeded.tenant()))
                .when().get("/api/v1/events/{id}", seed.id())
                .then().statusCode(200)
                .body("personalData.'source.ip'.status", equalTo("revealed"))
                .body("personalData.'source.ip'.value", equalTo("192.0.2.6"))
                .body("personalData.'source.ip'.opening", matchesPattern("[0-9a-f]{64}"))
                .body("source.ip", nullValue());
        // Reading personal values is itself in the tenant's log.
        given().auth().oauth2(TestTokens.auditor("auditor-x", seeded.tenant()))
                .queryParam("action", "audit.personal-data.revealed")
                .when().get("/api/v1/events")
                .then().statusCode(200).body("events.size()", greaterThanOrEqualTo(1))
                .body("events[0].actor.id", equalTo("privacy-officer"));
    }

    @Test
    void readByIdReturnsTheSealedEvent() {
        Seeded seeded = seed();
        View seed = seeded.seeds().get(6);
        int index = 6;

        Response response = given().auth().oauth2(TestTokens.auditor("auditor-x", seeded.tenant()))
                .when().get("/api/v1/events/{id}", seed.id());

        response.then().statusCode(200)
                .body("id", equalTo(seed.id()))
                .body("tenant", equalTo(seeded.tenant()))
                .body("submittedBy", equalTo("seed-writer@" + TestTokens.ISSUER))
                .body("actor.id", equalTo(seed.actor()))
                .body("actor.type", equalTo("user"))
                .body("action", equalTo(seed.action()))
                .body("outcome", equalTo(seed.outcome()))
                .body("source.application", equalTo(seed.sourceApplication()))
                // A personal field under the default data policy: an auditor sees the leaf's commitment only.
                .body("format", equalTo("stenographer.event/v2"))
                .body("source.ip", nullValue())
                .body("personal.'source.ip'", matchesPattern("[0-9a-f]{64}"))
                .body("personalData.'source.ip'.status", equalTo("withheld"))
                .body("personalData.'source.ip'.value", nullValue())
                .body("correlationId", equalTo(seed.correlationId()))
                .body("metadata.seq", equalTo(index))
                .body("metadata.tags", equalTo(List.of("x", "y")))
                .body("leafHash", equalTo(seeded.leafHashes().get(index)));
        assertThat(Instant.parse(response.jsonPath().getString("occurredAt"))).isEqualTo(seed.occurredAt());
        assertThat(response.jsonPath().getString("occurredAt")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z");
        assertThat(response.jsonPath().getString("receivedAt")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z");
        // index 6 has no resource in the seed model
        assertThat(response.jsonPath().getMap("resource")).isNull();
    }

    @Test
    void unknownOrMalformedIdIsAProblem() {
        Seeded seeded = seed();
        long before = selfAuditRows(seeded.tenant()).size();
        Response missing = given().auth().oauth2(TestTokens.auditor("auditor-x", seeded.tenant()))
                .when().get("/api/v1/events/{id}", UUID.randomUUID().toString());
        assertProblem(missing, 404, "not-found", null);

        Response malformed = given().auth().oauth2(TestTokens.auditor("auditor-x", seeded.tenant()))
                .when().get("/api/v1/events/{id}", "not-a-uuid");
        assertThat(malformed.statusCode()).isBetween(400, 404);
        assertThat(malformed.contentType()).startsWith(PROBLEM_JSON);
        assertThat(selfAuditRows(seeded.tenant())).hasSize((int) before);
    }

    @Test
    void everyQueryAndReadIsItselfAudited() throws Exception {
        Seeded seeded = seed();
        String auditor = "auditor-" + hex(6);
        String from = BASE.toString();
        String to = BASE.plus(1, ChronoUnit.HOURS).toString();
        Map<String, String> filter = Map.of("actor", "alice", "action", "case.*", "outcome", "success",
                "from", from, "to", to, "limit", "2");

        Response first = search(seeded.tenant(), auditor, filter);
        first.then().statusCode(200).body("events.size()", equalTo(2));
        String cursor = first.jsonPath().getString("nextCursor");
        assertThat(cursor).isNotNull();
        Map<String, String> next = new LinkedHashMap<>(filter);
        next.put("cursor", cursor);
        search(seeded.tenant(), auditor, next).then().statusCode(200);
        String readId = seeded.seeds().get(3).id();
        given().auth().oauth2(TestTokens.auditor(auditor, seeded.tenant()))
                .when().get("/api/v1/events/{id}", readId).then().statusCode(200);

        // In the database: three audit.query events, by the auditor, in the audited tenant.
        List<JsonNode> trail = selfAuditMetadata(seeded.tenant(), auditor);
        assertThat(trail).hasSize(3);
        for (int i = 0; i < 2; i++) {
            JsonNode recorded = trail.get(i).get("filter");
            assertThat(recorded.get("actor").asText()).isEqualTo("alice");
            assertThat(recorded.get("action").asText()).isEqualTo("case.*");
            assertThat(recorded.get("outcome").asText()).isEqualTo("success");
            assertThat(Instant.parse(recorded.get("from").asText())).isEqualTo(Instant.parse(from));
            assertThat(Instant.parse(recorded.get("to").asText())).isEqualTo(Instant.parse(to));
            assertThat(recorded.has("resourceType")).isFalse();
            assertThat(trail.get(i).get("limit").asInt()).isEqualTo(2);
        }
        assertThat(trail.get(0).get("paged").asText()).isEqualTo("first");
        assertThat(trail.get(1).get("paged").asText()).isEqualTo("next");
        assertThat(trail.get(2).get("eventId").asText()).isEqualTo(readId);

        // Through the API: the auditor's own trail, found by actor and action.
        Response own = search(seeded.tenant(), "other-auditor", Map.of("actor", auditor, "action", "audit.query"));
        own.then().statusCode(200)
                .body("events.size()", equalTo(3))
                .body("events.actor.id", equalTo(List.of(auditor, auditor, auditor)))
                .body("events.submittedBy", equalTo(List.of(auditor, auditor, auditor)))
                .body("events.tenant", equalTo(List.of(seeded.tenant(), seeded.tenant(), seeded.tenant())))
                .body("events[0].metadata.filter.actor", equalTo("alice"))
                .body("events[0].metadata.filter.action", equalTo("case.*"))
                .body("events[2].metadata.eventId", equalTo(readId));
        assertThat(selfAuditMetadata(seeded.tenant(), "other-auditor")).hasSize(1);
    }

    // ------------------------------------------------------------------------------------------------

    private static Arguments filter(String name, Map<String, String> params, Predicate<View> matches) {
        return Arguments.of(new FilterCase(name, params, matches));
    }

    /** Seeds 30 events in a fresh tenant with one batch and returns the model of what was sent. */
    private static Seeded seed() {
        String tenant = tenant();
        ArrayNode events = JSON.createArrayNode();
        List<View> model = new ArrayList<>();
        for (int i = 0; i < SEEDS; i++) {
            Instant occurredAt = BASE.plus((i * 7L % SEEDS) / 2, ChronoUnit.MINUTES); // pairs share an instant
            String actor = ACTORS[i % 3];
            String action = ACTIONS[i % 5];
            String resourceType = i % 7 == 6 ? null : (i % 2 == 0 ? "case" : "person");
            String resourceId = resourceType == null ? null : "R-" + (i % 4);
            String outcome = OUTCOMES[i % 4];
            String application = (i / 5) % 2 == 0 ? "portal" : "hr-sync";
            String correlation = i % 6 == 0 ? "corr-a" : i % 6 == 3 ? "corr-b" : null;

            ObjectNode event = events.addObject();
            event.put("tenant", tenant);
            event.putObject("actor").put("id", actor).put("type", "user");
            event.put("action", action);
            if (resourceType != null) {
                event.putObject("resource").put("type", resourceType).put("id", resourceId);
            }
            event.put("outcome", outcome);
            event.put("occurredAt", occurredAt.toString());
            event.putObject("source").put("application", application).put("ip", "192.0.2." + i);
            if (correlation != null) {
                event.put("correlationId", correlation);
            }
            ObjectNode metadata = event.putObject("metadata");
            metadata.put("seq", i);
            metadata.putArray("tags").add("x").add("y");
            model.add(new View(null, actor, action, resourceType, resourceId, outcome, occurredAt, application,
                    correlation));
        }
        ObjectNode body = JSON.createObjectNode();
        body.set("events", events);

        Response response = given().auth().oauth2(TestTokens.writer("seed-writer", tenant))
                .contentType("application/json").body(body.toString())
                .when().post("/api/v1/events/batch");
        response.then().statusCode(200).body("created", equalTo(SEEDS));

        // One parse of the answer: each jsonPath() call would parse the body again.
        var answer = response.jsonPath();
        List<String> ids = answer.getList("items.id", String.class);
        List<String> leafHashes = answer.getList("items.leafHash", String.class);
        assertThat(answer.getList("items.index", Integer.class)).isEqualTo(
                IntStream.range(0, SEEDS).boxed().toList());
        List<View> seeds = new ArrayList<>();
        for (int i = 0; i < SEEDS; i++) {
            View v = model.get(i);
            seeds.add(new View(ids.get(i), v.actor(), v.action(), v.resourceType(), v.resourceId(), v.outcome(),
                    v.occurredAt(), v.sourceApplication(), v.correlationId()));
        }
        return new Seeded(tenant, List.copyOf(seeds), List.copyOf(leafHashes));
    }

    private static Response search(String tenant, String auditor, Map<String, String> params) {
        RequestSpecification request = given().auth().oauth2(TestTokens.auditor(auditor, tenant))
                .queryParam("tenant", tenant);
        for (Map.Entry<String, String> param : params.entrySet()) {
            request = request.queryParam(param.getKey(), param.getValue());
        }
        return request.when().get("/api/v1/events");
    }

    private static List<View> searchAll(String tenant, String auditor, Map<String, String> params) {
        Response response = search(tenant, auditor, withLimit(params, "1000"));
        response.then().statusCode(200);
        return views(response);
    }

    /** Follows nextCursor to the end and returns the pages; fails on a loop. */
    private static List<List<View>> walk(String tenant, Map<String, String> filter, int limit) {
        List<List<View>> pages = new ArrayList<>();
        String cursor = null;
        do {
            Map<String, String> params = withLimit(filter, Integer.toString(limit));
            if (cursor != null) {
                params.put("cursor", cursor);
            }
            Response response = search(tenant, "pager", params);
            response.then().statusCode(200);
            List<View> page = views(response);
            assertThat(page).hasSizeLessThanOrEqualTo(limit);
            pages.add(page);
            cursor = response.jsonPath().getString("nextCursor");
            if (cursor != null) {
                assertThat(page).as("a page with a next cursor is full").hasSize(limit);
            }
            assertThat(pages).as("paging terminates").hasSizeLessThan(100);
        } while (cursor != null);
        return pages;
    }

    private static Map<String, String> withLimit(Map<String, String> params, String limit) {
        Map<String, String> copy = new LinkedHashMap<>(params);
        copy.put("limit", limit);
        return copy;
    }

    private static List<View> views(Response response) {
        List<Map<String, Object>> events = response.jsonPath().getList("events");
        List<View> views = new ArrayList<>();
        for (Map<String, Object> event : events) {
            @SuppressWarnings("unchecked")
            Map<String, Object> actor = (Map<String, Object>) event.get("actor");
            @SuppressWarnings("unchecked")
            Map<String, Object> resource = (Map<String, Object>) event.get("resource");
            @SuppressWarnings("unchecked")
            Map<String, Object> source = (Map<String, Object>) event.get("source");
            views.add(new View((String) event.get("id"), (String) actor.get("id"), (String) event.get("action"),
                    resource == null ? null : (String) resource.get("type"),
                    resource == null ? null : (String) resource.get("id"),
                    (String) event.get("outcome"), Instant.parse((String) event.get("occurredAt")),
                    (String) source.get("application"), (String) event.get("correlationId")));
        }
        return views;
    }

    private static List<String> ids(Response response) {
        response.then().statusCode(200);
        return views(response).stream().map(View::id).toList();
    }

    private static void assertProblem(Response response, int status, String type, String field) {
        assertThat(response.statusCode()).as("status; body: %s", response.asString()).isEqualTo(status);
        assertThat(response.contentType()).startsWith(PROBLEM_JSON);
        assertThat(response.jsonPath().getString("type")).isEqualTo("urn:stenographer:problem:" + type);
        if (field != null) {
            assertThat(response.jsonPath().getString("field")).isEqualTo(field);
        }
    }

    /** The audit.query events the server has appended to a tenant so far. */
    private static List<View> selfAuditRows(String tenant) {
        String sql = "SELECT id::text, actor_id, action, resource_type, resource_id, outcome, occurred_at,"
                + " source_application, correlation_id FROM audit_event WHERE tenant = ? AND action = 'audit.query'";
        try (Connection connection = EmbeddedPostgresTestResource.server().superuserConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, tenant);
            List<View> rows = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    rows.add(new View(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getString(6), rs.getObject(7, OffsetDateTime.class).toInstant(),
                            rs.getString(8), rs.getString(9)));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Metadata of the audit.query events by one auditor, in the order they were appended. */
    private static List<JsonNode> selfAuditMetadata(String tenant, String auditor) throws Exception {
        String sql = "SELECT metadata, submitted_by, source_application FROM audit_event"
                + " WHERE tenant = ? AND action = 'audit.query' AND actor_id = ? ORDER BY ingest_seq";
        try (Connection connection = EmbeddedPostgresTestResource.server().superuserConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, tenant);
            statement.setString(2, auditor);
            List<JsonNode> rows = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    assertThat(rs.getString(2)).isEqualTo(auditor);
                    assertThat(rs.getString(3)).isEqualTo("stenographer");
                    rows.add(JSON.readTree(rs.getString(1)));
                }
            }
            return rows;
        }
    }

    private static String base64(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.US_ASCII));
    }

    private static String hex(int bytes) {
        byte[] random = new byte[bytes];
        RANDOM.nextBytes(random);
        return HexFormat.of().formatHex(random);
    }

    static String tenant() {
        return "t-" + hex(8);
    }
}
