package io.stenographer.bootstrap.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stenographer.adapters.persistence.embedded.EmbeddedPostgresServer;
import io.stenographer.bootstrap.support.Api;
import io.stenographer.bootstrap.support.Await;
import io.stenographer.bootstrap.support.OidcStub;
import io.stenographer.client.AuditClient;
import io.stenographer.client.Event;
import io.stenographer.client.EventRejectedException;
import io.stenographer.client.InvalidEventException;
import io.stenographer.client.LogIntegrityException;
import io.stenographer.client.Receipt;
import io.stenographer.examples.portal.CasePortal;
import io.stenographer.testing.ServiceCertificate;
import io.stenographer.testing.ServiceProcess;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The in-app client against the packaged service (java -jar quarkus-run.jar, prod profile, its own embedded
 * PostgreSQL): receipts it recomputes and verifies, consistency across checkpoints, the server's own refusals, and
 * an outage the client rides out with retries under its idempotency keys.
 */
class AuditClientIT {

    static final String TENANT = "client-portal";
    /** A tenant whose data policy makes the identifiers personal: its receipts carry pseudonyms. */
    static final String IDENTIFIERS_TENANT = "client-clinic";
    /** Small enough that one fat event exceeds it, so the service answers 413 for real. */
    private static final int SERVICE_BATCH_BYTES = 16_384;

    private static EmbeddedPostgresServer database;
    private static OidcStub oidc;
    private static ServiceProcess service;
    private static String writerToken;
    private static String verifierKey;

    @BeforeAll
    static void start() throws IOException {
        database = EmbeddedPostgresServer.start(null, 0);
        oidc = OidcStub.start();
        writerToken = oidc.token("portal-backend", Set.of("audit-writer"), 2, TENANT);
        service = ServiceProcess.builder(Files.createTempDirectory(Path.of("target"), "client-it-"))
                .name("client-it")
                .properties(database.quarkusConfig())
                .property("stenographer.embedded-postgres.enabled", "false")
                .property("stenographer.ingest.max-batch-bytes", String.valueOf(SERVICE_BATCH_BYTES))
                .property("stenographer.privacy.tenant.\"" + IDENTIFIERS_TENANT + "\".personal-fields",
                        "actor.id,resource.id,actor.displayName,source.ip")
                .env("STENOGRAPHER_GENERATE_SIGNING_KEY", "true")
                .env(oidc.serviceEnvironment())
                .start();
        // Obtained out of band, as an operator would hand it to the application's configuration.
        verifierKey = new Api(service.baseUri()).get("/api/v1/logs/" + TENANT + "/verifier-key", null).body().trim();
    }

    @AfterAll
    static void stop() throws Exception {
        if (service != null) {
            service.close();
        }
        if (oidc != null) {
            oidc.close();
        }
        if (database != null) {
            database.close();
        }
    }

    private static AuditClient.Builder client(List<LogIntegrityException> alerts) {
        return AuditClient.builder(service.baseUri()).tenant(TENANT).application("case-portal")
                .tokens(() -> writerToken).verifierKey(verifierKey).maxBatchBytes(SERVICE_BATCH_BYTES - 1_024)
                .integrityListener(alerts::add).verifyTimeout(Duration.ofSeconds(60));
    }

