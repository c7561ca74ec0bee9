package io.stenographer.bootstrap.multiprocess;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.stenographer.adapters.persistence.embedded.EmbeddedPostgresServer;
import io.stenographer.bootstrap.support.Api;
import io.stenographer.bootstrap.support.Events;
import io.stenographer.bootstrap.support.LogChecks;
import io.stenographer.bootstrap.support.OidcStub;
import io.stenographer.bootstrap.support.SharedDatabaseServices;
import io.stenographer.testing.Closing;
import io.stenographer.testing.S3MockProcess;
import io.stenographer.testing.ServiceProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Report files are served by any instance (docs/REPORTS.md, "Report files"): two packaged services, as real processes
 * with separate data directories, share one PostgreSQL and one archive store (S3Mock with an Object Lock bucket). The
 * first generates two reports, a small one (kept in the database) and a large one (in the archive store), and is then
 * stopped; the second, started only afterwards, serves both, whole and by byte range, with the digest the first
 * recorded, while its own data directory holds no report file.
 */
class ReportFilesAcrossInstancesIT {

    private static final String TENANT = "files-duo";
    private static final int EVENTS = 60;
    private static final Duration DEADLINE = Duration.ofSeconds(90);
    private static final String BUCKET = "report-files";

    private static EmbeddedPostgresServer database;
    private static S3MockProcess s3;
    private static OidcStub oidc;
    private static ServiceProcess first;
    private static ServiceProcess second;
    private static String writerToken;
    private static String auditorToken;
    private static Path key;

    @BeforeAll
    static void startOneDatabaseAndOneArchiveStore() throws IOException {
        database = EmbeddedPostgresServer.start(null, 0);
        s3 = S3MockProcess.start();
        s3.createBucket(BUCKET, true);
        oidc = OidcStub.start();
        writerToken = oidc.token("files-writer", Set.of("audit-writer"), 2, TENANT);
        auditorToken = oidc.token("files-auditor", Set.of("auditor"), 2, TENANT);
        key = SharedDatabaseServices.keyFile("files-key");
    }

    private static ServiceProcess.Builder service(String name) throws IOException {
        return SharedDatabaseServices.builder(name, database.quarkusConfig(), key, oidc)
                .property("stenographer.archive.store", "s3")
                .property("stenographer.archive.s3.bucket", BUCKET)
                .property("stenographer.archive.s3.region", S3MockProcess.REGION)
                .property("stenographer.archive.s3.endpoint", s3.endpoint().toString())
                .property("stenographer.archive.s3.path-style", "true")
                .property("stenographer.archive.s3.access-key-id", S3MockProcess.ACCESS_KEY_ID)
                .property("stenographer.archive.s3.secret-access-key", S3MockProcess.SECRET_ACCESS_KEY)
                // Files above 4 KiB go to the archive store.
                .property("stenographer.reports.files.inline-max-bytes", "4096")
                .property("stenographer.reports.workers", "1")
                .property("stenographer.reports.poll-every", "PT0.1S");
    }

    @AfterAll
    static void stop() {
        Closing.all("report-files", first, second, oidc, s3, database);
    }

    @Test
    void aReportGeneratedOnOneInstanceIsServedByAnotherWithTheSameDigest() throws Exception {
        long started = System.nanoTime();
        first = service("files-first").env("STENOGRAPHER_GENERATE_SIGNING_KEY", "true").start();
        Api firstApi = new Api(first.baseUri());
        StringBuilder batch = new StringBuilder("{\"events\":[");
        for (int i = 0; i < EVENTS; i++) {
            batch.append(i == 0 ? "" : ",").append(Events.event(TENANT, "actor-" + i, "case.view", "C-" + i).strip());
        }
        HttpResponse<String> recorded = firstApi.post("/api/v1/events/batch", writerToken, batch.append("]}").toString());
        assertThat(recorded.statusCode()).as(Api.describe(recorded)).isEqualTo(200);
        try (Connection db = database.superuserConnection()) {
            LogChecks.awaitEverythingIntegrated(db, List.of(TENANT), DEADLINE);
        }
        // The report pins the latest signed checkpoint, which must cover the events.
        Api.until("a checkpoint of size " + EVENTS, DEADLINE,
                () -> firstApi.get("/api/v1/logs/" + TENANT + "/checkpoint", auditorToken, "application/json"),
                answer -> answer.statusCode() == 200 && Api.json(answer).path("treeSize").asLong() >= EVENTS);
        JsonNode small = generate(firstApi, "csv", ",\"actor\":\"actor-0\"");
        JsonNode large = generate(firstApi, "json", "");
        assertThat(small.path("fileLocation").asText()).isEqualTo("database");
        assertThat(large.path("fileLocation").asText()).isEqualTo("archive");
        byte[] fromFirst = download(first, large, Map.of()).body();
        first.stop();

        second = service("files-second").start();
        for (JsonNode report : List.of(small, large)) {
            String sha256 = report.path("contentSha256").asText();
            long size = report.path("contentBytes").asLong();
            HttpResponse<byte[]> whole = download(second, report, Map.of());
            assertThat(whole.statusCode()).isEqualTo(200);
            assertThat(sha256(whole.body())).isEqualTo(sha256);
            assertThat(whole.headers().firstValue("ETag")).contains("\"" + sha256 + "\"");

            long from = size / 3;
            long to = size / 3 + 99;
            HttpResponse<byte[]> part = download(second, report, Map.of("Range", "bytes=" + from + "-" + to));
            assertThat(part.statusCode()).isEqualTo(206);
            assertThat(part.headers().firstValue("Content-Range")).contains("bytes " + from + "-" + to + "/" + size);
            assertThat(part.body()).isEqualTo(Arrays.copyOfRange(whole.body(), (int) from, (int) to + 1));
        }
        assertThat(download(second, large, Map.of()).body()).as("the same bytes as the first served")
                .isEqualTo(fromFirst);
        try (Stream<Path> files = Files.walk(second.dataDir().resolve("reports"))) {
            assertThat(files.filter(Files::isRegularFile).toList()).as("report files on the second instance's disk")
                    .isEmpty();
        }
        System.out.printf("report-files: a %d-byte and a %d-byte report generated by one instance, served whole and"
                + " by range by the other in %d ms in all%n", small.path("contentBytes").asLong(),
                large.path("contentBytes").asLong(), Duration.ofNanos(System.nanoTime() - started).toMillis());
    }

    private static JsonNode generate(Api api, String format, String parameters) {
        HttpResponse<String> requested = api.post("/api/v1/reports", auditorToken, """
                {"tenant":"%s","type":"foia-export","format":"%s","parameters":{"from":"%s","to":"%s",
                 "pseudonymiseActors":false%s}}""".formatted(TENANT, format,
                Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MILLIS),
                Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MILLIS), parameters));
        assertThat(requested.statusCode()).as(Api.describe(requested)).isEqualTo(202);
        String id = Api.json(requested).path("id").asText();
        JsonNode done = Api.json(Api.until("report " + id + " to finish", DEADLINE,
                () -> api.get("/api/v1/reports/" + id, auditorToken),
                answer -> answer.statusCode() == 200
                        && Set.of("succeeded", "failed").contains(Api.json(answer).path("status").asText())));
        assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("succeeded");
        return done;
    }

    private static HttpResponse<byte[]> download(ServiceProcess service, JsonNode report, Map<String, String> headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(service.baseUri() + "/api/v1/reports/"
                        + report.path("id").asText() + "/content"))
                .header("Authorization", "Bearer " + auditorToken).timeout(Duration.ofSeconds(30)).GET();
        headers.forEach(request::header);
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
