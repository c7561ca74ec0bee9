package io.stenographer.bootstrap.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.stenographer.bootstrap.support.Api;
import io.stenographer.bootstrap.support.OidcStub;
import io.stenographer.domain.checkpoint.Checkpoint;
import io.stenographer.domain.checkpoint.NoteVerifier;
import io.stenographer.domain.checkpoint.SignedNote;
import io.stenographer.domain.event.SealedEventFormat;
import io.stenographer.domain.json.JsonObject;
import io.stenographer.domain.json.JsonParser;
import io.stenographer.domain.json.JsonValue;
import io.stenographer.domain.merkle.Hash;
import io.stenographer.domain.merkle.InclusionProof;
import io.stenographer.testing.ServiceProcess;
import io.stenographer.testing.TestCertificates;
import io.stenographer.testing.WebhookReceiver;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;

/**
 * Issue 18's canary test, against the packaged service: events carrying a unique canary in every personal field of a
 * tenant whose data policy also marks {@code reason}, {@code metadata.email} and the identifier {@code resource.id}
 * (held in the leaf as its keyed pseudonym, docs/PRIVACY.md section 1a) personal are ingested for two data
 * subjects, streamed to a webhook sink (native and OCSF), archived to the local archive directory, reported on (JSON,
 * CSV and a zipped bundle, requested by a reader allowed to see personal data, and one report with the personal
 * values, whose download holds them and whose stored file, encrypted under the report's own key, must not) and
 * exported; inclusion proofs of the first subject's events are kept; then that subject is erased, and the report with
 * its values can no longer be downloaded (410).
 *
 * <p>Every canary is then searched for (UTF-8 bytes; the IP also in its 16-byte binary and hex forms) in the whole
 * embedded PostgreSQL data directory (heap, indexes, pg_wal, after {@code VACUUM} and {@code CHECKPOINT}, and again
 * after the service has stopped), in a logical dump of every table ({@code COPY ... TO STDOUT} as the superuser: the
 * embedded binaries have no pg_dump, and a system pg_dump older than 17 refuses the server), in the archive directory
 * (segments decompressed), the service's report directory and every other file of its data directory, the downloaded
 * reports and export, every webhook body and the service log. By design no plaintext personal value is ever written to
 * the database, so the database scans must find none even before the erasure; the reports, export, archive and streams
 * carry commitments only. Each place must, however, hold the subjects' actor ids (the controls): a scan that finds
 * nothing there would prove nothing.
 *
 * <p>After the erasure the proofs taken before it still verify against the leaf rebuilt from what is served, a full
 * verification run of the log passes, and the live database (its logical dump) holds neither the erased subject's
 * wrapped data key nor its ciphertext. Whether they survive in the cluster's files (WAL) is printed, not asserted:
 * docs/PRIVACY.md section 5 describes that window and how key rotation closes it.
 */
class PersonalDataCanaryIT {

    private static final String TENANT = "canary";
    private static final String DATABASE = "stenographer";
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final int EVENTS_PER_SUBJECT = 3;
    private static final List<String> PERSONAL_FIELDS = List.of("actor.displayName", "source.ip", "source.userAgent",
            "reason", "metadata.email", "resource.id");

