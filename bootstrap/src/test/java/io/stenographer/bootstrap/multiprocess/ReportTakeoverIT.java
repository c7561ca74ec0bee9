package io.stenographer.bootstrap.multiprocess;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.stenographer.adapters.persistence.embedded.EmbeddedPostgresServer;
import io.stenographer.bootstrap.support.Api;
import io.stenographer.bootstrap.support.Await;
import io.stenographer.bootstrap.support.Events;
import io.stenographer.bootstrap.support.LogChecks;
import io.stenographer.bootstrap.support.OidcStub;
import io.stenographer.bootstrap.support.SharedDatabaseServices;
import io.stenographer.testing.Closing;
import io.stenographer.testing.ServiceProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two packaged services, as two real processes with data directories of their own, share one PostgreSQL. A report
 * over {@value #EVENTS} events is requested; whichever service claims it is SIGKILLed while it generates it (seen in
 * the database: its claim, named by the instance id the service logs at start-up). The other service must take the
 * report over once the claim's heartbeat is older than the takeover time, and complete it.
 *
 * <p>Then the file must be the one an uninterrupted run makes. Report bytes are a function of the job (id and
 * request) and the log it is pinned to, so the clean run is the same job generated again, start to finish, by one
 * instance that nobody interrupts: the survivor is stopped, the job's progress (its status and claim rows, and
 * nothing else) is removed by the superuser with triggers off, which puts the job back in the queue exactly as it was
 * requested, and the killed service is started again to generate it. Its file must have the taken-over file's
 * SHA-256 and bytes. Only the job's progress records and its file record are removed (so the clean run's file is
 * recorded afresh, with its own digest, not compared with the first): the request, the log and the checkpoint it is
 * pinned to stay as they were.
 *
 * <p>Heartbeats every 0.5 s and a takeover after 3 s (instead of 10 s and 60 s) keep the run short. Every wait polls
 * a condition with a deadline.
 */
class ReportTakeoverIT {

    private static final String TENANT = "takeover";
    private static final int EVENTS = 30_000;
    private static final int BATCH = 1_000;
    private static final String RESOURCE = "C-TAKEOVER";
    private static final Duration DEADLINE = Duration.ofSeconds(90);
    private static final Pattern INSTANCE = Pattern.compile("report workers: \\d+ on instance ([0-9a-f-]{36})");

    private static EmbeddedPostgresServer database;
    private static OidcStub oidc;
    private static ServiceProcess first;
    private static ServiceProcess second;
    private static String writerToken;
    private static String auditorToken;

    @BeforeAll
    static void startTwoServicesOnOneDatabase() throws Exception {
        database = EmbeddedPostgresServer.start(null, 0);
        oidc = OidcStub.start();
        writerToken = oidc.token("takeover-writer", Set.of("audit-writer"), 2, TENANT);
        auditorToken = oidc.token("takeover-auditor", Set.of("auditor"), 2, TENANT);
        Path key = SharedDatabaseServices.keyFile("takeover-key");
        first = service("report-first", key).env("STENOGRAPHER_GENERATE_SIGNING_KEY", "true").start();
        second = service("report-second", key).start();
    }

    private static ServiceProcess.Builder service(String name, Path key) throws IOException {
        return SharedDatabaseServices.builder(name, database.quarkusConfig(), key, oidc)
                .property("stenographer.reports.workers", "1")
                .property("stenographer.reports.poll-every", "PT0.1S")
                .property("stenographer.reports.heartbeat-every", "PT0.5S")
                .property("stenographer.reports.takeover-after", "PT3S");
    }

    @AfterAll
    static void stop() {
        Closing.all("report-takeover", first, second, oidc, database);
    }

    @Test
    void aReportWhoseInstanceIsKilledIsTakenOverAndEqualsAnUninterruptedRun() throws Exception {
        Api firstApi = new Api(first.baseUri());
        Api secondApi = new Api(second.baseUri());
        Map<String, ServiceProcess> byInstance = new HashMap<>();
        byInstance.put(instanceId(first), first);
        byInstance.put(instanceId(second), second);
        Instant from = Instant.now().minus(1, ChronoUnit.HOURS);
        long started = System.nanoTime();
        ingest(List.of(firstApi, secondApi));
        try (Connection db = database.superuserConnection()) {
            LogChecks.awaitEverythingIntegrated(db, List.of(TENANT), DEADLINE);
        }
        System.out.printf("report-takeover: %d events ingested and integrated in %d ms%n", EVENTS,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));

