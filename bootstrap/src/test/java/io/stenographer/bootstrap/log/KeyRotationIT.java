package io.stenographer.bootstrap.log;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.stenographer.adapters.persistence.embedded.EmbeddedPostgresServer;
import io.stenographer.bootstrap.support.Api;
import io.stenographer.bootstrap.support.Await;
import io.stenographer.bootstrap.support.Events;
import io.stenographer.bootstrap.support.LogChecks;
import io.stenographer.bootstrap.support.OidcStub;
import io.stenographer.domain.bundle.BundleVerifier;
import io.stenographer.domain.checkpoint.KeySet;
import io.stenographer.domain.checkpoint.NoteVerifier;
import io.stenographer.domain.checkpoint.SignedNote;
import io.stenographer.domain.report.bundle.ReportBundleVerification;
import io.stenographer.domain.report.bundle.ReportBundleVerifier;
import io.stenographer.testing.ServiceProcess;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Rotation by configuration, on the packaged service: it runs with key A, then restarts with key B and A listed
 * as retired. The handover checkpoint must be cosigned and hold the log.key-rotated event. Checkpoints, export
 * bundles and report bundles from before and after the restart must all verify against the served key set.
 */
class KeyRotationIT {

    private static final String TENANT = "rotating";
    private static final Duration DEADLINE = Duration.ofSeconds(120);

    private static EmbeddedPostgresServer database;
    private static OidcStub oidc;
    private static String writer;
    private static String auditor;
    private static String admin;
    private static Path keys;

    @BeforeAll
    static void start() throws IOException {
        database = EmbeddedPostgresServer.start(null, 0);
        oidc = OidcStub.start();
        writer = oidc.token("rot-writer", Set.of("audit-writer"), 2, TENANT);
        auditor = oidc.token("rot-auditor", Set.of("auditor"), 2, TENANT);
        admin = oidc.token("rot-admin", Set.of("compliance-admin"), 2, TENANT);
        keys = Files.createTempDirectory(Path.of("target"), "rotation-keys-").toAbsolutePath();
    }

    @AfterAll
    static void stop() throws Exception {
        if (oidc != null) {
            oidc.close();
        }
        if (database != null) {
            database.close();
        }
    }

    private static ServiceProcess.Builder service(String name, Path key) throws IOException {
        return ServiceProcess.builder(Files.createTempDirectory(Path.of("target"), name + "-"))
                .name(name)
                .properties(database.quarkusConfig())
                .property("stenographer.embedded-postgres.enabled", "false")
                .property("stenographer.log.signing-key-file", key.toString())
                // Both instances use one personal-data keyring, as they share the database (docs/PRIVACY.md §2).
                .property("stenographer.privacy.keyring-file", keys.resolve("personal-data-keyring.json").toString())
                .env("STENOGRAPHER_GENERATE_SIGNING_KEY", "true")
                .env(oidc.serviceEnvironment());
    }