    /** The canaries of one data subject. */
    private record Subject(String actorId, String name, String ip, String userAgent, String reason, String email,
            String control, String record) {

        /** {@code record}: the resource both subjects act on, a canary too (a patient's record number). */
        static Subject create(SecureRandom random, String record) {
            String tag = HexFormat.of().formatHex(bytes(random, 12));
            StringBuilder ip = new StringBuilder("2001:db8");
            for (int i = 0; i < 6; i++) {
                // 0x1000..0xffff: no leading zero, no zero group, so the text is already in RFC 5952 form.
                ip.append(':').append(Integer.toHexString(0x1000 + random.nextInt(0xf000)));
            }
            return new Subject("canary-subject-" + tag, "CANARY-" + tag + "-name", ip.toString(),
                    "CANARY-" + tag + "-agent", "CANARY-" + tag + "-reason", "CANARY-" + tag + "-email",
                    "CONTROL-" + tag + "-note", record);
        }

        Map<String, String> personal() {
            Map<String, String> values = new LinkedHashMap<>();
            values.put("actor.displayName", name);
            values.put("source.ip", ip);
            values.put("source.userAgent", userAgent);
            values.put("reason", reason);
            values.put("metadata.email", email);
            values.put("resource.id", record);
            return values;
        }

        /** The byte patterns searched for: every personal value, and the controls that must be found. */
        Map<String, byte[]> patterns(String who) {
            Map<String, byte[]> patterns = new LinkedHashMap<>();
            personal().forEach((field, value) -> patterns.put("personal:" + who + ":" + field,
                    value.getBytes(StandardCharsets.UTF_8)));
            byte[] binaryIp = ipBytes(ip);
            patterns.put("personal:" + who + ":source.ip(binary)", binaryIp);
            patterns.put("personal:" + who + ":source.ip(hex)",
                    HexFormat.of().formatHex(binaryIp).getBytes(StandardCharsets.US_ASCII));
            patterns.put("control:" + who + ":actor.id", actorId.getBytes(StandardCharsets.UTF_8));
            patterns.put("control:" + who + ":metadata.note", control.getBytes(StandardCharsets.UTF_8));
            return patterns;
        }

        String event(Instant occurredAt, int i) {
            return """
                    {"tenant":"%s","actor":{"id":"%s","type":"user","displayName":"%s"},
                     "action":"case.view","resource":{"type":"case","id":"%s"},"reason":"%s","outcome":"success",
                     "occurredAt":"%s","source":{"application":"portal","ip":"%s","userAgent":"%s"},
                     "metadata":{"email":"%s","note":"%s"}}""".formatted(TENANT, actorId, name, record, reason,
                    occurredAt, ip, userAgent, email, control);
        }
    }

