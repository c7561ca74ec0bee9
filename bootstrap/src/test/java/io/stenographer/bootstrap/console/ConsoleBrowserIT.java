package io.stenographer.bootstrap.console;

import com.fasterxml.jackson.databind.JsonNode;
import io.stenographer.bootstrap.oidc.SharedKeycloak;
import io.stenographer.bootstrap.support.Api;
import io.stenographer.testing.ChromiumInstall;
import io.stenographer.testing.KeycloakProcess;
import io.stenographer.testing.ServiceProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.devtools.NetworkInterceptor;
import org.openqa.selenium.remote.http.Contents;
import org.openqa.selenium.remote.http.Filter;
import org.openqa.selenium.remote.http.HttpMethod;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.FluentWait;
import org.openqa.selenium.support.ui.Select;
import static io.stenographer.bootstrap.support.Api.describe;
import static io.stenographer.bootstrap.support.Api.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The auditor's console in a real browser: Debian's Chromium (installed by {@link ChromiumInstall} when missing),
 * headless, against the packaged service (prod profile, {@code java -jar}, HTTPS) signing users in through a real
 * Keycloak's login form with the shipped realm. One browser per user, one service, one Keycloak.
 *
 * <p>The scenarios run in order and share the auditor's browser: sign in, search, page, open an event, verify it in
 * the browser and see a proof altered in transit (through the DevTools protocol) fail, request and download a
 * report, open a timeline, the checkpoints and the jobs; the compliance admin places and releases a legal hold; an
 * auditor of globex only sees nothing of acme; the auditor signs out. Every main page gets an axe-core audit (WCAG 2.2 AA) and a screenshot in
 * {@code target/console-screenshots}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserIT {

    private static final String REALM = SharedKeycloak.REALM;
    /** The console's client secret in the shipped realm: a demo value, not a real one. */
    private static final String CONSOLE_SECRET = "demo-only-console-secret-not-for-production";
    private static final int RANGE_EVENTS = 25;
    private static final int OUTSIDE_RANGE_EVENTS = 3;
    private static final int OTHER_ACTOR_EVENTS = 2;
    private static final int PAGE = 10;
    private static final Pattern FIRST_PROOF_HASH = Pattern.compile("(\"inclusionProof\":\\[\")([A-Za-z0-9+/=]+)(\")");

    private static KeycloakProcess keycloak;
    private static ServiceProcess service;
    private static Api api;
    private static ChromiumInstall.Browser chromium;
    private static ConsoleBrowser auditor;
    private static final List<ConsoleBrowser> browsers = new ArrayList<>();

    /** The seeded actor, unique to this run; its events lie on {@link #day} and three days before. */
    private static final String ACTOR = "dana-" + UUID.randomUUID().toString().substring(0, 8);
    private static final String OTHER_ACTOR = "lee-" + UUID.randomUUID().toString().substring(0, 8);
    private static Instant day;
    private static String verifierKey;
    /** The event page's #event-data, as the browser got it in scenario 5; scenario 11 checks it offline. */
    private static String evidence;
    /** The event the event-page scenarios open (set by the paging scenario). */
    private static String eventId;

    /** axe-core's findings on the pages the current scenario visited. */
    private final List<String> violations = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        long started = System.nanoTime();
        chromium = ChromiumInstall.ensure();
        System.out.printf("browser ready in %d ms: %s / %s%n", millisSince(started), chromium.chromiumVersion(),
                chromium.chromedriverVersion());
        keycloak = SharedKeycloak.get();
        Path data = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "console-browser-");
        long serviceStarted = System.nanoTime();
        service = ServiceProcess.builder(data)
                .name("console-browser")
                .env("STENOGRAPHER_OIDC_URL", keycloak.realmUrl(REALM))
                .env("STENOGRAPHER_CONSOLE_CLIENT_SECRET", CONSOLE_SECRET)
                .env("STENOGRAPHER_GENERATE_SIGNING_KEY", "true")
                .start();
        System.out.printf("service ready in %d ms (%s)%n", millisSince(serviceStarted), service);
        api = new Api(service.baseUri());
        seed();
        System.out.printf("set up in %d ms%n", millisSince(started));
    }

    @AfterAll
    static void stop() {
        browsers.forEach(b -> {
            try {
                b.close();
            } catch (RuntimeException e) {
                System.out.println("closing " + b.user + "'s browser: " + e);
            }
        });
        if (service != null) {
            service.close();
        }
    }

    /**
     * Through the API, as the demo writer: {@value #RANGE_EVENTS} events of {@link #ACTOR} a minute apart on
     * {@link #day}, {@value #OUTSIDE_RANGE_EVENTS} of the same actor three days earlier and
     * {@value #OTHER_ACTOR_EVENTS} of another actor on {@link #day}; then waits until the last is in a checkpoint.
     */
    private static void seed() {
        day = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(2, ChronoUnit.DAYS);
        List<String> events = new ArrayList<>();
        for (int i = 0; i < RANGE_EVENTS; i++) {
            events.add(event(ACTOR, day.plus(9, ChronoUnit.HOURS).plus(i, ChronoUnit.MINUTES), "C-" + i));
        }
        for (int i = 0; i < OUTSIDE_RANGE_EVENTS; i++) {
            Instant earlier = day.minus(3, ChronoUnit.DAYS).plus(10, ChronoUnit.HOURS).plus(i, ChronoUnit.MINUTES);
            events.add(event(ACTOR, earlier, "OLD-" + i));
        }
        for (int i = 0; i < OTHER_ACTOR_EVENTS; i++) {
            events.add(event(OTHER_ACTOR, day.plus(11, ChronoUnit.HOURS).plus(i, ChronoUnit.MINUTES), "L-" + i));
        }
        String writer = keycloak.passwordGrant(REALM, SharedKeycloak.PASSWORD_CLIENT, "writer",
                SharedKeycloak.password("writer"));
        HttpResponse<String> created = api.post("/api/v1/events/batch", writer,
                "{\"events\":[" + String.join(",", events) + "]}");
        assertThat(created.statusCode()).as(describe(created)).isEqualTo(200);
        assertThat(json(created).path("created").asInt()).as(describe(created)).isEqualTo(events.size());
        JsonNode items = json(created).path("items");
        String last = items.get(items.size() - 1).path("id").asText();
        Api.until("the last seeded event to be in a signed checkpoint", Duration.ofSeconds(60),
                () -> api.get("/api/v1/logs/acme/proof/inclusion?eventId=" + last, writer),
                r -> r.statusCode() == 200);
        HttpResponse<String> key = api.get("/api/v1/logs/acme/verifier-key", null);
        assertThat(key.statusCode()).as(describe(key)).isEqualTo(200);
        // What the auditor obtained out of band; the page must not be the one that tells it.
        verifierKey = key.body().trim();
    }

    private static String event(String actor, Instant at, String resource) {
        return """
                {"tenant":"acme","actor":{"id":"%s","type":"user","displayName":"Dana Doe"},
                 "action":"case.view","resource":{"type":"case","id":"%s"},"reason":"background check",
                 "outcome":"success","occurredAt":"%s",
                 "source":{"application":"portal","ip":"192.0.2.10","userAgent":"browser-test"},
                 "correlationId":"corr-console","metadata":{"fields":["ssn","dob"],"count":2}}
                """.formatted(actor, resource, at);
    }

    @Test
    @Order(1)
    void anAuditorSignsInThroughKeycloaksLoginForm() {
        long started = System.nanoTime();
        auditor = open("auditor");
        auditor.signIn(console("/console/events"), keycloak.baseUri(), SharedKeycloak.password("auditor"), true);

        assertThat(auditor.driver.getCurrentUrl()).startsWith(console("/console/events").toString());
        assertThat(auditor.find("header.top .user").getText()).isEqualTo("auditor");
        assertThat(options(auditor)).containsExactly("acme", "globex");
        assertThat(auditor.find("h1").getText()).isEqualTo("Search the log of acme");
        auditor.screenshot("02-search-empty");
        violations.addAll(auditor.audit("search (no filter)"));
        System.out.printf("scenario 1 (sign in) in %d ms%n", millisSince(started));
        assertAccessible();
    }

    @Test
    @Order(2)
    void searchesByActorAndByDateRange() {
        long started = System.nanoTime();
        auditor.type("#f-actor", ACTOR);
        auditor.find("form.filters button[type=submit]").click();
        auditor.await("#result-count");
        List<WebElement> rows = auditor.all("table.results tbody tr");
        assertThat(rows).as(auditor.bodyText()).hasSize(RANGE_EVENTS + OUTSIDE_RANGE_EVENTS);
        assertThat(column(1)).containsOnly(ACTOR);
        assertThat(auditor.driver.getCurrentUrl()).contains("actor=" + ACTOR);
        assertThat(times()).isSorted();
        auditor.screenshot("03-search-by-actor");
        violations.addAll(auditor.audit("search by actor"));

        auditor.type("#f-actor", "");
        auditor.type("#f-from", day.toString());
        auditor.type("#f-to", day.plus(1, ChronoUnit.DAYS).toString());
        auditor.find("form.filters button[type=submit]").click();
        auditor.wait.until(d -> d.getCurrentUrl().contains("from=") && !d.getCurrentUrl().contains("actor=" + ACTOR));
        auditor.await("#result-count");
        assertThat(auditor.all("table.results tbody tr")).as(auditor.bodyText())
                .hasSize(RANGE_EVENTS + OTHER_ACTOR_EVENTS);
        assertThat(column(1)).containsOnly(ACTOR, OTHER_ACTOR);
        assertThat(times()).allSatisfy(t -> assertThat(Instant.parse(t)).isBetween(day,
                day.plus(1, ChronoUnit.DAYS).minusMillis(1)));
        assertThat(times()).isSorted();
        auditor.screenshot("04-search-by-date-range");
        System.out.printf("scenario 2 (search) in %d ms%n", millisSince(started));
        assertAccessible();
    }

    @Test
    @Order(3)
    void pagesThroughResults() {
        long started = System.nanoTime();
        auditor.type("#f-actor", ACTOR);
        auditor.type("#f-limit", Integer.toString(PAGE));
        auditor.find("form.filters button[type=submit]").click();
        auditor.wait.until(d -> d.getCurrentUrl().contains("limit=" + PAGE));

        Set<String> seen = new LinkedHashSet<>();
        List<String> allTimes = new ArrayList<>();
        List<Integer> pageSizes = new ArrayList<>();
        while (true) {
            auditor.await("#result-count");
            List<WebElement> links = auditor.all("table.results tbody tr td:first-child a");
            pageSizes.add(links.size());
            links.forEach(a -> seen.add(a.getAttribute("href")));
            allTimes.addAll(times());
            if (pageSizes.size() == 1) {
                auditor.screenshot("05-search-page-1");
            }
            List<WebElement> next = auditor.all("#next-page");
            if (next.isEmpty()) {
                break;
            }
            assertThat(pageSizes.size()).as("pages").isLessThan(10);
            String before = auditor.driver.getCurrentUrl();
            next.get(0).click();
            auditor.wait.until(d -> !d.getCurrentUrl().equals(before));
        }
        assertThat(pageSizes).containsExactly(PAGE, PAGE, RANGE_EVENTS - 2 * PAGE);
        assertThat(seen).hasSize(RANGE_EVENTS);
        assertThat(allTimes).isSorted();
        eventId = seen.iterator().next().replaceFirst(".*/console/events/", "");

        // The same results at phone width, once.
        auditor.driver.navigate().back();
        auditor.await("#result-count");
        auditor.resize(390, 844);
        auditor.screenshot("06-search-phone", auditor.find("#results-title"));
        violations.addAll(auditor.audit("search results at 390x844"));
        assertThat((Long) auditor.driver.executeScript(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth;"))
                .as("the page scrolls sideways at phone width (only the results table may)").isLessThanOrEqualTo(0L);
        auditor.resize(ConsoleBrowser.WIDTH, ConsoleBrowser.HEIGHT);
        System.out.printf("scenario 3 (paging) in %d ms%n", millisSince(started));
        assertAccessible();
    }

    @Test
    @Order(4)
    void opensAnEvent() {
        long started = System.nanoTime();
        auditor.driver.get(console("/console/events?tenant=acme&actor=" + ACTOR + "&from=" + day + "&to="
                + day.plus(1, ChronoUnit.DAYS) + "&limit=" + PAGE).toString());
        auditor.await("table.results tbody tr td:first-child a").click();
        auditor.wait.until(d -> d.getCurrentUrl().contains("/console/events/" + eventId));
        auditor.await("body[data-verify-ready='true']");

        assertThat(auditor.find("h1").getText()).contains(eventId);
        assertThat(auditor.find("#event-fields").getText()).contains(ACTOR).contains("case.view");
        assertThat(auditor.find("#leaf-index").getText()).matches("\\d+");
        assertThat(auditor.find("#verify").isEnabled()).isTrue();
        auditor.screenshot("07-event");
        violations.addAll(auditor.audit("event"));
        System.out.printf("scenario 4 (event) in %d ms%n", millisSince(started));
        assertAccessible();
    }

    @Test
    @Order(5)
    void verifiesTheEventInTheBrowserAndSeesAProofAlteredInTransitFail() {
        long started = System.nanoTime();
        URI page = console("/console/events/" + eventId);
        auditor.driver.get(page.toString());
        auditor.await("body[data-verify-ready='true']");
        pinAndVerify();
        auditor.wait.withMessage(() -> "#verify-result to say ok: " + auditor.bodyText())
                .until(d -> hasClass(auditor.find("#verify-result"), "ok"));
        auditor.screenshot("08-event-verified", auditor.find("#verify-steps"));
        violations.addAll(auditor.audit("event, verified"));
        measureVerification();

        // The same page again, one hash of its inclusion proof changed on the way from the server to the page.
        AtomicInteger altered = new AtomicInteger();
        Filter tamper = next -> request -> {
            org.openqa.selenium.remote.http.HttpResponse response = next.execute(request);
            if (request.getMethod() == HttpMethod.GET && request.getUri().contains("/console/events/" + eventId)) {
                String html = Contents.string(response);
                String changed = alterFirstProofHash(html);
                response.setContent(Contents.utf8String(changed));
                if (!changed.equals(html)) {
                    altered.incrementAndGet();
                }
            }
            return response;
        };
        try (NetworkInterceptor interceptor = new NetworkInterceptor(auditor.driver, tamper)) {
            auditor.driver.get(page.toString());
            auditor.await("body[data-verify-ready='true']");
            assertThat(altered.get()).as("responses altered in transit").isEqualTo(1);
            pinAndVerify();
            auditor.wait.withMessage(() -> "#verify-result to say fail: " + auditor.bodyText())
                    .until(d -> hasClass(auditor.find("#verify-result"), "fail"));
        }
        assertThat(hasClass(auditor.find("#verify-result"), "ok")).isFalse();
        auditor.screenshot("09-event-tampered", auditor.find("#verify-steps"));
        violations.addAll(auditor.audit("event, failed verification"));
        System.out.printf("scenario 5 (verify, tamper) in %d ms%n", millisSince(started));
        assertAccessible();
    }

    @Test
    @Order(6)
    void requestsAReportAndDownloadsIt() throws IOException {
        long started = System.nanoTime();
        auditor.driver.get(console("/console/reports?tenant=acme").toString());
        auditor.await("form.report-form");
        auditor.screenshot("10-reports");
        violations.addAll(auditor.audit("reports"));

        new Select(auditor.find("#r-type")).selectByValue("actor-activity");
        new Select(auditor.find("#r-format")).selectByValue("csv");
        auditor.type("#r-from", day.toString());
        auditor.type("#r-to", day.plus(1, ChronoUnit.DAYS).toString());
        auditor.type("#r-actor", ACTOR);
        auditor.find("form.report-form button[type=submit]").click();
        auditor.wait.withMessage(() -> "the report's page: " + auditor.bodyText())
                .until(d -> d.getCurrentUrl().matches(".*/console/reports/[0-9a-f-]{36}$"));
        String reportUrl = auditor.driver.getCurrentUrl();
        String reportId = reportUrl.substring(reportUrl.lastIndexOf('/') + 1);

        // Generated in the background: the page says when it is ready (its "Refresh" link is the user's way).
        WebElement download = auditor.wait.withMessage(() -> "the report to be ready: " + auditor.bodyText())
                .until(d -> {
                    List<WebElement> links = d.findElements(By.cssSelector("a[href$='/download']"));
                    if (!links.isEmpty()) {
                        return links.get(0);
                    }
                    d.navigate().refresh();
                    return null;
                });
        assertThat(auditor.find(".report-status").getText()).contains("succeeded");
        auditor.screenshot("11-report");
        violations.addAll(auditor.audit("report"));

        download.click();
        Path file = new FluentWait<>(auditor.downloads).withTimeout(ConsoleBrowser.WAIT)
                .withMessage(() -> "the downloaded report in " + auditor.downloads)
                .until(dir -> {
                    try (Stream<Path> files = Files.list(dir)) {
                        return files.filter(p -> p.getFileName().toString().equals(
                                "report-actor-activity-" + reportId + ".csv")).findFirst().orElse(null);
                    } catch (IOException e) {
                        return null;
                    }
                });
        String csv = Files.readString(file, StandardCharsets.UTF_8);
        assertThat(csv).contains(ACTOR).doesNotContain(OTHER_ACTOR);
        assertThat(csv.lines().filter(l -> l.contains(ACTOR)).count()).isEqualTo(RANGE_EVENTS);
        System.out.printf("scenario 6 (report) in %d ms%n", millisSince(started));
        assertAccessible();
    }

    @Test
    @Order(7)
    void theAuditorsOtherPagesPassTheAudit() {
        long started = System.nanoTime();
        auditor.driver.get(console("/console/timelines?tenant=acme&actor=" + ACTOR).toString());
        assertThat(auditor.await("#timeline-count").getText())
                .startsWith((RANGE_EVENTS + OUTSIDE_RANGE_EVENTS) + " events");
        assertThat(auditor.all("section.timeline-day")).as("days with events").hasSize(2);
        auditor.screenshot("12-timeline");
        violations.addAll(auditor.audit("timeline"));

        auditor.driver.get(console("/console/checkpoints?tenant=acme").toString());
        auditor.await("#latest-checkpoint");
        auditor.screenshot("13-checkpoints");
        violations.addAll(auditor.audit("checkpoints"));

        auditor.driver.get(console("/console/jobs?tenant=acme").toString());
        assertThat(auditor.await("h1").getText()).isEqualTo("Jobs and verifications of acme");
        auditor.screenshot("14-jobs");
        violations.addAll(auditor.audit("jobs"));
        System.out.printf("scenario 7 (timeline, checkpoints, jobs) in %d ms%n", millisSince(started));
        assertAccessible();
    }

    @Test
    @Order(8)
    void aComplianceAdminPlacesAndReleasesALegalHold() {
        long started = System.nanoTime();
        ConsoleBrowser admin = open("admin");
        admin.signIn(console("/console/retention?tenant=acme"), keycloak.baseUri(), SharedKeycloak.password("admin"),
                false);
        assertThat(admin.find("header.top .user").getText()).isEqualTo("admin");
        String holdForm = "form[action='/console/retention/holds']";
        admin.await(holdForm);
        admin.screenshot("15-retention");
        violations.addAll(admin.audit("retention"));

        String caseReference = "CASE-" + UUID.randomUUID().toString().substring(0, 8);
        admin.type("#h-actor", ACTOR);
        admin.type("#h-case", caseReference);
        admin.type("#h-reason", "Litigation hold requested by counsel");
        admin.find(holdForm + " button[type=submit]").click();
        admin.wait.withMessage(() -> "the hold to be placed: " + admin.bodyText())
                .until(d -> d.getCurrentUrl().contains("notice=hold-placed"));
        WebElement placed = admin.wait.withMessage(() -> "the new hold in the list: " + admin.bodyText())
                .until(d -> holdRow(admin, caseReference));
        assertThat(placed.getText()).contains("actor " + ACTOR).contains("active")
                .contains("Litigation hold requested by counsel");
        admin.screenshot("16-retention-hold-placed", placed);
        violations.addAll(admin.audit("retention, hold placed"));

        placed.findElement(By.cssSelector("form.release input[name=reason]")).sendKeys("Case settled");
        placed.findElement(By.cssSelector("form.release button[type=submit]")).click();
        admin.wait.withMessage(() -> "the hold to be released: " + admin.bodyText())
                .until(d -> d.getCurrentUrl().contains("notice=hold-released"));
        WebElement released = admin.wait.withMessage(() -> "the released hold in the list: " + admin.bodyText())
                .until(d -> holdRow(admin, caseReference));
        assertThat(released.getText()).contains("released").contains("Case settled").doesNotContain("active");
        assertThat(released.findElements(By.cssSelector("form.release"))).isEmpty();
        admin.screenshot("17-retention-hold-released", holdRow(admin, caseReference));
        System.out.printf("scenario 8 (legal hold) in %d ms%n", millisSince(started));
        assertAccessible();
    }

    @Test
    @Order(9)
    void anAuditorOfAnotherTenantSeesNothingOfAcme() {
        long started = System.nanoTime();
        ConsoleBrowser globex = open("globex-auditor");
        globex.signIn(console("/console/events"), keycloak.baseUri(), SharedKeycloak.password("globex-auditor"),
                false);
        assertThat(options(globex)).containsExactly("globex");
        assertThat(globex.find("h1").getText()).isEqualTo("Search the log of globex");

        // Its own tenant holds nothing of acme's actor.
        globex.type("#f-actor", ACTOR);
        globex.find("form.filters button[type=submit]").click();
        globex.await("#result-count");
        assertThat(globex.all("table.results tbody tr")).isEmpty();
        assertThat(globex.bodyText()).doesNotContain(OTHER_ACTOR);

        // Asking for acme by URL: refused.
        String acme = "/console/events?tenant=acme&actor=" + ACTOR;
        globex.driver.get(console(acme).toString());
        globex.await("#problem-title");
        assertThat(globex.find("#problem-title").getText()).isEqualTo("Not allowed");
        assertThat(globex.find(".problem .status").getText()).isEqualTo("HTTP 403");
        assertThat(globex.status(acme)).isEqualTo(403);
        assertThat(globex.all("table.results")).isEmpty();
        assertThat(globex.bodyText()).doesNotContain(eventId == null ? "no event id" : eventId);
        assertThat(options(globex)).containsExactly("globex");
        globex.screenshot("18-forbidden-tenant");
        violations.addAll(globex.audit("error 403"));

        // Nor one of acme's events.
        if (eventId != null) {
            globex.driver.get(console("/console/events/" + eventId).toString());
            globex.await("#problem-title");
            assertThat(globex.find(".problem .status").getText()).isIn("HTTP 403", "HTTP 404");
            assertThat(globex.all("#event-data")).isEmpty();
        }
        System.out.printf("scenario 9 (other tenant) in %d ms%n", millisSince(started));
        assertAccessible();
    }

    @Test
    @Order(10)
    void theAuditorSignsOut() {
        long started = System.nanoTime();
        auditor.driver.get(console("/console/events?tenant=acme").toString());
        WebElement signOut = auditor.await("form.logout-form button.logout");
        assertThat(signOut.getText()).isEqualTo("Sign out");
        WebElement form = auditor.find("form.logout-form");
        assertThat(form.getAttribute("method")).isEqualTo("post"); // a link elsewhere cannot sign anyone out
        assertThat(form.getAttribute("action")).isEqualTo(console("/console/logout").toString());
        signOut.click();
        auditor.wait.withMessage(() -> "the signed-out page, at " + auditor.driver.getCurrentUrl() + "\n"
                        + auditor.bodyText())
                .until(d -> d.getCurrentUrl().equals(console("/console/signed-out").toString()));
        assertThat(auditor.find("h1").getText()).isEqualTo("You are signed out");
        auditor.screenshot("19-signed-out");
        violations.addAll(auditor.audit("signed out"));

        auditor.driver.get(console("/console/events").toString());
        auditor.wait.withMessage(() -> "Keycloak's login form after signing out, at " + auditor.driver.getCurrentUrl())
                .until(d -> d.getCurrentUrl().startsWith(keycloak.baseUri().toString())
                        && !d.findElements(By.id("username")).isEmpty());
        System.out.printf("scenario 10 (sign out) in %d ms%n", millisSince(started));
        assertAccessible();
    }

    @Test
    @Order(11)
    void theStandaloneVerifierSavedToDiskChecksTheEvidenceOfflineAndFailsAWrongKeyOrAlteredBytes() throws IOException {
        long started = System.nanoTime();
        assertThat(evidence).as("scenario 5 kept the event's evidence").isNotNull();
        // Fetched without signing in (static files are open), saved, and opened from disk as an auditor would.
        HttpResponse<String> page = api.get("/console/assets/verifier.html", null);
        assertThat(page.statusCode()).as(describe(page)).isEqualTo(200);
        Path saved = Files.createDirectories(Path.of("target", "browsers")).toAbsolutePath()
                .resolve("verifier-" + UUID.randomUUID() + ".html");
        Files.writeString(saved, page.body());
        auditor.driver.get(saved.toUri().toString());
        auditor.await("#offline-notice");

        assertThat(checkOffline(evidence, verifierKey)).as("the evidence under the key obtained out of band")
                .isEqualTo("ok");
        auditor.screenshot("20-standalone-verifier");
        assertThat(checkOffline(evidence, otherKey(verifierKey))).as("another key").isEqualTo("fail");
        assertThat(failedSteps()).contains("signature");
        assertThat(checkOffline(withOneByteChanged(evidence), verifierKey)).as("altered bytes").isEqualTo("fail");
        assertThat(failedSteps()).contains("leaf-hash");
        System.out.printf("scenario 11 (standalone verifier, offline) in %d ms%n", millisSince(started));
    }

    /** Puts the evidence and key into the saved page, clicks Verify, and answers the result's class. */
    private static String checkOffline(String evidenceJson, String key) {
        auditor.driver.executeScript("document.getElementById('evidence-text').value = arguments[0];", evidenceJson);
        auditor.driver.executeScript("document.getElementById('verifier-key').value = arguments[0];", key);
        auditor.find("#verify").click();
        auditor.wait.until(d -> "done".equals(auditor.find("#verify-result").getAttribute("data-state")));
        return hasClass(auditor.find("#verify-result"), "ok") ? "ok" : "fail";
    }

    private static List<String> failedSteps() {
        return auditor.all("#verify-steps li.fail").stream().map(li -> li.getAttribute("data-step")).toList();
    }

    /** The same verifier key with one bit of its public key flipped: same name, another key. */
    private static String otherKey(String key) {
        String[] parts = key.split("\\+", 3); // the base64 key may itself hold a +
        byte[] raw = Base64.getDecoder().decode(parts[2]);
        raw[raw.length - 1] ^= 1;
        return parts[0] + "+" + parts[1] + "+" + Base64.getEncoder().encodeToString(raw);
    }

    /** The evidence with one byte of the sealed event changed (a letter of its action), all else as it was. */
    private static String withOneByteChanged(String evidenceJson) throws IOException {
        com.fasterxml.jackson.databind.node.ObjectNode node = (com.fasterxml.jackson.databind.node.ObjectNode)
                new com.fasterxml.jackson.databind.ObjectMapper().readTree(evidenceJson);
        byte[] bytes = Base64.getDecoder().decode(node.path("leafInput").asText());
        String text = new String(bytes, StandardCharsets.UTF_8);
        int at = text.indexOf("\"action\":\"") + "\"action\":\"".length();
        char changed = text.charAt(at) == 'x' ? 'y' : 'x';
        String altered = text.substring(0, at) + changed + text.substring(at + 1);
        node.put("leafInput", Base64.getEncoder().encodeToString(altered.getBytes(StandardCharsets.UTF_8)));
        return node.toString();
    }

    // --- helpers ---------------------------------------------------------------------------------------------------

    private static ConsoleBrowser open(String user) {
        long started = System.nanoTime();
        ConsoleBrowser browser = ConsoleBrowser.open(user, chromium);
        browsers.add(browser);
        System.out.printf("%s's browser started in %d ms%n", user, millisSince(started));
        return browser;
    }

    private static URI console(String pathAndQuery) {
        return service.baseUri().resolve(pathAndQuery);
    }

    private static List<String> options(ConsoleBrowser browser) {
        return browser.all("#tenant-switch option").stream().map(o -> o.getAttribute("value")).toList();
    }

    /** The text of one column of the results table (0-based). */
    private static List<String> column(int index) {
        return auditor.all("table.results tbody tr").stream()
                .map(r -> r.findElements(By.tagName("td")).get(index).getText()).toList();
    }

    /** The occurrence times of the results shown, as served (UTC). */
    private static List<String> times() {
        return auditor.all("table.results tbody tr td:first-child time").stream()
                .map(t -> t.getAttribute("datetime")).toList();
    }

    /**
     * Issue 17's target for in-browser verification (<= 50 ms per event), measured, not asserted: 20 more clicks on
     * Verify, each the page's own performance.now() figure; beside it, the same three checks (leaf hash, inclusion
     * proof, checkpoint signature) by the domain's Java code on the same evidence, in the same run. BENCHMARKS.md
     * takes the figures from this output.
     */
    private static void measureVerification() {
        List<Double> browser = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            // verify.js marks the result 'running' as the click is handled, and 'done' when the checks end.
            auditor.find("#verify").click();
            auditor.wait.until(d -> "done".equals(auditor.find("#verify-result").getAttribute("data-state")));
            assertThat(hasClass(auditor.find("#verify-result"), "ok")).isTrue();
            browser.add(Double.parseDouble(auditor.find("#verify-result").getAttribute("data-ms")));
        }
        JsonNode evidence;
        try {
            ConsoleBrowserIT.evidence = auditor.find("#event-data").getAttribute("textContent");
            evidence = new com.fasterxml.jackson.databind.ObjectMapper().readTree(ConsoleBrowserIT.evidence);
        } catch (IOException e) {
            throw new IllegalStateException("the page's #event-data is not JSON", e);
        }
        List<Double> inJava = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            long t0 = System.nanoTime();
            byte[] bytes = Base64.getDecoder().decode(evidence.path("leafInput").asText());
            io.stenographer.domain.merkle.Hash leaf = io.stenographer.domain.merkle.MerkleHashes.leafHash(bytes);
            io.stenographer.domain.checkpoint.Checkpoint checkpoint = io.stenographer.domain.checkpoint.Checkpoint
                    .verifiedFrom(io.stenographer.domain.checkpoint.SignedNote.parse(evidence.path("checkpoint")
                            .asText()), io.stenographer.domain.checkpoint.NoteVerifier.parse(verifierKey));
            List<io.stenographer.domain.merkle.Hash> path = new ArrayList<>();
            evidence.path("inclusionProof").forEach(h -> path.add(io.stenographer.domain.merkle.Hash.fromBase64(
                    h.asText())));
            boolean included = new io.stenographer.domain.merkle.InclusionProof(evidence.path("leafIndex").asLong(),
                    evidence.path("treeSize").asLong(), path).verify(leaf, checkpoint.rootHash());
            inJava.add((System.nanoTime() - t0) / 1e6);
            assertThat(included).isTrue();
        }
        double browserMedian = median(browser);
        double javaMedian = median(inJava.subList(100, 200)); // after the JIT has seen it
        System.out.printf(java.util.Locale.ROOT, "in-browser verification of one event (tree size %s): median %.1f ms, "
                + "[%.1f-%.1f] over %d clicks (target <= 50 ms); baseline, the domain's Java verifier on the same "
                + "evidence in the same run: median %.3f ms; browser / Java %.1f%n", evidence.path("treeSize").asText(),
                browserMedian, browser.stream().mapToDouble(d -> d).min().orElse(0),
                browser.stream().mapToDouble(d -> d).max().orElse(0), browser.size(), javaMedian,
                browserMedian / javaMedian);
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    private static void pinAndVerify() {
        auditor.type("#verifier-key", verifierKey);
        auditor.find("#pin-key").click();
        auditor.wait.withMessage(() -> "the key to be pinned: " + auditor.find("#pin-status").getText())
                .until(ExpectedConditions.attributeToBe(By.id("pin-status"), "data-pinned", "true"));
        auditor.find("#verify").click();
    }

    private static boolean hasClass(WebElement element, String name) {
        return List.of(String.valueOf(element.getAttribute("class")).split("\\s+")).contains(name);
    }

    private static WebElement holdRow(ConsoleBrowser browser, String caseReference) {
        return browser.all("section[aria-labelledby='holds-title'] table tbody tr").stream()
                .filter(r -> r.getText().contains(caseReference))
                .findFirst().orElse(null);
    }

    /** The page with one bit of the first inclusion-proof hash in its #event-data block flipped (same length). */
    static String alterFirstProofHash(String html) {
        int start = html.indexOf("id=\"event-data\">");
        int end = html.indexOf("</script>", start);
        if (start < 0 || end < 0) {
            return html;
        }
        Matcher m = FIRST_PROOF_HASH.matcher(html.substring(start, end));
        if (!m.find()) {
            return html;
        }
        byte[] hash = Base64.getDecoder().decode(m.group(2));
        hash[0] ^= 0x01;
        String block = m.replaceFirst("$1" + Matcher.quoteReplacement(Base64.getEncoder().encodeToString(hash)) + "$3");
        return html.substring(0, start) + block + html.substring(end);
    }

    private void assertAccessible() {
        assertThat(violations).as("axe-core violations (WCAG 2.2 AA); fix the page, do not weaken the audit").isEmpty();
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }
}
