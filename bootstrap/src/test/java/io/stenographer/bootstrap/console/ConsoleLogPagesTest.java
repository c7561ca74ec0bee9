package io.stenographer.bootstrap.console;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.stenographer.bootstrap.support.Await;
import io.stenographer.bootstrap.support.TestTokens;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The timelines, checkpoints and search-count pages over HTTP, signed in with bearer tokens (the console's OIDC
 * tenant as {@code hybrid}): what the server renders and refuses. The in-browser check is the browser tests' part.
 */
@QuarkusTest
@TestProfile(ConsoleLogPagesTest.Hybrid.class)
class ConsoleLogPagesTest {

    public static class Hybrid implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.oidc.console.application-type", "hybrid");
        }
    }

    private static final Instant DAY1 = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(2, ChronoUnit.DAYS);

    private final String tenant = "clp-" + UUID.randomUUID().toString().substring(0, 8);
    private final String auditor = TestTokens.auditor("aud", tenant);

    /** Records the events (occurred at the given instants, actor clerk, case C-1) and waits for a larger checkpoint. */
    private long record(Instant... occurredAt) {
        long before = treeSize();
        StringBuilder events = new StringBuilder();
        for (Instant at : occurredAt) {
            events.append(events.length() == 0 ? "" : ",").append("""
                    {"tenant":"%s","actor":{"id":"clerk","type":"user"},"action":"case.view",
                     "resource":{"type":"case","id":"C 1/x"},"outcome":"success","occurredAt":"%s",
                     "source":{"application":"portal"}}""".formatted(tenant, at));
        }
        given().auth().oauth2(TestTokens.writer("w", tenant)).contentType("application/json")
                .body("{\"events\":[" + events + "]}").post("/api/v1/events/batch").then().statusCode(200);
        return Await.until("checkpoint", Await.DEADLINE, this::treeSize, size -> size >= before + occurredAt.length);
    }

    private long treeSize() {
        Response checkpoint = given().auth().oauth2(TestTokens.auditor("aud", tenant))
                .get("/api/v1/logs/" + tenant + "/checkpoint");
        return checkpoint.statusCode() == 200 ? Long.parseLong(checkpoint.asString().split("\n")[1]) : 0;
    }

    private Response get(String token, String path) {
        // The paths are sent as written: they hold the encoded links the pages themselves render.
        return given().urlEncodingEnabled(false).auth().oauth2(token).redirects().follow(false).get(path);
    }

    @Test
    void anEventPageLinkedFromAnotherSiteAsksFirstAndNothingIsRecordedUntilOpened() {
        record(DAY1.plusSeconds(60));
        String id = given().auth().oauth2(auditor).get("/api/v1/events?tenant=" + tenant + "&action=case.view")
                .jsonPath().getString("events[0].id");
        String officer = TestTokens.valid("officer", Set.of("auditor", "personal-data-reader"), tenant);

        Response linked = given().urlEncodingEnabled(false).auth().oauth2(officer).header("Sec-Fetch-Site", "cross-site")
                .redirects().follow(false).get("/console/events/" + id);
        assertThat(linked.statusCode()).isEqualTo(200);
        assertThat(linked.asString()).contains("id=\"open-here\" href=\"/console/events/" + id + "\"")
                .doesNotContain("id=\"event-data\"", "id=\"leaf-hash\"");
        assertThat(consoleViews()).as("a page another site linked to records nothing until opened")
                .doesNotContain(id);

        Response opened = given().urlEncodingEnabled(false).auth().oauth2(officer)
                .header("Sec-Fetch-Site", "same-origin").redirects().follow(false).get("/console/events/" + id);
        assertThat(opened.statusCode()).isEqualTo(200);
        assertThat(opened.asString()).contains("id=\"leaf-hash\"").doesNotContain("id=\"open-here\"");
        assertThat(consoleViews()).contains(id);
    }

    @Test
    void signingOutIsAFormWithItsTokenNotALink() {
        assertThat(get(auditor, "/console/logout").statusCode()).as("a link (GET) signs nobody out").isEqualTo(405);
        Response forged = given().auth().oauth2(auditor).contentType("application/x-www-form-urlencoded; charset=utf-8")
                .header("Sec-Fetch-Site", "cross-site").formParam("csrf", "x".repeat(43)).redirects().follow(false)
                .post("/console/logout");
        assertThat(forged.statusCode()).as(forged.getHeaders() + "\n" + forged.asString()).isEqualTo(403);
        assertThat(forged.asString()).contains("Form refused");
    }

    private String consoleViews() {
        return given().auth().oauth2(auditor)
                .get("/api/v1/events?tenant=" + tenant + "&action=audit.console.view&limit=100").asString();
    }

    @Test
    void timelinesGroupByDayPageOnAndLinkFromTheSearch() {
        record(DAY1.plusSeconds(3600), DAY1.plusSeconds(7200), DAY1.plus(1, ChronoUnit.DAYS).plusSeconds(60));

        String search = get(auditor, "/console/events?tenant=" + tenant + "&actor=clerk").asString();
        assertThat(search).contains("id=\"result-count\"", "3 events match")
                .contains("/console/timelines?tenant=" + tenant + "&actor=clerk")
                .contains("/console/timelines?tenant=" + tenant + "&resourceType=case&amp;resourceId=C+1%2Fx");

        Response first = get(auditor, "/console/timelines?tenant=" + tenant + "&actor=clerk&limit=2");
        assertThat(first.statusCode()).isEqualTo(200);
        String page = first.asString();
        String day1 = DAY1.toString().substring(0, 10);
        String day2 = DAY1.plus(1, ChronoUnit.DAYS).toString().substring(0, 10);
        assertThat(page).contains("Timeline of actor clerk", "id=\"day-" + day1 + "\"", "id=\"next-page\"")
                .doesNotContain("id=\"day-" + day2 + "\"");
        String next = page.substring(page.indexOf("id=\"next-page\" href=\"") + 21);
        next = next.substring(0, next.indexOf('"')).replace("&amp;", "&");
        String second = get(auditor, next).asString();
        assertThat(second).contains("id=\"day-" + day2 + "\"", "id=\"first-page\"").doesNotContain("id=\"next-page\"");

        String resource = get(auditor, "/console/timelines?tenant=" + tenant
                + "&resourceType=case&resourceId=C+1%2Fx").asString();
        assertThat(resource).contains("Timeline of resource case C 1/x", "3 events on this page");

        assertThat(get(auditor, "/console/timelines?tenant=" + tenant + "&actor=clerk&from=yesterday").statusCode())
                .isEqualTo(400);
        assertThat(get(TestTokens.auditor("other", "clp-elsewhere"), "/console/timelines?tenant=" + tenant
                + "&actor=clerk").statusCode()).isEqualTo(403);
        String views = given().auth().oauth2(auditor)
                .get("/api/v1/events?tenant=" + tenant + "&action=audit.console.view&limit=100").asString();
        assertThat(views).contains("timeline", "matching");
    }

    @Test
    void aSearchAndATimelineByAPersonalIdRecordTheirViewsWithItsPseudonymOnly() {
        String clinic = "clinic-ids"; // actor.id and resource.id are personal there (the test profile's policy)
        String patient = "patient-" + UUID.randomUUID();
        given().auth().oauth2(TestTokens.writer("w", clinic)).contentType("application/json").body("""
                {"events":[{"tenant":"%s","actor":{"id":"%s","type":"user"},"action":"record.view",
                 "resource":{"type":"record","id":"R-%s"},"outcome":"success","occurredAt":"%s",
                 "source":{"application":"portal"}}]}""".formatted(clinic, patient, patient, DAY1))
                .post("/api/v1/events/batch").then().statusCode(200);
        String clinicAuditor = TestTokens.auditor("aud", clinic);
        String pseudonym = given().auth().oauth2(clinicAuditor).queryParam("tenant", clinic).queryParam("actor", patient)
                .get("/api/v1/events").then().statusCode(200).extract().jsonPath().getString("events[0].actor.id");
        assertThat(pseudonym).startsWith("pseudonym:");

        assertThat(get(clinicAuditor, "/console/events?tenant=" + clinic + "&actor=" + patient).asString())
                .contains(pseudonym);
        assertThat(get(clinicAuditor, "/console/timelines?tenant=" + clinic + "&actor=" + patient).statusCode())
                .isEqualTo(200);

        String views = given().auth().oauth2(clinicAuditor)
                .get("/api/v1/events?tenant=" + clinic + "&action=audit.console.view&limit=100").asString();
        assertThat(views).as("both views are recorded, naming the pseudonym").contains("\"page\":\"search\"",
                "\"page\":\"timeline\"", pseudonym).doesNotContain(patient);
        // The auditor's own events name it by its pseudonym too, so a search by its id finds them.
        assertThat(given().auth().oauth2(clinicAuditor).queryParam("tenant", clinic).queryParam("actor", "aud")
                .queryParam("action", "audit.console.view").get("/api/v1/events").then().statusCode(200)
                .extract().jsonPath().getList("events")).hasSizeGreaterThanOrEqualTo(2);
    }

    @Test
    void checkpointsShowTheHistoryAndEmbedAConsistencyProof() {
        long first = record(DAY1);
        long second = record(DAY1.plusSeconds(1), DAY1.plusSeconds(2));

        Response page = get(auditor, "/console/checkpoints?tenant=" + tenant);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.asString()).contains("id=\"latest-checkpoint\"", "id=\"checkpoint-history\"",
                "<td>" + first + "</td>", "/console/assets/checkpoints.js", "/console/assets/tlog.js")
                .doesNotContain("consistency-data");

        String proof = get(auditor, "/console/checkpoints?tenant=" + tenant + "&from=" + first + "&to=" + second)
                .asString();
        assertThat(proof).contains("<script type=\"application/json\" id=\"consistency-data\">",
                "\"fromSize\":\"" + first + "\"", "\"toSize\":\"" + second + "\"", "\"fromCheckpoint\":",
                "\"proof\":[", "id=\"consistency-steps\"", "id=\"consistency-result\"");

        Response older = get(auditor, "/console/checkpoints?tenant=" + tenant + "&limit=1");
        assertThat(older.asString()).contains("id=\"older-page\"");

        Response unknown = get(auditor, "/console/checkpoints?tenant=" + tenant + "&from=999999");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(unknown.asString()).contains("id=\"consistency-error\"", "no checkpoint was published at tree size");
        assertThat(get(TestTokens.auditor("other", "clp-elsewhere"), "/console/checkpoints?tenant=" + tenant)
                .statusCode()).isEqualTo(403);
    }
}
