package io.stenographer.bootstrap.archive;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.stenographer.adapters.archive.S3ArchiveSettings;
import io.stenographer.adapters.archive.S3ObjectLockArchive;
import io.stenographer.application.port.out.ArchiveSegmentsPort;
import io.stenographer.bootstrap.support.Await;
import io.stenographer.bootstrap.support.Events;
import io.stenographer.bootstrap.support.Proofs;
import io.stenographer.bootstrap.support.S3MockTestResource;
import io.stenographer.bootstrap.support.TestTokens;
import io.stenographer.domain.archive.SegmentCheck;
import io.stenographer.domain.archive.SegmentCodec;
import io.stenographer.domain.archive.SegmentEntry;
import io.stenographer.domain.archive.SegmentKeys;
import io.stenographer.domain.event.SealedEventFormat;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.json.JsonObject;
import io.stenographer.domain.json.JsonParser;
import io.stenographer.domain.json.JsonString;
import io.stenographer.domain.merkle.Hash;
import io.stenographer.testing.S3MockProcess;
import java.net.URI;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * The archive's failure modes against real processes: S3 gone, a crash between upload and record, and a
 * bucket that cannot lock. (S3Mock records locks but does not enforce them; AWS S3 does.)
 */
@QuarkusTest
class ArchiveFaultsTest {

    @Test
    void whenS3GoesAwayTheRunFailsCleanlyNothingIsPurgedAndTheNextRunResumes() throws Exception {
        String tenant = "fault-" + UUID.randomUUID().toString().substring(0, 8);
        ArchiveLifecycleTest.createPolicy(tenant, "PT0S", "PT1H");
        List<String> ids = ArchiveLifecycleTest.record(tenant, 4, i -> "user-" + i);
        Proofs.await(tenant, ids.get(3));

        S3MockTestResource.kill();
        JsonPath failed;
        try {
            failed = ArchiveLifecycleTest.runJob("archive", tenant, false);
            assertThat(failed.getString("status")).isEqualTo("failed");
            assertThat(failed.getString("error")).isNotBlank();
            JsonPath purge = ArchiveLifecycleTest.runJob("purge", tenant, false);
            assertThat(purge.getLong("details.tenants." + tenant + ".eventsPurged")).isZero();

            // Archiving is asynchronous: its outage shows in its own health group and metric, not in readiness.
            given().when().get("/q/health/group/archive").then().statusCode(503).body("status", equalTo("DOWN"));
            given().when().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
            assertThat(archiveAvailableGauge()).isEqualTo("0.0");
            given().auth().oauth2(TestTokens.writer("writer", tenant)).contentType("application/json")
                    .body(Events.event(tenant, "dana", "case.view", "C-during-outage"))
                    .when().post("/api/v1/events").then().statusCode(201);
        } finally {
            S3MockTestResource.restart();
        }
        given().when().get("/q/health/group/archive").then().statusCode(200).body("status", equalTo("UP"));
        assertThat(archiveAvailableGauge()).isEqualTo("1.0");
        given().auth().oauth2(TestTokens.auditor("aud", tenant)).when().get("/api/v1/events/" + ids.get(0))
                .then().statusCode(200);

        JsonPath resumed = ArchiveLifecycleTest.runJob("archive", tenant, false);
        assertThat(resumed.getString("status")).isEqualTo("succeeded");
        assertThat(resumed.getLong("details.tenants." + tenant + ".eventsArchived")).isGreaterThanOrEqualTo(4);
        assertThat(ArchiveLifecycleTest.runJob("purge", tenant, false)
                .getLong("details.tenants." + tenant + ".eventsPurged")).isGreaterThanOrEqualTo(4);
        JsonPath run = given().auth().oauth2(TestTokens.admin("admin", tenant)).when()
                .get("/api/v1/jobs/runs/" + failed.getString("id")).then().statusCode(200).extract().jsonPath();
        assertThat(run.getString("status")).isEqualTo("failed");
        assertThat(run.getLong("durationMillis")).isNotNegative();
    }

