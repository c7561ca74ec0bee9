package io.stenographer.bootstrap.security;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.stenographer.adapters.persistence.embedded.EmbeddedPostgresServer;
import io.stenographer.bootstrap.support.Await;
import io.stenographer.bootstrap.support.EmbeddedPostgresTestResource;
import io.stenographer.bootstrap.support.Events;
import io.stenographer.bootstrap.support.TestTokens;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The report-file purge is a deletion path like the event purge (docs/SECURITY.md): attacks by someone holding the
 * application's database password, who can call every function the service calls and append any event. Report files
 * leave only through {@code stenographer_purge_report_file} (V19), which refuses a file a legal hold keeps, one younger
 * than the database's own floor (the test profile's floor is one second), and one without its self-audit event.
 */
@QuarkusTest
class ReportFilePurgeAttackTest {

    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    private static final String FROM = NOW.minus(1, ChronoUnit.HOURS).toString();
    private static final String TO = NOW.plus(1, ChronoUnit.HOURS).toString();

    /** A generated CSV report of a fresh tenant: its id. */
    private static String generatedReport(String tenant) {
        Events.recordBatch(tenant, 2);
        Await.until("the log of " + tenant, Await.DEADLINE, () -> {
            Response checkpoint = given().auth().oauth2(TestTokens.auditor("aud", tenant)).accept("application/json")
                    .when().get("/api/v1/logs/" + tenant + "/checkpoint");
            return checkpoint.statusCode() == 200 && checkpoint.jsonPath().getLong("treeSize") >= 2;
        });
        String id = given().auth().oauth2(TestTokens.auditor("auditor-1", tenant)).contentType("application/json")
                .body("{\"tenant\":\"" + tenant + "\",\"type\":\"foia-export\",\"format\":\"csv\",\"parameters\":"
                        + "{\"from\":\"" + FROM + "\",\"to\":\"" + TO + "\"}}")
                .when().post("/api/v1/reports").then().statusCode(202).extract().jsonPath().getString("id");
        JsonPath status = Await.until("report " + id, Await.DEADLINE,
                () -> given().auth().oauth2(TestTokens.auditor("auditor-1", tenant)).when()
                        .get("/api/v1/reports/" + id).then().statusCode(200).extract().jsonPath(),
                seen -> Set.of("succeeded", "failed").contains(seen.getString("status")), JsonPath::prettify);
        assertThat(status.getString("status")).isEqualTo("succeeded");
        assertThat(status.getString("fileLocation")).isEqualTo("database");
        return id;
    }

    /** Waits (on the database's clock) until the file is older than the database's floor. */
    private static void pastTheFloor(String reportId) {
        Await.until("report file " + reportId + " past the floor", Await.DEADLINE, () -> countAsSuperuser(
                "SELECT count(*) FROM report_file f, report_file_retention_floor r WHERE f.report_id = '" + reportId
                        + "' AND now() >= f.stored_at + r.keep_at_least::interval") == 1);
    }

    /** As the application role, in one transaction: the statements, then the purge function. */
    private static void purgeAsApp(String reportId, String... before) throws SQLException {
        try (Connection app = appConnection(); Statement statement = app.createStatement()) {
            app.setAutoCommit(false);
            try {
                for (String sql : before) {
                    statement.execute(sql);
                }
                statement.execute("SELECT stenographer_purge_report_file('" + reportId + "', gen_random_uuid())");
                app.commit();
            } finally {
                if (!app.getAutoCommit()) {
                    app.rollback();
                }
            }
        }
    }

    /** The purge's self-audit event, forged by the insider (the role may append events). */
    private static String forgedPurgeEvent(String tenant, String reportId) {
        return "INSERT INTO audit_event (id, tenant, received_at, submitted_by, actor_id, actor_type, action,"
                + " resource_type, resource_id, outcome, occurred_at, source_application, metadata, leaf_hash) VALUES"
                + " (gen_random_uuid(), '" + tenant + "', now(), 'insider', 'insider', 'user', 'report.file.purged',"
                + " 'report', '" + reportId + "', 'success', now(), 'stenographer', '{}', '\\x" + "00".repeat(32)
                + "')";
    }

    private static void assertStillDownloadable(String tenant, String reportId) {
        given().auth().oauth2(TestTokens.auditor("auditor-1", tenant)).when()
                .get("/api/v1/reports/" + reportId + "/content").then().statusCode(200);
    }

