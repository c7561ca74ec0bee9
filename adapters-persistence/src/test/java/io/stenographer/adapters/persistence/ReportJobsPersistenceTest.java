package io.stenographer.adapters.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stenographer.adapters.persistence.embedded.EmbeddedPostgresServer;
import io.stenographer.application.port.out.TransactionRunner;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.merkle.Hash;
import io.stenographer.domain.report.ReportClaim;
import io.stenographer.domain.report.ReportFormat;
import io.stenographer.domain.report.ReportJob;
import io.stenographer.domain.report.ReportParameters;
import io.stenographer.domain.report.ReportStatus;
import io.stenographer.domain.report.ReportType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * The report tables against the real database: the port's contract and append-only in depth (V6). Claims, heartbeats
 * and takeovers (V18) are {@link ReportClaimsPersistenceTest}'s.
 */
class ReportJobsPersistenceTest {

    private ReportsDatabase database;
    private PostgresReportJobs jobs;
    private TransactionRunner transactions;

    /** A database of the test's own: claiming chooses among every report in it. */
    @BeforeEach
    void freshDatabase(TestInfo test) throws SQLException {
        database = ReportsDatabase.fresh("report_jobs_" + test.getTestMethod().orElseThrow().getName().toLowerCase());
        jobs = new PostgresReportJobs(database.session());
        transactions = database.transactions();
    }

    private ReportClaim claim(Instant now) {
        return transactions.inTransaction(() -> {
            jobs.lockClaims();
            return jobs.claimNext("instance-1", now, now.minusSeconds(60), 1, 3, Set.of());
        }).orElseThrow();
    }

    private static ReportJob job(TenantId tenant) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        ReportParameters parameters = ReportParameters.fromJson(ReportType.DENIED_ACCESS,
                ReportRulesJson.parse("{\"from\":\"2026-01-01T00:00:00Z\",\"to\":\"2026-02-01T00:00:00Z\","
                        + "\"actor\":\"ann\",\"deniedThreshold\":7,\"deniedWindow\":\"PT5M\"}"));
        return ReportJob.request(UUID.randomUUID(), tenant, ReportType.DENIED_ACCESS, ReportFormat.PDF, parameters,
                "auditor-1", now, 12);
    }

    @Test
    void aRequestRoundTripsAndIsClaimedOnceAndFinishedOnce() {
        TenantId tenant = new TenantId("persist-" + UUID.randomUUID().toString().substring(0, 8));
        ReportJob job = job(tenant);
        transactions.inTransaction(() -> {
            jobs.lockTenant(tenant);
            jobs.add(job);
            ReportJob read = jobs.find(job.id()).orElseThrow();
            assertThat(read).isEqualTo(job);
            assertThat(read.parameters().deniedThreshold()).isEqualTo(7);
            assertThat(jobs.active(tenant)).isEqualTo(1);
            return null;
        });
        ReportClaim claim = claim(Instant.now());
        assertThat(claim.job().id()).isEqualTo(job.id());
        assertThat(transactions.inTransaction(() -> jobs.find(job.id())).orElseThrow().status())
                .isEqualTo(ReportStatus.RUNNING);
        Hash sha = new Hash(new byte[32]);
        assertThat(transactions.inTransaction(() -> jobs.markSucceeded(claim, Instant.now(), 5, 99, sha)))
                .isTrue();
        assertThat(transactions.inTransaction(() -> jobs.markFailed(claim, Instant.now(), "late"))).isFalse();
        ReportJob done = transactions.inTransaction(() -> jobs.find(job.id())).orElseThrow();
        assertThat(done.status()).isEqualTo(ReportStatus.SUCCEEDED);
        assertThat(done.eventCount()).isEqualTo(5);
        assertThat(done.contentBytes()).isEqualTo(99);
        assertThat(done.contentSha256()).isEqualTo(sha);
        assertThat(done.error()).isNull();
        assertThat(transactions.inTransaction(() -> jobs.active(tenant))).isZero();
    }

    @Test
    void theReportTablesAreAppendOnly() throws SQLException {
        ReportJob job = job(new TenantId("persist-" + UUID.randomUUID().toString().substring(0, 8)));
        transactions.inTransaction(() -> {
            jobs.add(job);
            return null;
        });
        claim(Instant.now());
        for (String table : List.of("report_job", "report_job_status")) {
            try (Connection superuser = database.superuser();
                    PreparedStatement privilege = superuser.prepareStatement(
                            "SELECT has_table_privilege(?, ?, ?)")) {
                for (String kind : List.of("SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE")) {
                    privilege.setString(1, EmbeddedPostgresServer.APP_ROLE);
                    privilege.setString(2, table);
                    privilege.setString(3, kind);
                    try (ResultSet rs = privilege.executeQuery()) {
                        rs.next();
                        assertThat(rs.getBoolean(1)).as(table + " " + kind)
                                .isEqualTo(kind.equals("SELECT") || kind.equals("INSERT"));
                    }
                }
                String where = table.equals("report_job") ? " WHERE id = '" + job.id() + "'"
                        : " WHERE report_id = '" + job.id() + "'";
                String set = table.equals("report_job") ? " SET tenant = 'other'" : " SET error = 'rewritten'";
                for (String statementSql : List.of("UPDATE " + table + set + where, "DELETE FROM " + table + where,
                        "TRUNCATE " + table + " CASCADE")) {
                    superuser.setAutoCommit(false);
                    try {
                        assertThatThrownBy(() -> {
                            try (Statement statement = superuser.createStatement()) {
                                statement.execute(statementSql);
                            }
                        }).as(statementSql).isInstanceOfSatisfying(SQLException.class,
                                e -> assertThat(e.getMessage()).contains("append-only"));
                    } finally {
                        superuser.rollback();
                        superuser.setAutoCommit(true);
                    }
                }
            }
        }
    }

    /** Parses request JSON with the domain parser. */
    static final class ReportRulesJson {
        static io.stenographer.domain.json.JsonObject parse(String text) {
            return (io.stenographer.domain.json.JsonObject) io.stenographer.domain.json.JsonParser.parse(text, 8);
        }
    }
}