        HttpResponse<String> requested = firstApi.post("/api/v1/reports", auditorToken, """
                {"tenant":"%s","type":"record-access","format":"json",
                 "parameters":{"from":"%s","to":"%s","resourceType":"case","resourceId":"%s"}}"""
                .formatted(TENANT, from, Instant.now().plus(1, ChronoUnit.HOURS), RESOURCE));
        assertThat(requested.statusCode()).as(Api.describe(requested)).isEqualTo(202);
        UUID report = UUID.fromString(Api.json(requested).get("id").asText());

        ServiceProcess killed;
        ServiceProcess survivor;
        String killedInstance;
        try (Connection db = database.superuserConnection()) {
            killedInstance = Await.present("a service claims the report", DEADLINE, () -> claimant(db, report, 1));
            killed = byInstance.get(killedInstance);
            long claimedAt = System.nanoTime();
            killed.kill9();
            System.out.printf("report-takeover: %s (instance %s) claimed the report and was killed %d ms later%n",
                    killed, killedInstance, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - claimedAt));
            assertThat(finished(db, report)).as("the killed attempt had not finished").isFalse();
            survivor = killed == first ? second : first;
            String survivorInstance = instanceId(survivor);
            Api survivorApi = new Api(survivor.baseUri());

            long killedAt = System.nanoTime();
            JsonNode done = awaitFinished(survivorApi, report);
            System.out.printf("report-takeover: taken over and finished %d ms after the kill%n",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt));
            assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("succeeded");
            assertThat(done.get("eventCount").asLong()).isEqualTo(EVENTS);
            assertThat(claims(db, report)).as("attempt 1 by the killed service, attempt 2 by the other")
                    .containsExactly("1 " + killedInstance, "2 " + survivorInstance);

            String takenOverSha256 = done.get("contentSha256").asText();
            byte[] takenOver = download(survivor, report);
            assertThat(takenOver).hasSize(done.get("contentBytes").asInt());
            assertThat(sha256(takenOver)).isEqualTo(takenOverSha256);
            JsonNode json = Api.parse(new String(takenOver, StandardCharsets.UTF_8));
            assertThat(json.get("header").get("reportId").asText()).isEqualTo(report.toString());
            assertThat(json.get("events")).hasSize(EVENTS);

            // The clean run: the same job, generated again by one instance that nobody interrupts.
            survivor.stop();
            forgetProgress(db, report);
            killed.start();
            String cleanInstance = instanceId(killed, killedInstance);
            JsonNode clean = awaitFinished(new Api(killed.baseUri()), report);
            assertThat(clean.get("status").asText()).as(clean.toString()).isEqualTo("succeeded");
            assertThat(claims(db, report)).as("one attempt, by the restarted service").containsExactly("1 "
                    + cleanInstance);
            assertThat(clean.get("contentSha256").asText()).as("the clean run's digest").isEqualTo(takenOverSha256);
            assertThat(download(killed, report)).as("the clean run's bytes").isEqualTo(takenOver);
            System.out.printf("report-takeover: %d bytes, sha256 %s, the same as an uninterrupted run's; %d ms in all%n",
                    takenOver.length, takenOverSha256, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        }
    }

    private static String instanceId(ServiceProcess service) {
        return instanceId(service, null);
    }

    /** The instance id a service logged at its latest start (each start draws a new one), other than {@code before}. */
    private static String instanceId(ServiceProcess service, String before) {
        return Await.present("the report workers' instance id in " + service.logFile(), DEADLINE, () -> {
            try {
                // The log is appended across restarts: the last start's line counts.
                Matcher m = INSTANCE.matcher(Files.readString(service.logFile()));
                String found = null;
                while (m.find()) {
                    found = m.group(1);
                }
                return Optional.ofNullable(found).filter(id -> !id.equals(before));
            } catch (IOException e) {
                return Optional.empty();
            }
        });
    }

    /** {@value #EVENTS} views of one record, in batches, through both services. */
    private static void ingest(List<Api> apis) throws Exception {
        ExecutorService writers = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> batches = new ArrayList<>();
            for (int b = 0; b < EVENTS / BATCH; b++) {
                Api api = apis.get(b % apis.size());
                int batch = b;
                batches.add(writers.submit(() -> {
                    StringBuilder body = new StringBuilder("{\"events\":[");
                    for (int i = 0; i < BATCH; i++) {
                        body.append(i == 0 ? "" : ",")
                                .append(Events.event(TENANT, "actor-" + (i % 50), "case.view", RESOURCE).strip());
                    }
                    body.append("]}");
                    HttpResponse<String> answer = api.post("/api/v1/events/batch", writerToken,
                            "takeover-batch-" + batch, body.toString());
                    assertThat(answer.statusCode()).as(Api.describe(answer)).isEqualTo(200);
                    assertThat(Api.json(answer).get("created").asInt()).isEqualTo(BATCH);
                    return null;
                }));
            }
            for (Future<?> batch : batches) {
                batch.get(2, TimeUnit.MINUTES);
            }
        } finally {
            writers.shutdownNow();
        }
    }

    private static JsonNode awaitFinished(Api api, UUID report) {
        return Api.json(Api.until("report " + report + " to finish", DEADLINE,
                () -> api.get("/api/v1/reports/" + report, auditorToken),
                answer -> answer.statusCode() == 200
                        && Set.of("succeeded", "failed").contains(Api.json(answer).path("status").asText())));
    }

    /**
     * The file, from {@code service}. Large files go to the archive store, here each service's own local directory (a
     * production deployment shares one), so the file is read from the service that stored it.
     */
    private static byte[] download(ServiceProcess service, UUID report) throws IOException, InterruptedException {
        HttpResponse<byte[]> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(service.baseUri() + "/api/v1/reports/" + report + "/content"))
                .header("Authorization", "Bearer " + auditorToken).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(answer.statusCode()).as(new String(answer.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        return answer.body();
    }

    /** The instance holding the report's claim of {@code attempt}, once there is one. */
    private static Optional<String> claimant(Connection db, UUID report, int attempt) {
        try (PreparedStatement query = db.prepareStatement(
                "SELECT instance_id FROM report_job_claim WHERE report_id = ? AND attempt = ?")) {
            query.setObject(1, report);
            query.setInt(2, attempt);
            try (ResultSet row = query.executeQuery()) {
                return row.next() ? Optional.of(row.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean finished(Connection db, UUID report) throws SQLException {
        try (PreparedStatement query = db.prepareStatement("SELECT count(*) FROM report_job_status"
                + " WHERE report_id = ? AND status IN ('succeeded', 'failed')")) {
            query.setObject(1, report);
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return row.getLong(1) > 0;
            }
        }
    }

    /** "attempt instance" of each claim, in attempt order. */
    private static List<String> claims(Connection db, UUID report) throws SQLException {
        List<String> claims = new ArrayList<>();
        try (PreparedStatement query = db.prepareStatement(
                "SELECT attempt, instance_id FROM report_job_claim WHERE report_id = ? ORDER BY attempt")) {
            query.setObject(1, report);
            try (ResultSet row = query.executeQuery()) {
                while (row.next()) {
                    claims.add(row.getInt(1) + " " + row.getString(2));
                }
            }
        }
        return claims;
    }

    /**
     * Puts the job back in the queue as it was requested: its status and claim records go (the superuser, with
     * triggers off for this transaction only, as no application path can); the request itself stays.
     */
    private static void forgetProgress(Connection db, UUID report) throws SQLException {
        db.setAutoCommit(false);
        try (Statement replica = db.createStatement();
                PreparedStatement status = db.prepareStatement("DELETE FROM report_job_status WHERE report_id = ?");
                PreparedStatement claims = db.prepareStatement("DELETE FROM report_job_claim WHERE report_id = ?");
                PreparedStatement content = db.prepareStatement("DELETE FROM report_file_content WHERE report_id = ?");
                PreparedStatement file = db.prepareStatement("DELETE FROM report_file WHERE report_id = ?")) {
            replica.execute("SET LOCAL session_replication_role = replica");
            status.setObject(1, report);
            assertThat(status.executeUpdate()).as("running and succeeded").isEqualTo(2);
            claims.setObject(1, report);
            assertThat(claims.executeUpdate()).isEqualTo(2);
            content.setObject(1, report);
            content.executeUpdate();
            file.setObject(1, report);
            assertThat(file.executeUpdate()).as("the taken-over file's record").isEqualTo(1);
            db.commit();
        } finally {
            db.setAutoCommit(true);
        }
    }

    private static String sha256(byte[] bytes) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
