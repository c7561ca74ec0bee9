package io.stenographer.adapters.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stenographer.application.port.out.PurgeReportFilesPort.Page;
import io.stenographer.application.port.out.PurgeReportFilesPort.PurgeRefused;
import io.stenographer.application.port.out.StorePersonalDataPort.StoredDataKey;
import io.stenographer.application.port.out.TransactionRunner;
import io.stenographer.application.port.out.WrappedDataKey;
import io.stenographer.domain.event.Action;
import io.stenographer.domain.event.Actor;
import io.stenographer.domain.event.ActorType;
import io.stenographer.domain.event.AuditEvent;
import io.stenographer.domain.event.EventDraft;
import io.stenographer.domain.event.EventId;
import io.stenographer.domain.event.Outcome;
import io.stenographer.domain.event.ResourceRef;
import io.stenographer.domain.event.Source;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.event.Timestamps;
import io.stenographer.domain.json.JsonObject;
import io.stenographer.domain.merkle.Hash;
import io.stenographer.domain.privacy.SubjectIndex;
import io.stenographer.domain.report.ReportFile;
import io.stenographer.domain.report.ReportFormat;
import io.stenographer.domain.retention.RetentionPeriod;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Report files against the real database (V19): the catalogue's contract, bytes that must match their record, rows
 * the application role can only read and append, and the purge function that refuses a file under a hold, within the
 * floor, or without its self-audit event, and otherwise removes the bytes and keeps the record.
 */
class ReportFilesPersistenceTest {

    private static final String INSUFFICIENT_PRIVILEGE = "42501";

    private final PostgresReportFiles files = new PostgresReportFiles(MigratedPostgres.session());
    private final PostgresPersonalData keys = new PostgresPersonalData(MigratedPostgres.session());
    private final TransactionRunner transactions = MigratedPostgres.transactions();
    private final TenantId tenant = new TenantId("rf-" + UUID.randomUUID().toString().substring(0, 12));