    @Test
    void receiptsAreRecomputedVerifiedAndTheLogFollowedAcrossCheckpoints() throws Exception {
        List<LogIntegrityException> alerts = new CopyOnWriteArrayList<>();
        try (AuditClient audit = client(alerts).batchSize(50).build()) {
            Receipt first = audit.logEvent("officer-17", "case.view", Map.of("caseId", "C-1")).get(60,
                    TimeUnit.SECONDS);
            Receipt.Inclusion firstProof = first.verify();

            List<CompletableFuture<Receipt>> more = new ArrayList<>();
            for (int i = 0; i < 120; i++) {
                more.add(audit.log(Event.builder("case.export").actor("officer-17", Event.ActorType.USER, "Иван Петров")
                        .resource("case", "C-" + i).reason("FOIA request " + i).source("203.0.113.7", "Firefox")
                        .metadata(Map.of("format", "pdf", "pages", i)).build()));
            }
            List<Receipt> receipts = new ArrayList<>();
            for (CompletableFuture<Receipt> future : more) {
                receipts.add(future.get(60, TimeUnit.SECONDS));
            }
            Receipt.Inclusion lastProof = receipts.get(119).verify();
            Receipt.Inclusion middleProof = receipts.get(60).verify();

            assertThat(first.submittedBy()).contains("portal-backend");
            assertThat(lastProof.treeSize()).isGreaterThan(firstProof.treeSize());
            // Batches may be in flight together, so leaves follow the order the service integrated them, not the
            // order the events were logged: the two receipts only have to be distinct leaves of the followed log.
            assertThat(middleProof.leafIndex()).isNotEqualTo(lastProof.leafIndex());
            assertThat(Math.max(middleProof.leafIndex(), lastProof.leafIndex())).isLessThan(audit.checkLog().treeSize());
            assertThat(audit.checkLog().treeSize()).isGreaterThanOrEqualTo(lastProof.treeSize());
            assertThat(audit.lastVerifiedCheckpoint()).isPresent();
            assertThat(audit.metrics().sent()).isEqualTo(121);
            assertThat(receipts).extracting(Receipt::eventId).doesNotHaveDuplicates();
        }
        assertThat(alerts).isEmpty();
    }

    @Test
    void receiptsOfPseudonymisedIdentifiersAreRecomputedAndVerified() throws Exception {
        String token = oidc.token("clinic-backend", Set.of("audit-writer"), 2, IDENTIFIERS_TENANT);
        Api api = new Api(service.baseUri());
        String clinicKey = api.get("/api/v1/logs/" + IDENTIFIERS_TENANT + "/verifier-key", null).body().trim();
        List<LogIntegrityException> alerts = new CopyOnWriteArrayList<>();
        try (AuditClient audit = AuditClient.builder(service.baseUri()).tenant(IDENTIFIERS_TENANT)
                .application("clinic").tokens(() -> token).verifierKey(clinicKey).integrityListener(alerts::add)
                .verifyTimeout(Duration.ofSeconds(60)).build()) {
            Receipt receipt = audit.log(Event.builder("patient.record.viewed").actor("nurse-4", Event.ActorType.USER,
                    "Erin Example").resource("patient", "MRN-0042").source("203.0.113.9", "Firefox").build())
                    .get(60, TimeUnit.SECONDS);
            // The client recomputed the leaf with the pseudonyms the service named; now the proof to a checkpoint.
            Receipt.Inclusion inclusion = receipt.verify();
            assertThat(inclusion.treeSize()).isGreaterThan(inclusion.leafIndex());
        }
        assertThat(alerts).isEmpty();
        String auditor = oidc.token("auditor-1", Set.of("auditor"), 2, IDENTIFIERS_TENANT);
        String found = api.get("/api/v1/events?tenant=" + IDENTIFIERS_TENANT + "&resourceId=MRN-0042", auditor).body();
        assertThat(found).contains("pseudonym:").doesNotContain("MRN-0042").doesNotContain("nurse-4");
    }