    @Test
    void s3GoingAwayBetweenTwoSegmentsFailsTheRunKeepsWhatWasConfirmedAndTheNextRunResumes() throws Exception {
        String tenant = "midrun-" + UUID.randomUUID().toString().substring(0, 8);
        ArchiveLifecycleTest.createPolicy(tenant, "PT0S", "PT1H");
        List<String> ids = new ArrayList<>();
        for (int batch = 0; batch < 3; batch++) {
            ids.addAll(ArchiveLifecycleTest.record(tenant, 1000, i -> "user-" + i));
        }
        Proofs.await(tenant, ids.get(ids.size() - 1));

        // 3,000+ events in segments of 50, written one after the other: once the second segment's object
        // appears, the first is recorded; S3 stops answering then (SIGSTOP, see S3MockTestResource.pause).
        ExecutorService runner = Executors.newSingleThreadExecutor();
        JsonPath failed;
        try (S3Client s3 = S3MockTestResource.client()) {
            Future<JsonPath> run = runner.submit(() -> ArchiveLifecycleTest.runJob("archive", tenant, false));
            String second = SegmentKeys.segmentKey(TenantId.of(tenant), 50);
            Await.until("the run to upload its second segment " + second, Await.DEADLINE,
                    () -> ArchiveLifecycleTest.exists(s3, second));
            S3MockTestResource.pause();
            failed = run.get(2, TimeUnit.MINUTES);
        } finally {
            S3MockTestResource.resume();
            runner.shutdownNow();
        }
        assertThat(failed.getString("status")).isEqualTo("failed");
        long confirmed = failed.getLong("details.tenants." + tenant + ".eventsArchived");
        assertThat(confirmed).as("gone mid-run: some segments confirmed, not all").isPositive()
                .isLessThan(ids.size());

        // Purge takes exactly what was confirmed, nothing more.
        JsonPath purge = ArchiveLifecycleTest.runJob("purge", tenant, false);
        assertThat(purge.getLong("details.tenants." + tenant + ".eventsPurged")).isEqualTo(confirmed);

        JsonPath resumed = ArchiveLifecycleTest.runJob("archive", tenant, false);
        assertThat(resumed.getString("status")).as(resumed.prettify()).isEqualTo("succeeded");
        List<Integer> froms = resumed.getList("details.tenants." + tenant + ".segments.from", Integer.class);
        assertThat(froms.get(0)).as("resumes where the failed run stopped (an object it left is adopted)")
                .isGreaterThanOrEqualTo((int) confirmed).isLessThanOrEqualTo((int) confirmed);
        assertThat(ArchiveLifecycleTest.runJob("purge", tenant, false)
                .getLong("details.tenants." + tenant + ".eventsPurged")).isGreaterThanOrEqualTo(ids.size() - confirmed);
        given().auth().oauth2(TestTokens.auditor("aud", tenant)).when().get("/api/v1/events/" + ids.get(2999))
                .then().statusCode(200);
    }

    @Test
    void anObjectLeftByACrashBeforeTheDatabaseRecordIsVerifiedAndReused() throws Exception {
        String tenant = "crash-" + UUID.randomUUID().toString().substring(0, 8);
        ArchiveLifecycleTest.createPolicy(tenant, "PT0S", "PT1H");
        List<String> ids = ArchiveLifecycleTest.record(tenant, 3, i -> "user-" + i);
        Proofs.await(tenant, ids.get(2));

        // What an interrupted run left behind: the segment uploaded and locked, no manifest, no database row.
        List<SegmentEntry> entries = exportedEntries(tenant, 3);
        byte[] object = SegmentCodec.encode(entries);
        String key = SegmentKeys.segmentKey(TenantId.of(tenant), 0);
        archive().put(key, object, SegmentCheck.sha256Hex(object), Instant.now().plus(2, ChronoUnit.HOURS));

        JsonPath run = ArchiveLifecycleTest.runJob("archive", tenant, false);
        assertThat(run.getString("status")).as(run.prettify()).isEqualTo("succeeded");
        assertThat(run.getInt("details.tenants." + tenant + ".segmentsReused")).isEqualTo(1);
        assertThat(run.getLong("details.tenants." + tenant + ".segments[0].to")).isEqualTo(3);
        try (S3Client s3 = S3MockTestResource.client()) {
            byte[] stored = s3.getObjectAsBytes(b -> b.bucket(S3MockTestResource.BUCKET).key(key)).asByteArray();
            assertThat(SegmentCheck.sha256Hex(stored)).as("the object was reused, not replaced")
                    .isEqualTo(SegmentCheck.sha256Hex(object));
            assertThat(s3.headObject(b -> b.bucket(S3MockTestResource.BUCKET).key(SegmentKeys.manifestKey(key))))
                    .as("the missing manifest was written").isNotNull();
        }
        ArchiveLifecycleTest.runJob("purge", tenant, false);
        given().auth().oauth2(TestTokens.auditor("aud", tenant)).when().get("/api/v1/events/" + ids.get(1))
                .then().statusCode(200);
    }