    @Test
    void noPersonalValueIsFoundAnywhereAndProofsSurviveTheErasure() throws Exception {
        long started = System.nanoTime();
        SecureRandom random = new SecureRandom();
        String record = "CANARY-" + HexFormat.of().formatHex(bytes(random, 12)) + "-record";
        Subject erased = Subject.create(random, record);
        Subject kept = Subject.create(random, record);
        Map<String, byte[]> patterns = new LinkedHashMap<>(erased.patterns("erased"));
        patterns.putAll(kept.patterns("kept"));
        CanaryScan scan = new CanaryScan(patterns);
        List<CanaryScan.Hits> results = new ArrayList<>();
        List<CanaryScan.Hits> residueHits = new ArrayList<>();
        Residue residue = null;

        Path data = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "canary-");
        Path downloads = Files.createDirectories(data.resolveSibling(data.getFileName() + "-downloads"));
        TestCertificates.Server receiverTls = TestCertificates.create(
                Files.createDirectories(data.resolveSibling(data.getFileName() + "-tls")));
        String hmacSecret = "whsec_" + Base64.getEncoder().encodeToString(bytes(random, 32));
        Path logFile;
        Path pgdata;
        try (OidcStub oidc = OidcStub.start();
                WebhookReceiver webhook = WebhookReceiver.start(receiverTls, List.of(hmacSecret));
                ServiceProcess service = ServiceProcess.builder(data).name("canary")
                        .env(oidc.serviceEnvironment())
                        .env("STENOGRAPHER_GENERATE_SIGNING_KEY", "true")
                        .property("stenographer.privacy.tenant.\"" + TENANT + "\".personal-fields",
                                String.join(",", PERSONAL_FIELDS))
                        // The archive runs when the test says, never on its schedule meanwhile.
                        .property("stenographer.archive.cron", "off")
                        .property("stenographer.purge.cron", "off")
                        .property("stenographer.streams.poll-every", "PT0.1S")
                        .property("stenographer.streams.first-backoff", "PT0.2S")
                        .property("stenographer.streams.max-backoff", "PT1S")
                        // The receiver listens on loopback, which the SSRF guard refuses unless allowed.
                        .property("stenographer.streams.allowed-networks", "127.0.0.0/8")
                        .property("stenographer.streams.tls.trust-certificates",
                                receiverTls.certificatePem().toString())
                        .start()) {
            phase(started, "service ready");
            logFile = service.logFile();
            pgdata = service.postgresDataDir();
            Api api = new Api(service.baseUri());
            // Built now, not earlier: starting the service made the JVM's default SSLContext trust its certificate.
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            URI base = service.baseUri();
            String writer = oidc.token("canary-writer", Set.of("audit-writer"), 1, TENANT);
            String auditor = oidc.token("canary-auditor", Set.of("auditor"), 1, TENANT);
            String officer = oidc.token("canary-officer", Set.of("auditor", "personal-data-reader"), 1, TENANT);
            String admin = oidc.token("canary-admin", Set.of("compliance-admin"), 1, TENANT);
            String secondAdmin = oidc.token("canary-admin-2", Set.of("compliance-admin"), 1, TENANT);

            archiveAtOnce(api, admin, secondAdmin);
            List<String> sinks = new ArrayList<>();
            for (String format : List.of("native", "ocsf")) {
                HttpResponse<String> sink = api.post("/api/v1/sinks", admin, """
                        {"tenant":"%s","name":"canary-%s","transport":"webhook","format":"%s","startIndex":0,
                         "target":{"url":"%s"},"secrets":["%s"],
                         "settings":{"batchSize":100,"checkpointEveryRecords":10,"checkpointEvery":"PT1S"}}"""
                        .formatted(TENANT, format, format, webhook.url(), hmacSecret));
                assertThat(sink.statusCode()).as(Api.describe(sink)).isEqualTo(201);
                sinks.add(Api.json(sink).path("id").asText());
            }

            // Ingest: both subjects, every personal field a canary.
            Instant occurredAt = Instant.now().minus(1, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.MILLIS);
            StringBuilder batch = new StringBuilder("{\"events\":[");
            for (int i = 0; i < EVENTS_PER_SUBJECT; i++) {
                batch.append(i == 0 ? "" : ",").append(erased.event(occurredAt, i))
                        .append(',').append(kept.event(occurredAt, i));
            }
            HttpResponse<String> stored = api.post("/api/v1/events/batch", writer, batch.append("]}").toString());
            assertThat(stored.statusCode()).as(Api.describe(stored)).isEqualTo(200);
            List<String> erasedIds = new ArrayList<>();
            List<String> keptIds = new ArrayList<>();
            JsonNode items = Api.json(stored).path("items");
            for (int i = 0; i < items.size(); i++) {
                (i % 2 == 0 ? erasedIds : keptIds).add(items.get(i).path("id").asText());
                assertThat(items.get(i).path("openings").size()).as("a receipt opens every personal field")
                        .isEqualTo(PERSONAL_FIELDS.size());
            }

            phase(started, "ingested");
            // Proofs of the first subject's events, kept from before the erasure.
            Map<String, JsonNode> proofs = new LinkedHashMap<>();
            long treeSize = 0;
            for (String id : erasedIds) {
                JsonNode withProof = awaitProof(api, auditor, id);
                proofs.put(id, withProof);
                treeSize = Math.max(treeSize, withProof.path("proof").path("treeSize").asLong());
            }
            for (String id : keptIds) {
                treeSize = Math.max(treeSize, awaitProof(api, auditor, id).path("proof").path("treeSize").asLong());
            }

            phase(started, "proofs collected");
            // The tenant's policy is in force: every field is out of the leaf; a reader with the permission sees it.
            JsonNode withheld = Api.json(api.get("/api/v1/events/" + erasedIds.get(0), auditor));
            assertThat(withheld.path("actor").path("id").asText()).isEqualTo(erased.actorId());
            assertThat(withheld.path("format").asText()).isEqualTo(SealedEventFormat.FORMAT_V2);
            assertThat(withheld.path("personal").size()).as(withheld.toString()).isEqualTo(PERSONAL_FIELDS.size());
            assertThat(withheld.has("reason")).as("reason is personal for this tenant").isFalse();
            assertThat(withheld.path("metadata").has("email")).isFalse();
            assertThat(withheld.path("metadata").path("note").asText()).isEqualTo(erased.control());
            PERSONAL_FIELDS.forEach(field -> assertThat(withheld.path("personalData").path(field).path("status")
                    .asText()).as(field).isEqualTo("withheld"));
            assertRevealed(api, officer, erasedIds.get(0), erased);
            assertRevealed(api, officer, keptIds.get(0), kept);

            // Archive, report, export and streams, all before the erasure.
            HttpResponse<String> archived = api.post("/api/v1/jobs/archive/runs?tenant=" + TENANT + "&dryRun=false",
                    admin, "");
            assertThat(archived.statusCode()).as(Api.describe(archived)).isEqualTo(200);
            JsonNode archiveRun = Api.json(archived);
            assertThat(archiveRun.path("status").asText()).as(archiveRun.toString()).isEqualTo("succeeded");
            assertThat(archiveRun.path("details").path("tenants").path(TENANT).path("eventsArchived").asLong())
                    .as(archiveRun.toString()).isGreaterThanOrEqualTo(2L * EVENTS_PER_SUBJECT);

            phase(started, "archived");
            String from = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS).toString();
            String to = Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS).toString();
            Map<String, byte[]> downloaded = new LinkedHashMap<>();
            downloaded.put("report actor-activity.json", report(api, http, base, officer,
                    "actor-activity", "json",
                    "{\"from\":\"%s\",\"to\":\"%s\",\"actor\":\"%s\"}".formatted(from, to, erased.actorId())));
            downloaded.put("report record-access.csv", report(api, http, base, officer,
                    "record-access", "csv",
                    "{\"from\":\"%s\",\"to\":\"%s\",\"resourceType\":\"case\",\"resourceId\":\"%s\"}"
                            .formatted(from, to, record)));
            downloaded.put("report actor-activity bundle.zip", report(api, http, base, officer,
                    "actor-activity", "bundle",
                    "{\"from\":\"%s\",\"to\":\"%s\",\"actor\":\"%s\"}".formatted(from, to, kept.actorId())));
            // A report with the personal values, for the reader allowed to see them: its download holds them (and is
            // kept out of the scans below), the stored file none: it is encrypted under the report's own key, which
            // the erasure destroys with the subject's.
            String withValuesQuery = "{\"from\":\"%s\",\"to\":\"%s\",\"resourceType\":\"case\",\"resourceId\":\"%s\","
                    + "\"personalData\":true}";
            String withValues = reportId(api, officer, "record-access", "json",
                    withValuesQuery.formatted(from, to, record));
            HttpResponse<byte[]> revealedReport = download(http,
                    base.resolve("/api/v1/reports/" + withValues + "/content"), officer, "application/json");
            assertThat(revealedReport.statusCode()).isEqualTo(200);
            String revealedText = new String(revealedReport.body(), StandardCharsets.UTF_8);
            erased.personal().values().forEach(value -> assertThat(revealedText).contains(value));
            assertThat(revealedText).contains(kept.name());
            HttpResponse<byte[]> export = download(http, base.resolve("/api/v1/logs/" + TENANT + "/export"),
                    officer, "application/x-ndjson");
            assertThat(export.statusCode()).isEqualTo(200);
            downloaded.put("export " + TENANT + ".ndjson", export.body());
            for (Map.Entry<String, byte[]> file : downloaded.entrySet()) {
                Files.write(downloads.resolve(file.getKey().replace(' ', '_')), file.getValue());
            }

            phase(started, "reports and export downloaded");
            long published = treeSize;
            Api.until("both webhook sinks to deliver the canary events", DEADLINE,
                    () -> api.get("/api/v1/sinks?tenant=" + TENANT, admin),
                    answer -> answer.statusCode() == 200 && sinks.stream().allMatch(id -> {
                        for (JsonNode sink : Api.json(answer)) {
                            if (sink.path("id").asText().equals(id)) {
                                return sink.path("status").path("cursor").asLong() >= published;
                            }
                        }
                        return false;
                    }));

            phase(started, "webhook sinks caught up");
            // The database before the erasure: no plaintext was ever written to it.
            try (Connection db = superuser(service)) {
                residue = Residue.of(db, UUID.fromString(erasedIds.get(0)));
                // One row per event, holding all its sealed fields.
                assertThat(count(db, "SELECT count(*) FROM personal_value")).isEqualTo(2L * EVENTS_PER_SUBJECT);
                settle(db);
                results.add(scan.tree("before erasure: pgdata (all but pg_wal)", pgdata, notUnder("pg_wal")));
                results.add(scan.tree("before erasure: pgdata/pg_wal", pgdata.resolve("pg_wal")));
                results.add(scan.bytes("before erasure: COPY dump of every table", dump(db)));
            }

            phase(started, "database scanned before the erasure");
            // The erasure.
            HttpResponse<String> erasure = api.post("/api/v1/subjects/" + erased.actorId() + "/erasures", admin,
                    "{\"tenant\":\"" + TENANT + "\",\"reason\":\"GDPR Art. 17 request (canary test)\"}");
            assertThat(erasure.statusCode()).as(Api.describe(erasure)).isEqualTo(201);
            assertThat(Api.json(erasure).path("keysDestroyed").asInt()).isEqualTo(1);
            assertThat(Api.json(erasure).path("eventsCleared").asLong()).isEqualTo(EVENTS_PER_SUBJECT);
            assertThat(Api.json(erasure).path("valuesPending").asBoolean()).isFalse();
            assertThat(Api.json(erasure).path("reportKeysDestroyed").asInt()).as("the report with values").isEqualTo(1);
            assertThat(download(http, base.resolve("/api/v1/reports/" + withValues + "/content"), officer,
                    "application/json").statusCode()).as("the report with the erased values").isEqualTo(410);
            for (String id : erasedIds) {
                JsonNode after = Api.json(api.get("/api/v1/events/" + id, officer));
                PERSONAL_FIELDS.forEach(field -> assertThat(after.path("personalData").path(field).path("status")
                        .asText()).as(id + " " + field).isEqualTo("erased"));
            }
            assertRevealed(api, officer, keptIds.get(0), kept);

            // Proofs from before the erasure still verify, against the leaf rebuilt from what is served now.
            NoteVerifier verifier = NoteVerifier.parse(api.get("/api/v1/logs/" + TENANT + "/verifier-key", null)
                    .body().trim());
            for (Map.Entry<String, JsonNode> entry : proofs.entrySet()) {
                JsonNode before = entry.getValue();
                HttpResponse<String> served = api.get("/api/v1/events/" + entry.getKey(), auditor);
                assertThat(served.statusCode()).isEqualTo(200);
                Hash rebuilt = SealedEventFormat.fromJson(sealedForm(served.body())).leafHash();
                assertThat(rebuilt.hex()).as("the leaf is what it was").isEqualTo(before.path("leafHash").asText());
                JsonNode proof = before.path("proof");
                List<Hash> path = new ArrayList<>();
                proof.path("inclusionProof").forEach(node -> path.add(Hash.fromBase64(node.asText())));
                Checkpoint checkpoint = Checkpoint.verifiedFrom(SignedNote.parse(proof.path("checkpoint").asText()),
                        verifier);
                assertThat(new InclusionProof(proof.path("leafIndex").asLong(), proof.path("treeSize").asLong(), path)
                        .verify(rebuilt, checkpoint.rootHash())).as("proof of " + entry.getKey()).isTrue();
            }
            HttpResponse<String> verification = api.post("/api/v1/logs/" + TENANT + "/verifications", admin,
                    "{\"full\":true}");
            assertThat(verification.statusCode()).as(Api.describe(verification)).isEqualTo(200);
            assertThat(Api.json(verification).path("ok").asBoolean()).as(verification.body()).isTrue();

            phase(started, "erased, proofs checked, full verification run");
            // Everywhere, after the erasure.
            try (Connection db = superuser(service)) {
                assertThat(count(db, "SELECT count(*) FROM personal_value")).isEqualTo((long) EVENTS_PER_SUBJECT);
                assertThat(count(db, "SELECT count(*) FROM personal_data_key WHERE wrapped_key IS NOT NULL"))
                        .as("only the kept subject's key is left").isEqualTo(1L);
                settle(db);
                results.add(scan.tree("after erasure: pgdata (all but pg_wal)", pgdata, notUnder("pg_wal")));
                results.add(scan.tree("after erasure: pgdata/pg_wal", pgdata.resolve("pg_wal")));
                byte[] dump = dump(db);
                results.add(scan.bytes("after erasure: COPY dump of every table", dump));
                CanaryScan residues = new CanaryScan(residue.patterns());
                CanaryScan.Hits logical = residues.bytes("after erasure: COPY dump (residue)", dump);
                assertThat(logical.total("residue:")).as("the live database no longer holds the erased subject's"
                        + " wrapped key or ciphertext: " + logical).isZero();
                residueHits.add(logical);
                residueHits.add(residues.tree("after erasure: pgdata (all but pg_wal) (residue)", pgdata,
                        notUnder("pg_wal")));
                residueHits.add(residues.tree("after erasure: pgdata/pg_wal (residue)", pgdata.resolve("pg_wal")));
            }
            results.add(scan.tree("archive dir (segments gunzipped)", data.resolve("archive")));
            results.add(scan.tree("report files dir", data.resolve("reports")));
            results.add(scan.tree("rest of the data dir", data,
                    notUnder(ServiceProcess.PGDATA, "archive", "reports")));
            downloaded.forEach((name, content) -> results.add(scan.bytes("download: " + name, content)));
            List<WebhookReceiver.Request> requests = webhook.requests();
            assertThat(webhook.accepted()).as("delivered").isNotEmpty();
            results.add(scan.texts("webhook bodies (" + requests.size() + " requests)",
                    requests.stream().map(WebhookReceiver.Request::bodyText).toList()));
        }

        phase(started, "scanned after the erasure; service stopped");
        // The service has stopped (shutdown checkpoint written): the data directory and the whole log once more.
        results.add(scan.tree("after stop: pgdata (all but pg_wal)", pgdata, notUnder("pg_wal")));
        results.add(scan.tree("after stop: pgdata/pg_wal", pgdata.resolve("pg_wal")));
        results.add(scan.tree("service log " + logFile.getFileName(), logFile.getParent(),
                relative -> relative.equals(logFile.getFileName())));

        System.out.println("PersonalDataCanaryIT: hits per place (personal:* must be 0; control:* shows the scan"
                + " reads what it should):");
        results.forEach(hits -> System.out.println("  " + hits));
        // Not a failure, and what docs/PRIVACY.md section 5 says of backups and WAL archives: the erased subject's
        // wrapped data key and ciphertext may survive in the data directory's own files (WAL not yet recycled, space
        // VACUUM freed but did not overwrite) until overwritten; with the keyring they still open.
        System.out.println("PersonalDataCanaryIT: the erased subject's wrapped data key and one of its ciphertexts"
                + " (residue:*) in the database's files after the erasure, VACUUM and CHECKPOINT:");
        residueHits.forEach(hits -> System.out.println("  " + hits));
        System.out.println("  recoverable with the keyring file from bytes found there: "
                + residue.recoverable(data.resolve("personal-data-keyring.json"), erased.name(), residueHits));
        System.out.printf("PersonalDataCanaryIT: %d places scanned in a run of %d s%n", results.size(),
                Duration.ofNanos(System.nanoTime() - started).toSeconds());

        List<String> leaks = new ArrayList<>();
        for (CanaryScan.Hits hits : results) {
            if (hits.total("personal:") > 0) {
                leaks.add(hits.toString());
            }
        }
        assertThat(leaks).as("places holding a personal value (canary)").isEmpty();
        for (CanaryScan.Hits hits : results) {
            // Only the keyring, the signing key, the report files directory (empty: report files are kept in the
            // database up to 1 MiB) and the log are not expected to carry the sealed events.
            boolean expectsControls = !hits.place.startsWith("rest of the data dir")
                    && !hits.place.startsWith("service log") && !hits.place.startsWith("report files dir");
            if (expectsControls) {
                assertThat(hits.of("control:erased:actor.id") + hits.of("control:kept:actor.id"))
                        .as("the scan of " + hits.place + " finds the non-personal actor ids: " + hits).isPositive();
            }
        }
    }

    private static java.util.function.Predicate<Path> notUnder(String... directories) {
        return relative -> java.util.Arrays.stream(directories).noneMatch(d -> relative.startsWith(d));
    }

    /**
     * What a crypto-shredding erasure leaves behind in the database's files: the subject's data key as wrapped under
     * the tenant's key-encryption key, and one of its values as sealed under that data key (the display name of one
     * event), read as the superuser before the erasure.
     */
    private record Residue(String kekId, byte[] wrappedKey, UUID eventId, byte[] sealed) {

        static Residue of(Connection db, UUID eventId) throws SQLException {
            try (java.sql.PreparedStatement query = db.prepareStatement("""
                    SELECT k.kek_id, k.wrapped_key, v.sealed FROM personal_value v
                    JOIN personal_data_key k ON k.id = v.key_id
                    WHERE v.event_id = ?""")) {
                query.setObject(1, eventId);
                try (ResultSet rs = query.executeQuery()) {
                    assertThat(rs.next()).as("the sealed values of " + eventId).isTrue();
                    return new Residue(rs.getString(1), rs.getBytes(2), eventId,
                            sealedField(rs.getBytes(3), "actor.displayName"));
                }
            }
        }

        /** One field's sealed value out of an event's packed cell (docs/PRIVACY.md §2: 01, then path and value). */
        private static byte[] sealedField(byte[] packed, String path) {
            java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(packed);
            assertThat(in.get()).as("packed format version").isEqualTo((byte) 1);
            while (in.hasRemaining()) {
                byte[] name = new byte[in.get() & 0xFF];
                in.get(name);
                byte[] sealed = new byte[in.getInt()];
                in.get(sealed);
                if (new String(name, StandardCharsets.US_ASCII).equals(path)) {
                    return sealed;
                }
            }
            throw new AssertionError("no sealed " + path + " in the packed values");
        }

        Map<String, byte[]> patterns() {
            Map<String, byte[]> patterns = new LinkedHashMap<>();
            patterns.put("residue:wrapped-key", wrappedKey);
            patterns.put("residue:wrapped-key(hex)", HexFormat.of().formatHex(wrappedKey)
                    .getBytes(StandardCharsets.US_ASCII));
            patterns.put("residue:sealed-value", sealed);
            patterns.put("residue:sealed-value(hex)", HexFormat.of().formatHex(sealed)
                    .getBytes(StandardCharsets.US_ASCII));
            return patterns;
        }

        /** Whether the residue found in the files, with the keyring, opens to the erased value. */
        String recoverable(Path keyringFile, String erasedValue, List<CanaryScan.Hits> found) {
            boolean keyFound = found.stream().anyMatch(h -> h.of("residue:wrapped-key") > 0);
            boolean valueFound = found.stream().anyMatch(h -> h.of("residue:sealed-value") > 0);
            if (!keyFound || !valueFound) {
                return "no (wrapped key found: " + keyFound + ", ciphertext found: " + valueFound + ")";
            }
            try {
                io.stenographer.domain.privacy.DataKey key = LocalKeyring.load(keyringFile, false,
                        java.util.Optional.empty()).unwrap(new io.stenographer.domain.event.TenantId(TENANT),
                        new io.stenographer.application.port.out.WrappedDataKey(kekId, wrappedKey));
                byte[] plain = io.stenographer.domain.privacy.PersonalValueCipher.open(key,
                        io.stenographer.domain.privacy.PersonalValueCipher.associatedData(TENANT, eventId,
                                "actor.displayName"), sealed);
                JsonValue value = io.stenographer.domain.privacy.Disclosure.fromPlaintext(
                        io.stenographer.domain.event.PersonalField.ACTOR_DISPLAY_NAME, plain).value();
                String opened = value instanceof io.stenographer.domain.json.JsonString text ? text.value()
                        : String.valueOf(value);
                return "YES: wrapped key and ciphertext are both still in the files, and open to '" + opened + "'"
                        + (opened.equals(erasedValue) ? " (the erased canary)" : "");
            } catch (RuntimeException e) {
                return "no: " + e;
            }
        }
    }

    private static void phase(long started, String what) {
        System.out.printf("PersonalDataCanaryIT: %5.1f s %s%n", (System.nanoTime() - started) / 1e9, what);
    }

    private static long count(Connection db, String sql) throws SQLException {
        try (Statement statement = db.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** A policy that archives every event of the tenant at once (a shortening is approved by a second admin). */
    private static void archiveAtOnce(Api api, String admin, String secondAdmin) {
        HttpResponse<String> created = api.post("/api/v1/retention-policies", admin, """
                {"id":"archive-at-once","tenant":"%s","archiveAfter":"P0D","retainFor":"P7Y",
                 "legalBasis":"canary test: archive at once"}""".formatted(TENANT));
        if (created.statusCode() == 202) {
            HttpResponse<String> approved = api.post(Api.json(created).path("approve").asText(), secondAdmin, "");
            assertThat(approved.statusCode()).as(Api.describe(approved)).isEqualTo(201);
        } else {
            assertThat(created.statusCode()).as(Api.describe(created)).isEqualTo(201);
        }
    }

    private static JsonNode awaitProof(Api api, String token, String id) {
        return Api.json(Api.until("an inclusion proof of " + id, DEADLINE,
                () -> api.get("/api/v1/events/" + id + "?proof=true", token),
                answer -> answer.statusCode() == 200 && Api.json(answer).path("proof").has("leafIndex")));
    }

    private static void assertRevealed(Api api, String officer, String id, Subject subject) {
        JsonNode event = Api.json(api.get("/api/v1/events/" + id, officer));
        subject.personal().forEach((field, value) -> {
            JsonNode shown = event.path("personalData").path(field);
            assertThat(shown.path("status").asText()).as(id + " " + field + ": " + event).isEqualTo("revealed");
            assertThat(shown.path("value").asText()).as(field).isEqualTo(value);
        });
    }

    /** Requests a report, waits for it and downloads its content. */
    private static byte[] report(Api api, HttpClient http, URI base, String token, String type, String format,
            String parameters) {
        String id = reportId(api, token, type, format, parameters);
        String accept = switch (format) {
            case "csv" -> "text/csv";
            case "bundle" -> "application/zip";
            default -> "application/json";
        };
        HttpResponse<byte[]> content = download(http, base.resolve("/api/v1/reports/" + id + "/content"), token,
                accept);
        assertThat(content.statusCode()).as("report " + id + " content").isEqualTo(200);
        assertThat(content.body()).isNotEmpty();
        return content.body();
    }

    /** Requests a report and waits for it to succeed. */
    private static String reportId(Api api, String token, String type, String format, String parameters) {
        HttpResponse<String> requested = api.post("/api/v1/reports", token,
                "{\"tenant\":\"%s\",\"type\":\"%s\",\"format\":\"%s\",\"parameters\":%s}"
                        .formatted(TENANT, type, format, parameters));
        assertThat(requested.statusCode()).as(Api.describe(requested)).isEqualTo(202);
        String id = Api.json(requested).path("id").asText();
        JsonNode done = Api.json(Api.until("report " + id + " to finish", DEADLINE,
                () -> api.get("/api/v1/reports/" + id, token),
                answer -> answer.statusCode() == 200
                        && Set.of("succeeded", "failed").contains(Api.json(answer).path("status").asText())));
        assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("succeeded");
        return id;
    }

    private static HttpResponse<byte[]> download(HttpClient http, URI uri, String token, String accept) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET()
                .header("Authorization", "Bearer " + token);
        if (accept != null) {
            request.header("Accept", accept);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /**
     * The embedded cluster's superuser: the launcher runs initdb with trust authentication for its {@code postgres}
     * user on loopback, so no password is needed (nor known).
     */
    private static Connection superuser(ServiceProcess service) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + service.postgresPort() + "/" + DATABASE,
                "postgres", "");
    }

    /** VACUUM (dead tuples of the erasure go), then CHECKPOINT (every page on disk), as the issue asks. */
    private static void settle(Connection db) throws SQLException {
        db.setAutoCommit(true);
        try (Statement statement = db.createStatement()) {
            statement.execute("VACUUM");
            statement.execute("CHECKPOINT");
        }
    }

    /**
     * Every table of the database in COPY text format, and pg_statistic (which holds sampled column values): the
     * logical dump. Partitioned parents are skipped (their partitions are tables themselves).
     */
    private static byte[] dump(Connection db) throws SQLException, IOException {
        List<String> tables = new ArrayList<>();
        try (Statement statement = db.createStatement();
                ResultSet rs = statement.executeQuery("""
                        SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname)
                        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                        WHERE c.relkind IN ('r', 'm')
                          AND n.nspname NOT IN ('pg_catalog', 'information_schema')
                          AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname NOT LIKE 'pg_temp%'
                        ORDER BY 1""")) {
            while (rs.next()) {
                tables.add(rs.getString(1));
            }
        }
        assertThat(tables).as("the schema's tables").anyMatch(table -> table.endsWith(".personal_value"));
        tables.add("pg_catalog.pg_statistic");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PGConnection pg = db.unwrap(PGConnection.class);
        for (String table : tables) {
            out.write(("-- " + table + "\n").getBytes(StandardCharsets.UTF_8));
            pg.getCopyAPI().copyOut("COPY " + table + " TO STDOUT", out);
        }
        return out.toByteArray();
    }

    /** The event as sealed, from what the API serves: the served fields without the API's own additions. */
    private static JsonObject sealedForm(String body) {
        Map<String, JsonValue> members = new LinkedHashMap<>(((JsonObject) JsonParser.parse(body, 32)).members());
        for (String added : List.of("leafHash", "proof", "personalData")) {
            members.remove(added);
        }
        return new JsonObject(members);
    }

    private static byte[] ipBytes(String ip) {
        try {
            return InetAddress.getByName(ip).getAddress();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] bytes(SecureRandom random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }
}