    @Test
    void checkpointsBundlesAndReportsFromBothKeysVerifyAgainstTheServedKeySet() throws Exception {
        Path keyA = keys.resolve("a.pem");
        Path keyB = keys.resolve("b.pem");
        String origin = "stenographer.local/" + TENANT;
        String bundleBefore;
        byte[] reportBefore;
        NoteVerifier verifierA;
        try (ServiceProcess first = service("rotation-first", keyA).start()) {
            Api api = new Api(first.baseUri());
            ingest(api, 5);
            awaitIntegrated();
            verifierA = NoteVerifier.parse(api.get("/api/v1/logs/" + TENANT + "/verifier-key", null).body().trim());
            bundleBefore = export(api);
            reportBefore = report(first.baseUri(), api);
        }

        try (ServiceProcess second = service("rotation-second", keyB)
                .property("stenographer.log.retired-signing-key-files", keyA.toString()).start()) {
            Api api = new Api(second.baseUri());
            KeySet keySet = Await.until("the tenant's key set to show the rotation", DEADLINE,
                    () -> KeySet.parse(api.get("/api/v1/logs/" + TENANT + "/key-set", auditor).body()),
                    seen -> seen.eras().size() == 2);
            NoteVerifier verifierB = keySet.current().key();
            assertThat(verifierB).isNotEqualTo(verifierA);
            assertThat(keySet.eras().get(0).key()).isEqualTo(verifierA);
            long handover = keySet.current().firstSize();
            ingest(api, 3);
            awaitIntegrated();

            try (Connection db = database.superuserConnection()) {
                List<SignedNote> notes = checkpoints(db);
                for (SignedNote note : notes) {
                    keySet.verify(note); // throws, naming the checkpoint, if any does not verify
                }
                SignedNote handoverNote = notes.stream()
                        .filter(note -> note.body().lines().skip(1).findFirst().orElse("").equals(
                                String.valueOf(handover))).findFirst().orElseThrow();
                assertThat(handoverNote.signatures()).as("the handover checkpoint is cosigned").hasSize(2);
                assertThat(LogChecks.count(db, "select count(*) from audit_event e join log_leaf l on l.event_id = e.id"
                        + " where e.tenant = ? and e.action = 'log.key-rotated' and l.leaf_index < " + handover,
                        TENANT)).as("the announcement inside the handover checkpoint").isEqualTo(1);
            }
            for (String bundle : List.of(bundleBefore, export(api))) {
                var verification = new BundleVerifier(keySet, origin)
                        .verify(new ByteArrayInputStream(bundle.getBytes(StandardCharsets.UTF_8)));
                assertThat(verification.failures()).isEmpty();
            }
            for (byte[] zip : List.of(reportBefore, report(second.baseUri(), api))) {
                ReportBundleVerification verification = new ReportBundleVerifier(keySet, origin)
                        .verify(new ByteArrayInputStream(zip));
                assertThat(verification.failures()).isEmpty();
                assertThat(verification.events()).isPositive();
            }
            // Pinned to the old key alone, the new bundle is refused: the key set has to be handed over.
            assertThat(new BundleVerifier(verifierA, origin).verify(new ByteArrayInputStream(
                    export(api).getBytes(StandardCharsets.UTF_8))).ok()).isFalse();
            LogChecks.assertVerifiesClean(api, admin, TENANT);
        }
    }

    private static void ingest(Api api, int count) {
        for (int i = 0; i < count; i++) {
            HttpResponse<String> answer = api.post("/api/v1/events", writer,
                    Events.event(TENANT, "actor-" + i, "case.view", "C-" + i));
            assertThat(answer.statusCode()).as(Api.describe(answer)).isEqualTo(201);
        }
    }

    private static void awaitIntegrated() throws SQLException {
        try (Connection db = database.superuserConnection()) {
            LogChecks.awaitEverythingIntegrated(db, List.of(TENANT), DEADLINE);
        }
    }

    private static String export(Api api) {
        long size = Api.json(api.get("/api/v1/logs/" + TENANT + "/checkpoint", auditor, "application/json"))
                .path("treeSize").asLong();
        HttpResponse<String> bundle = api.get("/api/v1/logs/" + TENANT + "/export?from=0&to=" + size,
                auditor);
        assertThat(bundle.statusCode()).as(Api.describe(bundle)).isEqualTo(200);
        return bundle.body();
    }

    private static byte[] report(URI base, Api api) throws IOException, InterruptedException {
        Instant now = Instant.now();
        HttpResponse<String> queued = api.post("/api/v1/reports", auditor, """
                {"tenant":"%s","type":"foia-export","format":"bundle","parameters":{"from":"%s","to":"%s"}}"""
                .formatted(TENANT, now.minus(Duration.ofDays(1)), now.plus(Duration.ofHours(1))));
        assertThat(queued.statusCode()).as(Api.describe(queued)).isEqualTo(202);
        String id = Api.json(queued).path("id").asText();
        JsonNode done = Await.until("report " + id, DEADLINE,
                () -> Api.json(api.get("/api/v1/reports/" + id, auditor)),
                seen -> Set.of("succeeded", "failed").contains(seen.path("status").asText()));
        assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("succeeded");
        HttpResponse<byte[]> zip = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                base.resolve(done.path("links").path("content").asText()))
                .header("Authorization", "Bearer " + auditor).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(zip.statusCode()).isEqualTo(200);
        return zip.body();
    }

    private static List<SignedNote> checkpoints(Connection db) throws SQLException {
        try (PreparedStatement query = db.prepareStatement(
                "select signed_note from log_checkpoint where tenant = ? order by tree_size")) {
            query.setString(1, TENANT);
            try (ResultSet rows = query.executeQuery()) {
                List<SignedNote> notes = new ArrayList<>();
                while (rows.next()) {
                    notes.add(SignedNote.parse(rows.getString(1)));
                }
                return notes;
            }
        }
    }
}