    @Test
    void theClientRefusesWhatTheServiceRefusesWithTheSameFieldAndMessage() throws Exception {
        Map<String, String> badEvents = Map.of(
                "{\"action\":\"Case View\",\"actor\":{\"id\":\"u\",\"type\":\"user\"},\"outcome\":\"success\","
                        + "\"occurredAt\":\"2026-12-06T10:00:00Z\",\"source\":{\"application\":\"case-portal\"}}",
                "action",
                "{\"action\":\"case.view\",\"actor\":{\"id\":\"u\",\"type\":\"user\"},\"outcome\":\"success\","
                        + "\"occurredAt\":\"2026-12-06T10:00:00Z\",\"source\":{\"application\":\"case-portal\"},"
                        + "\"metadata\":{\"big\":9007199254740993}}",
                "metadata.big");
        List<Event> sameEvents = List.of(
                Event.builder("Case View").actor("u").build(),
                Event.builder("case.view").actor("u").metadata(Map.of("big", 9_007_199_254_740_993L)).build());
        try (AuditClient audit = client(new ArrayList<>()).build()) {
            int i = 0;
            for (Map.Entry<String, String> bad : List.copyOf(badEvents.entrySet())) {
                String serverDetail = serverDetailFor(bad.getKey(), bad.getValue());
                Event same = bad.getValue().equals("action") ? sameEvents.get(0) : sameEvents.get(1);
                assertThatThrownBy(() -> audit.logAndWait(same)).isInstanceOfSatisfying(InvalidEventException.class,
                        e -> {
                            assertThat(e.field()).isEqualTo(bad.getValue());
                            assertThat(e.detail()).isEqualTo(serverDetail);
                        });
                i++;
            }
            assertThat(i).isEqualTo(2);
            assertThat(audit.metrics().sent()).isZero();
        }
    }

