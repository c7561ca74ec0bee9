package io.stenographer.bootstrap.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.stenographer.bootstrap.support.Api;
import io.stenographer.bootstrap.support.OidcStub;
import io.stenographer.testing.ServiceProcess;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * The service's log (its own lines, at DEBUG, and those of its embedded PostgreSQL, which share the process output)
 * never prints a personal value: events carrying a unique canary in every personal field (actor id and name, IP address,
 * user agent, reason, metadata) are ingested, refused (a bad outcome, a reserved action, a malformed body), searched,
 * read one by one and reported on; then the log is scanned and no canary may appear in it. The canaries are first
 * shown to have really been processed (the search answers them back). Part of issue 18's canary scan; the other
 * places (database dump, archive, reports, streams) need the sealed-event v2 commitments to come out clean.
 */
class PersonalDataNotLoggedIT {

    private static final String TENANT = "privacy";
    private static final Duration DEADLINE = Duration.ofSeconds(90);

    @Test
    void noPersonalValueReachesTheServiceLog() throws Exception {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        String actorId = "canary-actor-" + tag;
        String displayName = "Canary Name " + tag;
        String ip = "198.51.100." + ThreadLocalRandom.current().nextInt(2, 250);
        String ipv6 = "2001:db8::" + tag.substring(0, 4);
        String userAgent = "CanaryAgent/" + tag;
        String reason = "canary reason " + tag;
        String metadataValue = "canary-meta-" + tag;
        List<String> canaries = List.of(actorId, displayName, ip, ipv6, userAgent, reason, metadataValue);

        Path data = Files.createTempDirectory(Path.of("target"), "privacy-");
        Path logFile;
        try (OidcStub oidc = OidcStub.start();
                ServiceProcess service = ServiceProcess.builder(data).name("privacy")
                        .env(oidc.serviceEnvironment())
                        .env("STENOGRAPHER_GENERATE_SIGNING_KEY", "true")
                        // stricter than production: not even the service's debug lines may carry a personal value
                        .property("quarkus.log.category.\"io.stenographer\".level", "DEBUG")
                        .start()) {
            logFile = service.logFile();
            Api api = new Api(service.baseUri());
            String writer = oidc.token("privacy-writer", Set.of("audit-writer"), 1, TENANT);
            // Reads personal values too, so the service decrypts them and answers them back (and must not log them).
            String auditor = oidc.token("privacy-auditor", Set.of("auditor", "personal-data-reader"), 1, TENANT);

            StringBuilder batch = new StringBuilder("{\"events\":[");
            for (int i = 0; i < 5; i++) {
                batch.append(i == 0 ? "" : ",").append(event(actorId, displayName, i % 2 == 0 ? ip : ipv6,
                        userAgent, reason, metadataValue, "case.view", "success"));
            }
            HttpResponse<String> stored = api.post("/api/v1/events/batch", writer, batch.append("]}").toString());
            assertThat(stored.statusCode()).as(Api.describe(stored)).isEqualTo(200);
            HttpResponse<String> single = api.post("/api/v1/events", writer,
                    event(actorId, displayName, ip, userAgent, reason, metadataValue, "case.export", "denied"));
            assertThat(single.statusCode()).as(Api.describe(single)).isEqualTo(201);

            // Refusals, whose errors must not carry the values into the log either.
            assertThat(api.post("/api/v1/events", writer, event(actorId, displayName, ip, userAgent, reason,
                    metadataValue, "case.view", "maybe")).statusCode()).isEqualTo(400);
            assertThat(api.post("/api/v1/events", writer, event(actorId, displayName, ip, userAgent, reason,
                    metadataValue, "legal-hold.released", "success")).statusCode()).isEqualTo(400);
            assertThat(api.post("/api/v1/events", writer, "{\"tenant\":\"" + TENANT + "\",\"actor\":{\"id\":\""
                    + actorId + "\",\"displayName\":\"" + displayName + "\"").statusCode()).isEqualTo(400);

            HttpResponse<String> found = Api.until("the canary events to be searchable", DEADLINE,
                    () -> api.get("/api/v1/events?tenant=" + TENANT + "&actor="
                            + URLEncoder.encode(actorId, StandardCharsets.UTF_8), auditor),
                    answer -> answer.statusCode() == 200 && Api.json(answer).path("events").size() == 6);
            JsonNode first = Api.json(found).path("events").get(0);
            assertThat(first.path("personalData").path("actor.displayName").path("value").asText())
                    .as("processed, and answered back").isEqualTo(displayName);
            assertThat(api.get("/api/v1/events/" + first.path("id").asText() + "?proof=true", auditor)
                    .statusCode()).isEqualTo(200);

            HttpResponse<String> requested = api.post("/api/v1/reports", auditor, """
                    {"tenant":"%s","type":"record-access","format":"csv","parameters":{"from":"%s","to":"%s",
                     "resourceType":"case","resourceId":"C-0"}}""".formatted(TENANT,
                    Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MILLIS),
                    Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MILLIS)));
            assertThat(requested.statusCode()).as(Api.describe(requested)).isEqualTo(202);
            String report = Api.json(requested).path("id").asText();
            JsonNode done = Api.json(Api.until("the report to finish", DEADLINE,
                    () -> api.get("/api/v1/reports/" + report, auditor),
                    answer -> answer.statusCode() == 200 && Set.of("succeeded", "failed")
                            .contains(Api.json(answer).path("status").asText())));
            assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("succeeded");
            HttpResponse<String> file = api.get("/api/v1/reports/" + report + "/content", auditor, "text/csv");
            assertThat(file.statusCode()).as(Api.describe(file)).isEqualTo(200);
            // Reports carry v2 events' commitments, never their personal values (docs/PRIVACY.md).
            assertThat(file.body()).as("the report holds the canary events").contains(actorId)
                    .doesNotContain(displayName);
        }

        // The service has stopped: everything it and its PostgreSQL wrote is in the file.
        String log = Files.readString(logFile, StandardCharsets.UTF_8);
        assertThat(log).as("the service logged its work").contains("Listening on");
        for (String canary : canaries) {
            assertThat(log).as("the service log (" + logFile + ") must not contain a personal value")
                    .doesNotContain(canary);
        }
    }

    private static String event(String actorId, String displayName, String ip, String userAgent, String reason,
            String metadataValue, String action, String outcome) {
        return """
                {"tenant":"%s","actor":{"id":"%s","type":"user","displayName":"%s"},
                 "action":"%s","resource":{"type":"case","id":"C-0"},"reason":"%s","outcome":"%s",
                 "occurredAt":"%s","source":{"application":"portal","ip":"%s","userAgent":"%s"},
                 "metadata":{"note":"%s"}}""".formatted(TENANT, actorId, displayName, action, reason, outcome,
                Instant.now().minus(1, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.MILLIS), ip, userAgent,
                metadataValue);
    }
}