    @Test
    void aHoldOverASegmentWhoseObjectIsMissingIsPlacedAndNamesTheSegment() throws Exception {
        String tenant = "missing-" + UUID.randomUUID().toString().substring(0, 8);
        ArchiveLifecycleTest.createPolicy(tenant, "PT0S", "PT1H");
        List<String> ids = ArchiveLifecycleTest.record(tenant, 3, i -> "user-" + i);
        Proofs.await(tenant, ids.get(2));
        assertThat(ArchiveLifecycleTest.runJob("archive", tenant, false).getString("status")).isEqualTo("succeeded");
        String key = SegmentKeys.segmentKey(TenantId.of(tenant), 0);
        // S3Mock does not enforce Object Lock, so the object can be removed here as it could not be on AWS S3.
        try (S3Client s3 = S3MockTestResource.client()) {
            s3.deleteObject(b -> b.bucket(S3MockTestResource.BUCKET).key(key));
        }

        given().auth().oauth2(TestTokens.admin("admin", tenant)).contentType("application/json")
                .body("{\"tenant\":\"" + tenant + "\",\"reason\":\"litigation\"}")
                .when().post("/api/v1/legal-holds")
                .then().statusCode(201)
                .body("status", equalTo("active"))
                .body("archive.segments", equalTo(1))
                .body("archive.applied", equalTo(0))
                .body("archive.complete", equalTo(false))
                .body("archive.problems[0]", containsString(key));
    }

    @Test
    void aBucketWithoutObjectLockIsRefusedWithAClearMessage() {
        S3ObjectLockArchive unlocked = archive(S3MockTestResource.BUCKET + "-no-lock");
        assertThatThrownBy(unlocked::checkWormCapable)
                .isInstanceOf(ArchiveSegmentsPort.ArchiveNotWormCapable.class)
                .hasMessageContaining("Object Lock");
        archive().checkWormCapable();
        given().when().get("/q/health/ready").then().statusCode(200);
    }

    private static String archiveAvailableGauge() {
        return given().auth().oauth2(TestTokens.valid("ops", Set.of("metrics-reader"), "ops")).when().get("/q/metrics").then().statusCode(200).extract().asString().lines()
                .filter(line -> line.startsWith("stenographer_archive_available{"))
                .map(line -> line.substring(line.lastIndexOf(' ') + 1))
                .findFirst().orElseThrow(() -> new AssertionError("no stenographer_archive_available gauge"));
    }

    /** The same adapter the service uses, on the test's S3Mock: what an interrupted run would have used. */
    private static S3ObjectLockArchive archive() {
        return archive(S3MockTestResource.BUCKET);
    }

    private static S3ObjectLockArchive archive(String bucket) {
        return S3ObjectLockArchive.connect(S3ArchiveSettings.aws(bucket, S3MockProcess.REGION)
                .withEndpoint(URI.create(ConfigProvider.getConfig()
                        .getValue("stenographer.archive.s3.endpoint", String.class)), true)
                .withStaticCredentials(S3MockProcess.ACCESS_KEY_ID, S3MockProcess.SECRET_ACCESS_KEY));
    }

    /** The tenant's first {@code count} leaves with their events, from the export bundle. */
    private static List<SegmentEntry> exportedEntries(String tenant, int count) {
        String bundle = given().auth().oauth2(TestTokens.auditor("aud", tenant)).queryParam("from", 0)
                .queryParam("to", count).when().get("/api/v1/logs/" + tenant + "/export")
                .then().statusCode(200).extract().asString();
        List<SegmentEntry> entries = new ArrayList<>();
        for (String line : bundle.split("\n")) {
            JsonObject json = (JsonObject) JsonParser.parse(line, 64);
            if (json.get("type").equals(new JsonString("entry"))) {
                entries.add(new SegmentEntry(entries.size(), Hash.fromHex(((JsonString) json.get("leafHash")).value()),
                        SealedEventFormat.fromJson((JsonObject) json.get("event"))));
            }
        }
        return entries;
    }
}