    private static Hash sha256(byte[] bytes) throws Exception {
        return new Hash(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    /** A report request of the tenant for January 2026, as the service writes it. */
    private UUID report(ReportFormat format) throws SQLException {
        UUID id = UUID.randomUUID();
        try (Connection app = MigratedPostgres.appConnection();
                PreparedStatement insert = app.prepareStatement("INSERT INTO report_job (id, tenant, report_type,"
                        + " format, parameters, requested_by, requested_at, tree_size) VALUES (?, ?, 'foia-export', ?,"
                        + " ?, 'ann', now(), 3)")) {
            insert.setObject(1, id);
            insert.setString(2, tenant.value());
            insert.setString(3, format.wireName());
            insert.setString(4, "{\"from\":\"2026-01-01T00:00:00Z\",\"to\":\"2026-02-01T00:00:00Z\"}");
            insert.executeUpdate();
        }
        return id;
    }

    private ReportFile inDatabase(UUID id, byte[] content) throws Exception {
        ReportFile file = ReportFile.record(id, tenant, ReportFormat.CSV, content.length, sha256(content),
                ReportFile.Location.DATABASE, null, Instant.EPOCH, null);
        return transactions.inTransaction(() -> files.record(file, new ByteArrayInputStream(content))).orElseThrow();
    }

    private ReportFile inArchive(UUID id, byte[] content) throws Exception {
        ReportFile file = ReportFile.record(id, tenant, ReportFormat.BUNDLE, content.length, sha256(content),
                ReportFile.Location.ARCHIVE, ReportFile.archiveKey(tenant, id, ReportFormat.BUNDLE), Instant.EPOCH,
                Instant.parse("2030-01-01T00:00:00Z"));
        return transactions.inTransaction(() -> files.record(file, null)).orElseThrow();
    }

    /** Moves the file's stored_at back, as only a superuser with the triggers off can. */
    private static void age(UUID id, String interval) throws SQLException {
        try (Connection superuser = MigratedPostgres.server().superuserConnection();
                Statement statement = superuser.createStatement()) {
            statement.execute("SET session_replication_role = replica");
            statement.execute("UPDATE report_file SET stored_at = stored_at - interval '" + interval
                    + "' WHERE report_id = '" + id + "'");
        }
    }

    /** The event the purge function wants in the tenant's log, as the service's self-audit writes it. */
    private void purgeEvent(Connection connection, UUID id) throws SQLException {
        Instant now = Timestamps.truncate(Instant.now());
        EventDraft draft = new EventDraft(tenant, new Actor("stenographer.scheduler", ActorType.SERVICE, null),
                Action.of("report.file.purged"), new ResourceRef("report", id.toString()), null, Outcome.SUCCESS, now,
                new Source("stenographer", null, null), null, new JsonObject(Map.of()), null);
        AuditEvent event = AuditEvent.record(EventId.newTimeOrdered(now, new SplittableRandom()), now,
                "stenographer.scheduler", draft);
        ScratchDatabase.insertEvents(connection, List.of(event));
    }

    private void purgeAsApp(UUID id, boolean withEvent) throws SQLException {
        try (Connection app = MigratedPostgres.appConnection()) {
            app.setAutoCommit(false);
            try {
                if (withEvent) {
                    purgeEvent(app, id);
                }
                try (Statement statement = app.createStatement()) {
                    statement.execute("SELECT stenographer_purge_report_file('" + id + "', gen_random_uuid())");
                }
                app.commit();
            } catch (SQLException e) {
                app.rollback();
                throw e;
            }
        }
    }

    @Test
    void aFileIsRecordedOnceWithTheDatabasesTimeAndSmallFilesBytesMustMatchTheirRecord() throws Exception {
        UUID id = report(ReportFormat.CSV);
        byte[] content = "a,b\n1,2\n".getBytes(StandardCharsets.UTF_8);
        Instant before = Instant.now().minusSeconds(5);

        ReportFile recorded = inDatabase(id, content);

        assertThat(recorded.storedAt()).isAfter(before).isBefore(Instant.now().plusSeconds(5));
        assertThat(transactions.inTransaction(() -> files.find(id))).contains(recorded);
        assertThat(transactions.inTransaction(() -> files.content(id))).hasValueSatisfying(
                bytes -> assertThat(bytes).isEqualTo(content));
        assertThat(transactions.inTransaction(() -> files.record(recorded, new ByteArrayInputStream(content))))
                .as("a second record of the report writes nothing").isEmpty();

        UUID other = report(ReportFormat.CSV);
        ReportFile lying = ReportFile.record(other, tenant, ReportFormat.CSV, content.length, sha256(content),
                ReportFile.Location.DATABASE, null, Instant.EPOCH, null);
        assertThatThrownBy(() -> transactions.inTransaction(() -> files.record(lying,
                new ByteArrayInputStream("a,b\n1,3\n".getBytes(StandardCharsets.UTF_8)))))
                .hasMessageContaining("does not match its recorded size and SHA-256");
        assertThat(transactions.inTransaction(() -> files.find(other))).as("rolled back whole").isEmpty();

        UUID wrongTenant = report(ReportFormat.CSV);
        ReportFile elsewhere = ReportFile.record(wrongTenant, new TenantId("someone-else"), ReportFormat.CSV,
                content.length, sha256(content), ReportFile.Location.DATABASE, null, Instant.EPOCH, null);
        assertThatThrownBy(() -> transactions.inTransaction(() -> files.record(elsewhere,
                new ByteArrayInputStream(content)))).hasMessageContaining("does not name its report's tenant");

        UUID large = report(ReportFormat.BUNDLE);
        ReportFile archived = inArchive(large, new byte[] {1, 2, 3});
        assertThat(archived.archiveKey()).isEqualTo("reports/" + tenant + "/" + large + ".zip");
        assertThat(transactions.inTransaction(() -> files.content(large))).isEmpty();
    }

    @Test
    void theApplicationRoleCanOnlyReadAndAppendAndNobodyRewritesAFile() throws Exception {
        UUID id = report(ReportFormat.CSV);
        inDatabase(id, "x".getBytes(StandardCharsets.UTF_8));
        try (Connection app = MigratedPostgres.appConnection()) {
            for (String sql : new String[] {
                    "UPDATE report_file SET sha256 = sha256('y') WHERE report_id = '" + id + "'",
                    "DELETE FROM report_file WHERE report_id = '" + id + "'",
                    "UPDATE report_file_content SET content = 'y' WHERE report_id = '" + id + "'",
                    "DELETE FROM report_file_content WHERE report_id = '" + id + "'",
                    "TRUNCATE report_file_content CASCADE",
                    "INSERT INTO report_file_purge (report_id, purged_at, job_run_id) VALUES ('" + id
                            + "', now(), gen_random_uuid())",
                    "UPDATE report_file_retention_floor SET keep_at_least = 'PT0S'"}) {
                assertSqlState(app, sql, "permission denied");
            }
        }
        try (Connection superuser = MigratedPostgres.server().superuserConnection()) {
            assertSqlState(superuser, "UPDATE report_file_content SET content = 'y' WHERE report_id = '" + id + "'",
                    "only through their purge function");
            assertSqlState(superuser, "DELETE FROM report_file_content WHERE report_id = '" + id + "'",
                    "only through their purge function");
            assertSqlState(superuser, "DELETE FROM report_file WHERE report_id = '" + id + "'", "append-only");
        }
        assertThat(transactions.inTransaction(() -> files.content(id))).isPresent();
    }

    @Test
    void thePurgeFunctionRefusesWithinTheFloorUnderAHoldAndWithoutItsEventThenKeepsOnlyTheRecord() throws Exception {
        assertThat(transactions.inTransaction(files::retentionFloor)).isEqualTo(RetentionPeriod.parse("PT1S"));
        UUID id = report(ReportFormat.CSV);
        byte[] content = "held,content\n".getBytes(StandardCharsets.UTF_8);
        inDatabase(id, content);
        age(id, "-1 hour");
        assertThatThrownBy(() -> purgeAsApp(id, true)).as("stored_at in the future: within the floor")
                .hasMessageContaining("within the retention floor");
        age(id, "2 hours");

        UUID hold = UUID.randomUUID();
        try (Connection app = MigratedPostgres.appConnection(); Statement statement = app.createStatement()) {
            // A hold over an unrelated period does not keep the file; one over part of January does.
            statement.execute("INSERT INTO legal_hold (id, tenant, occurred_from, occurred_to, reason, placed_by,"
                    + " placed_at) VALUES (gen_random_uuid(), '" + tenant + "', '2025-01-01', '2025-02-01', 'old',"
                    + " 'counsel', now())");
            statement.execute("INSERT INTO legal_hold (id, tenant, actor_id, occurred_from, reason, placed_by,"
                    + " placed_at) VALUES ('" + hold + "', '" + tenant + "', 'somebody', '2026-01-31', 'litigation',"
                    + " 'counsel', now())");
        }
        assertThatThrownBy(() -> purgeAsApp(id, true)).hasMessageContaining("kept by a legal hold");
        // Through the adapter the refusal is typed.
        assertThatThrownBy(() -> transactions.inTransaction(() -> {
            files.purge(id, UUID.randomUUID());
            return null;
        })).isInstanceOfSatisfying(PurgeRefused.class,
                refused -> assertThat(refused.reason()).isEqualTo(PurgeRefused.Reason.HELD));

        try (Connection superuser = MigratedPostgres.server().superuserConnection();
                Statement statement = superuser.createStatement()) {
            statement.execute("INSERT INTO legal_hold_release (hold_id, released_by, released_at, reason) VALUES ('"
                    + hold + "', 'counsel', now(), 'settled')");
        }
        assertThatThrownBy(() -> purgeAsApp(id, false)).hasMessageContaining("needs its report.file.purged event");
        assertThat(transactions.inTransaction(() -> files.content(id))).isPresent();

        purgeAsApp(id, true);

        ReportFile purged = transactions.inTransaction(() -> files.find(id)).orElseThrow();
        assertThat(purged.purged()).isTrue();
        assertThat(purged.sha256()).isEqualTo(sha256(content));
        assertThat(transactions.inTransaction(() -> files.content(id))).isEmpty();
        assertThatThrownBy(() -> purgeAsApp(id, true)).hasMessageContaining("purged already");
    }

    @Test
    void candidatesAreTheTenantsUnpurgedFilesStoredBeforeTheCutOffOldestFirstInPages() throws Exception {
        UUID first = report(ReportFormat.CSV);
        UUID second = report(ReportFormat.CSV);
        UUID recent = report(ReportFormat.CSV);
        inDatabase(first, new byte[] {1});
        inDatabase(second, new byte[] {2});
        inDatabase(recent, new byte[] {3});
        age(first, "3 days");
        age(second, "2 days");
        Instant cutOff = Instant.now().minusSeconds(86_400);

        List<ReportFile> page1 = transactions.inTransaction(() -> files.purgeCandidates(tenant, cutOff, null, 1));
        assertThat(page1).extracting(ReportFile::reportId).containsExactly(first);
        Page after = new Page(page1.get(0).storedAt(), first);
        assertThat(transactions.inTransaction(() -> files.purgeCandidates(tenant, cutOff, after, 10)))
                .extracting(ReportFile::reportId).containsExactly(second);
        assertThat(transactions.inTransaction(() -> files.purgeCandidates(new TenantId("nobody-here"), cutOff, null,
                10))).isEmpty();
    }

    /** A report's own data key, as PersonalDataVault creates it for a report with personal data. */
    private StoredDataKey reportKey(UUID reportId) {
        byte[] index = new byte[32];
        byte[] wrapped = new byte[60];
        new java.security.SecureRandom().nextBytes(index);
        new java.security.SecureRandom().nextBytes(wrapped);
        StoredDataKey candidate = new StoredDataKey(UUID.randomUUID(), tenant, new SubjectIndex(index),
                new WrappedDataKey("kek-1", wrapped));
        return transactions.inTransaction(() -> keys.reportKey(reportId, candidate, Instant.now()));
    }

    private StoredDataKey storedKey(UUID keyId) {
        return transactions.inTransaction(() -> keys.keys(List.of(keyId))).get(keyId);
    }

    @Test
    void purgingAFileDestroysItsReportsOwnKeyAndNoOtherKeyCanBeDestroyedThatWay() throws Exception {
        UUID purgedReport = report(ReportFormat.BUNDLE);
        UUID keptReport = report(ReportFormat.BUNDLE);
        StoredDataKey purgedKey = reportKey(purgedReport);
        StoredDataKey keptKey = reportKey(keptReport);
        byte[] content = "sealed,elsewhere\n".getBytes(StandardCharsets.UTF_8);
        inArchive(purgedReport, content);
        inArchive(keptReport, content);
        age(purgedReport, "2 hours");

        purgeAsApp(purgedReport, true);

        assertThat(storedKey(purgedKey.id()).erased()).as("the purged report's key").isTrue();
        assertThat(storedKey(keptKey.id()).erased()).as("another report's key").isFalse();
        // The flag the purge sets names one report: it cannot be borrowed to destroy another report's key.
        try (Connection superuser = MigratedPostgres.server().superuserConnection();
                Statement statement = superuser.createStatement()) {
            superuser.setAutoCommit(false);
            statement.execute("SELECT set_config('stenographer.purging_report_key_of', '" + purgedReport + "', true)");
            assertSqlState(superuser, "UPDATE personal_data_key SET wrapped_key = NULL, erased_at = now() WHERE id = '"
                    + keptKey.id() + "'", "erased only by stenographer_erase_subject, or with its report's file");
            superuser.rollback();
        }
        assertThat(storedKey(keptKey.id()).erased()).isFalse();
    }

    private static void assertSqlState(Connection connection, String sql, String message) {
        assertThatThrownBy(() -> {
            try (Statement statement = connection.createStatement()) {
                statement.execute(sql);
            }
        }).as(sql).isInstanceOfSatisfying(SQLException.class, e -> {
            assertThat(e.getSQLState()).as(sql).isEqualTo(INSUFFICIENT_PRIVILEGE);
            assertThat(e.getMessage()).as(sql).contains(message);
        });
    }
}