    @Test
    void reportFilesCannotBeDeletedOrRewrittenOutsideTheirPurgeFunction() throws SQLException {
        String tenant = Attack.tenant();
        String id = generatedReport(tenant);
        for (String sql : new String[] {
                "DELETE FROM report_file_content WHERE report_id = '" + id + "'",
                "UPDATE report_file_content SET content = 'forged' WHERE report_id = '" + id + "'",
                "TRUNCATE report_file_content CASCADE",
                "DELETE FROM report_file WHERE report_id = '" + id + "'",
                "UPDATE report_file SET sha256 = sha256('forged'), bytes = 6 WHERE report_id = '" + id + "'",
                "INSERT INTO report_file_purge (report_id, purged_at, job_run_id) VALUES ('" + id
                        + "', now(), gen_random_uuid())",
                "UPDATE report_file_retention_floor SET keep_at_least = 'PT0S'"}) {
            assertRefusedAsApp("permission denied", sql);
        }
        try (Connection db = EmbeddedPostgresTestResource.server().superuserConnection();
                Statement statement = db.createStatement()) {
            assertThatThrownBy(() -> statement.execute("DELETE FROM report_file_content WHERE report_id = '" + id
                    + "'")).hasMessageContaining("only through their purge function");
        }
        assertStillDownloadable(tenant, id);
    }

    @Test
    void aFileWithinTheDatabasesFloorIsNotPurgedAndItsStoredTimeCannotBeBackdated() throws SQLException {
        String tenant = Attack.tenant();
        String own = UUID.randomUUID().toString();
        // The insider records a report and a file of its own, claiming it was stored in 2000, and purges it at once.
        assertThatThrownBy(() -> purgeAsApp(own,
                "INSERT INTO report_job (id, tenant, report_type, format, parameters, requested_by, requested_at,"
                        + " tree_size) VALUES ('" + own + "', '" + tenant + "', 'foia-export', 'csv', '{}', 'insider',"
                        + " now(), 1)",
                "INSERT INTO report_file (report_id, tenant, format, bytes, sha256, location, stored_at) VALUES ('"
                        + own + "', '" + tenant + "', 'csv', 1, sha256('x'), 'database', '2000-01-01T00:00:00Z')",
                "INSERT INTO report_file_content (report_id, content) VALUES ('" + own + "', 'x')",
                forgedPurgeEvent(tenant, own)))
                .hasMessageContaining("within the retention floor");

        // A file the service just stored, purged by the insider the moment it appears.
        String id = generatedReport(tenant);
        try (Connection db = EmbeddedPostgresTestResource.server().superuserConnection();
                Statement statement = db.createStatement()) {
            statement.execute("UPDATE report_file_retention_floor SET keep_at_least = 'P1D'");
            try {
                assertThatThrownBy(() -> purgeAsApp(id, forgedPurgeEvent(tenant, id)))
                        .hasMessageContaining("within the retention floor");
            } finally {
                statement.execute("UPDATE report_file_retention_floor SET keep_at_least = 'PT1S'");
            }
        }
        assertStillDownloadable(tenant, id);
    }

    @Test
    void aFileAHoldKeepsIsNotPurgedEvenWithAForgedSelfAuditEvent() throws SQLException {
        String tenant = Attack.tenant();
        String id = generatedReport(tenant);
        // A hold that names an actor and a day inside the report's period: its period overlaps, so it keeps the file.
        given().auth().oauth2(TestTokens.admin("counsel", tenant)).contentType("application/json")
                .body(Map.of("tenant", tenant, "actorId", "someone-else", "from", FROM, "reason", "litigation",
                        "caseReference", "CASE-2"))
                .when().post("/api/v1/legal-holds").then().statusCode(201);
        pastTheFloor(id);

        assertThatThrownBy(() -> purgeAsApp(id, forgedPurgeEvent(tenant, id)))
                .hasMessageContaining("kept by a legal hold");
        assertThat(countAsSuperuser("SELECT count(*) FROM report_file_purge WHERE report_id = '" + id + "'")).isZero();
        assertStillDownloadable(tenant, id);
    }

    @Test
    void aPurgeWithoutItsSelfAuditEventIsRefused() throws SQLException {
        String tenant = Attack.tenant();
        String id = generatedReport(tenant);
        pastTheFloor(id);

        assertThatThrownBy(() -> purgeAsApp(id)).hasMessageContaining("needs its report.file.purged event");
        assertStillDownloadable(tenant, id);
        // With its event, the same call goes through: the file is gone, its record and the event stay.
        purgeAsApp(id, forgedPurgeEvent(tenant, id));
        given().auth().oauth2(TestTokens.auditor("auditor-1", tenant)).when()
                .get("/api/v1/reports/" + id + "/content").then().statusCode(410);
        assertThat(countAsSuperuser("SELECT count(*) FROM report_file WHERE report_id = '" + id + "'")).isOne();
    }

    private static void assertRefusedAsApp(String message, String sql) {
        assertThatThrownBy(() -> {
            try (Connection app = appConnection(); Statement statement = app.createStatement()) {
                statement.execute(sql);
            }
        }).as(sql).isInstanceOf(SQLException.class).hasMessageContaining(message);
    }

    private static long countAsSuperuser(String sql) {
        try (Connection db = EmbeddedPostgresTestResource.server().superuserConnection();
                Statement statement = db.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Connection appConnection() throws SQLException {
        return EmbeddedPostgresTestResource.server().connectionAs(EmbeddedPostgresServer.APP_ROLE);
    }
}