    /** The service's field-level message for one bad event sent raw to the single-event endpoint. */
    private static String serverDetailFor(String event, String field) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        service.baseUri().resolve("/api/v1/events"))
                .header("Authorization", "Bearer " + writerToken).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(event)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(400);
        var problem = Api.json(response);
        assertThat(problem.get("field").asText()).isEqualTo(field);
        return problem.get("errors").get(0).get("detail").asText();
    }

    @Test
    void anEventTheServiceFindsTooLargeIsSurfacedAs413AndNotRetried() throws Exception {
        try (AuditClient audit = client(new ArrayList<>()).maxBatchBytes(1 << 20).build()) {
            CompletableFuture<Receipt> fat = audit.logEvent("u", "case.view", Map.of("note", "x".repeat(20_000)));
            Throwable failure = null;
            try {
                fat.get(60, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                failure = e.getCause();
            }
            assertThat(failure).isInstanceOfSatisfying(EventRejectedException.class,
                    e -> assertThat(e.status()).isEqualTo(413));
            assertThat(audit.metrics().retried()).isZero();
            assertThat(audit.metrics().rejected()).isEqualTo(1);
        }
    }

    /**
     * The service is stopped while the application keeps logging (BLOCK mode, in memory) and started again: the
     * client retries under the same idempotency keys, so every event is in the log exactly once.
     */
    @Test
    void anOutageIsRiddenOutWithEveryEventRecordedExactlyOnce() throws Exception {
        String marker = "outage-" + UUID.randomUUID().toString().substring(0, 8);
        List<CompletableFuture<Receipt>> futures = new ArrayList<>();
        try (AuditClient audit = client(new ArrayList<>()).batchSize(20).deliveryTimeout(Duration.ofMinutes(4))
                .backoff(Duration.ofMillis(100), Duration.ofSeconds(2)).build()) {
            for (int i = 0; i < 40; i++) {
                futures.add(audit.logEvent("u-" + i, "case.view", "case", marker, null));
            }
            futures.get(39).get(60, TimeUnit.SECONDS);
            service.stop();
            for (int i = 40; i < 100; i++) {
                futures.add(audit.logEvent("u-" + i, "case.view", "case", marker, null));
            }
            service.start();
            for (CompletableFuture<Receipt> future : futures) {
                future.get(240, TimeUnit.SECONDS);
            }
            assertThat(audit.metrics().retried()).as("requests sent again while the service was away")
                    .isPositive();
        }
        assertThat(storedEventsAbout(marker)).isEqualTo(100);
        assertThat(futures.stream().map(CompletableFuture::join).map(Receipt::eventId).distinct().count())
                .isEqualTo(100);
    }

    /**
     * The outage: the service is stopped for 30 s while an application keeps logging in SPOOL mode; the
     * application is SIGKILLed during the outage and started again. Every event it logged arrives exactly once, in
     * the order it logged them.
     */
    @Test
    void anApplicationKilledDuringAnOutageLosesNothingAndDuplicatesNothing() throws Exception {
        String producer = "spool-" + UUID.randomUUID().toString().substring(0, 8);
        int count = 400;
        Path work = Files.createTempDirectory(Path.of("target"), "spooling-app-").toAbsolutePath();
        Path progress = work.resolve("progress.txt");
        Process first = application(work, producer, count);
        awaitProgress(progress, 60, first);
        service.stop();
        long outageStarted = System.nanoTime();
        awaitProgress(progress, 200, first);
        first.destroyForcibly(); // SIGKILL: no shutdown hook, no close()
        assertThat(first.waitFor(60, TimeUnit.SECONDS)).isTrue();
        Process second = application(work, producer, count);
        long outage = Duration.ofSeconds(30).toNanos() - (System.nanoTime() - outageStarted);
        if (outage > 0) {
            Thread.sleep(TimeUnit.NANOSECONDS.toMillis(outage));
        }
        service.start();
        assertThat(second.waitFor(5, TimeUnit.MINUTES)).as("the restarted application delivers and exits").isTrue();
        assertThat(second.exitValue()).as(Files.readString(work.resolve("app.log"))).isZero();

        // The last events are recorded; the sequencer integrates them within a round or two.
        List<Integer> inLogOrder = Await.until("all " + count + " events of " + producer + " in the log",
                Await.DEADLINE, () -> {
                    try {
                        return sequenceInLogOrder(producer);
                    } catch (SQLException e) {
                        throw new IllegalStateException(e);
                    }
                }, leaves -> leaves.size() >= count);
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            expected.add(i);
        }
        assertThat(inLogOrder).as("every event once, in the order logged").isEqualTo(expected);
    }

    private static Process application(Path work, String producer, int count) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(), "-Xmx128m"));
        command.addAll(ServiceCertificate.shared().clientJvmOptions()); // the service speaks HTTPS only
        command.addAll(List.of("-cp", System.getProperty("java.class.path"),
                SpoolingApplication.class.getName(), service.baseUri().toString(), writerToken, verifierKey,
                work.resolve("spool").toString(), producer, String.valueOf(count), work.resolve("progress.txt")
                        .toString()));
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(work.resolve("app.log").toFile()))
                .start();
    }

    private static void awaitProgress(Path progress, int atLeast, Process app) {
        Await.until("the application to have logged " + atLeast + " events", Duration.ofMinutes(2), () -> {
            if (!app.isAlive()) {
                throw new AssertionError("the application exited with " + app.exitValue() + " before logging "
                        + atLeast + " events");
            }
            return loggedSoFar(progress);
        }, logged -> logged >= atLeast);
    }

    private static long loggedSoFar(Path progress) {
        try {
            return Files.exists(progress)
                    ? Files.readAllLines(progress).stream().filter(line -> !line.isBlank()).count() : 0;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The producer's {@code seq} metadata of its events, in leaf order, duplicates included. */
    private static List<Integer> sequenceInLogOrder(String producer) throws SQLException {
        List<Integer> out = new ArrayList<>();
        java.util.regex.Pattern seq = java.util.regex.Pattern.compile("\"seq\":(\\d+)");
        try (Connection db = database.superuserConnection();
                PreparedStatement ps = db.prepareStatement("SELECT e.metadata FROM audit_event e"
                        + " JOIN log_leaf l ON l.event_id = e.id WHERE e.tenant = ? AND e.resource_id = ?"
                        + " ORDER BY l.leaf_index")) {
            ps.setString(1, TENANT);
            ps.setString(2, producer);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    var matcher = seq.matcher(rs.getString(1));
                    assertThat(matcher.find()).isTrue();
                    out.add(Integer.parseInt(matcher.group(1)));
                }
            }
        }
        return out;
    }

    /**
     * The Python client (client-python, standard library only) against the same packaged service, run by the
     * machine's python3: its unit tests, and its integration test, which logs events with floats, nested metadata
     * and non-Latin names and checks every receipt's leaf hash against what the service sealed.
     */
    @Test
    void thePythonClientLogsThroughTheServiceAndChecksEveryReceipt() throws Exception {
        Path root = Path.of("..").toAbsolutePath().normalize();
        Path output = Files.createTempFile(Path.of("target"), "python-client-", ".log");
        ProcessBuilder python = new ProcessBuilder("python3", "-m", "unittest", "discover", "-s",
                "client-python/tests", "-v").directory(root.toFile()).redirectErrorStream(true)
                .redirectOutput(output.toFile());
        python.environment().put("STENOGRAPHER_URL", service.baseUri().toString());
        // python's default TLS context reads its trust anchors from here: the service's certificate only
        python.environment().put("SSL_CERT_FILE", ServiceCertificate.shared().certificatePem().toString());
        python.environment().put("STENOGRAPHER_TOKEN", writerToken);
        python.environment().put("STENOGRAPHER_TENANT", TENANT);
        python.environment().put("STENOGRAPHER_MAX_BATCH_BYTES", String.valueOf(SERVICE_BATCH_BYTES - 1_024));
        python.environment().put("PYTHONDONTWRITEBYTECODE", "1");
        Process run = python.start();
        boolean ended = run.waitFor(5, TimeUnit.MINUTES);
        if (!ended) {
            run.destroyForcibly();
        }
        String log = Files.readString(output);
        assertThat(ended).as("python3 ended within 5 minutes:\n" + log).isTrue();
        assertThat(run.exitValue()).as(log).isZero();
        assertThat(log).contains("PYTHON CLIENT OK").doesNotContain("skipped");
    }

    /** The example portal of examples/case-portal: each officer action is an event, a denied export too. */
    @Test
    void theExamplePortalAuditsEveryOfficerAction() throws Exception {
        String caseId = "C-" + UUID.randomUUID().toString().substring(0, 8);
        String sealed = "S-" + UUID.randomUUID().toString().substring(0, 8);
        try (CasePortal portal = new CasePortal(0, client(new ArrayList<>()).build())) {
            HttpClient http = HttpClient.newHttpClient();
            java.util.function.Function<String, HttpResponse<String>> get = path -> {
                try {
                    return http.send(HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + portal.port()
                            + path)).header("X-Officer", "officer-17").build(), HttpResponse.BodyHandlers.ofString());
                } catch (IOException | InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            };
            assertThat(get.apply("/cases/" + caseId).statusCode()).isEqualTo(200);
            assertThat(get.apply("/cases/" + caseId + "/export").statusCode()).isEqualTo(200);
            assertThat(get.apply("/cases/" + sealed + "/export").statusCode()).isEqualTo(403);
        }
        assertThat(storedActions(caseId)).containsExactly("officer-17 case.view success",
                "officer-17 case.export success");
        assertThat(storedActions(sealed)).containsExactly("officer-17 case.export denied");
    }

    private static List<String> storedActions(String resourceId) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection db = database.superuserConnection();
                PreparedStatement ps = db.prepareStatement("SELECT actor_id, action, outcome FROM audit_event"
                        + " WHERE tenant = ? AND resource_id = ? ORDER BY id")) {
            ps.setString(1, TENANT);
            ps.setString(2, resourceId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3));
                }
            }
        }
        return rows;
    }

    private static long storedEventsAbout(String resourceId) throws SQLException {
        try (Connection db = database.superuserConnection();
                PreparedStatement ps = db.prepareStatement(
                        "SELECT count(*) FROM audit_event WHERE tenant = ? AND resource_id = ?")) {
            ps.setString(1, TENANT);
            ps.setString(2, resourceId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
