package io.stenographer.adapters.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stenographer.adapters.persistence.embedded.EmbeddedPostgresServer;
import io.stenographer.application.port.out.TransactionRunner;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.json.CanonicalJson;
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
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Claims, heartbeats, takeovers and fair claiming against the real database (V18), with time passed in as the
 * service's clock would pass it: a stale claim is taken over and can no longer beat or finish, attempts stop at the
 * limit, tenants with fewer running reports are served first and none runs more than its cap, concurrent claimers
 * never exceed it, and a claim keeps its history (only its heartbeat changes, only forwards).
 */
class ReportClaimsPersistenceTest {

    private static final Instant T0 = Instant.parse("2026-12-01T09:00:00Z");
    private static final Duration TAKEOVER = Duration.ofSeconds(60);
    private static final Set<UUID> NONE = Set.of();

    private ReportsDatabase database;
    private PostgresReportJobs jobs;
    private TransactionRunner transactions;

    private void fresh(String name) throws SQLException {
        database = ReportsDatabase.fresh(name);
        jobs = new PostgresReportJobs(database.session());
        transactions = database.transactions();
    }

    private ReportJob request(String tenant, Instant requestedAt) {
        ReportJob job = ReportJob.request(UUID.randomUUID(), new TenantId(tenant), ReportType.FOIA_EXPORT,
                ReportFormat.JSON, ReportParameters.period(T0.minusSeconds(86_400), T0), "auditor-1", requestedAt, 7);
        transactions.inTransaction(() -> {
            jobs.add(job);
            return null;
        });
        return job;
    }

    /** A claim attempt at {@code now} by {@code instance}, as the service makes it. */
    private Optional<ReportClaim> claim(String instance, Instant now, int maxRunningPerTenant) {
        return transactions.inTransaction(() -> {
            jobs.lockClaims();
            return jobs.claimNext(instance, now, now.minus(TAKEOVER), maxRunningPerTenant, 3, NONE);
        });
    }

    private boolean beat(ReportClaim claim, Instant at) {
        return transactions.inTransaction(() -> jobs.heartbeat(claim, at));
    }

    private boolean succeed(ReportClaim claim, Instant at) {
        return transactions.inTransaction(() -> jobs.markSucceeded(claim, at, 3, 100, new Hash(new byte[32])));
    }

    private ReportJob read(ReportJob job) {
        return transactions.inTransaction(() -> jobs.find(job.id())).orElseThrow();
    }

    @Test
    void aQueuedReportIsClaimedOnceAsAttemptOne() throws SQLException {
        fresh("report_claims_once");
        ReportJob job = request("acme", T0);
        assertThat(read(job).status()).isEqualTo(ReportStatus.QUEUED);

        ReportClaim claim = claim("instance-a", T0, 5).orElseThrow();

        assertThat(claim.job()).isEqualTo(read(job));
        assertThat(claim.attempt()).isEqualTo(1);
        assertThat(claim.instance()).isEqualTo("instance-a");
        assertThat(read(job).status()).isEqualTo(ReportStatus.RUNNING);
        assertThat(read(job).startedAt()).isEqualTo(T0);
        assertThat(claim("instance-b", T0.plusSeconds(1), 5)).as("a live claim is not taken").isEmpty();
        assertThat(transactions.inTransaction(() -> jobs.active(new TenantId("acme")))).isEqualTo(1);
    }

    @Test
    void onlyAClaimSilentForLongerThanTheTakeoverIsTakenOverAndTheLoserCanNeitherBeatNorFinish()
            throws SQLException {
        fresh("report_claims_takeover");
        ReportJob job = request("acme", T0);
        ReportClaim first = claim("instance-a", T0, 1).orElseThrow();
        assertThat(beat(first, T0.plusSeconds(50))).isTrue();
        assertThat(claim("instance-b", T0.plusSeconds(110), 1)).as("silent for exactly 60 s: still alive").isEmpty();

        ReportClaim second = claim("instance-b", T0.plusSeconds(111), 1).orElseThrow();

        assertThat(second.attempt()).isEqualTo(2);
        assertThat(second.instance()).isEqualTo("instance-b");
        assertThat(beat(first, T0.plusSeconds(112))).as("the loser's heartbeat touches nothing").isFalse();
        assertThat(succeed(first, T0.plusSeconds(113))).as("the loser cannot record success").isFalse();
        assertThat(transactions.inTransaction(() -> jobs.markFailed(first, T0.plusSeconds(113), "late"))).isFalse();
        assertThat(read(job).status()).isEqualTo(ReportStatus.RUNNING);
        assertThat(beat(second, T0.plusSeconds(120))).isTrue();
        assertThat(succeed(second, T0.plusSeconds(130))).isTrue();
        assertThat(read(job).status()).isEqualTo(ReportStatus.SUCCEEDED);
        assertThat(read(job).startedAt()).as("started with its first attempt").isEqualTo(T0);
        assertThat(beat(second, T0.plusSeconds(131))).as("nothing to beat for once finished").isFalse();
        assertThat(transactions.inTransaction(() -> jobs.markFailed(second, T0.plusSeconds(132), "twice"))).isFalse();
        assertThat(claims(job)).containsExactly("1 instance-a " + T0.plusSeconds(50),
                "2 instance-b " + T0.plusSeconds(120));
    }

    @Test
    void attemptsStopAtTheLimitAndTheAbandonedReportIsListedForFailing() throws SQLException {
        fresh("report_claims_attempts");
        ReportJob job = request("acme", T0);
        assertThat(claim("instance-a", T0, 1).orElseThrow().attempt()).isEqualTo(1);
        assertThat(claim("instance-b", T0.plusSeconds(61), 1).orElseThrow().attempt()).isEqualTo(2);
        ReportClaim third = claim("instance-c", T0.plusSeconds(122), 1).orElseThrow();
        assertThat(third.attempt()).isEqualTo(3);
        assertThat(transactions.inTransaction(() -> jobs.abandoned(T0.plusSeconds(122), 3)))
                .as("the third attempt is alive").isEmpty();

        Instant later = T0.plusSeconds(183);
        assertThat(claim("instance-d", later, 1)).as("no fourth attempt").isEmpty();
        List<ReportClaim> abandoned = transactions.inTransaction(() -> jobs.abandoned(later.minus(TAKEOVER), 3));

        assertThat(abandoned).singleElement().satisfies(claim -> {
            assertThat(claim.job().id()).isEqualTo(job.id());
            assertThat(claim.attempt()).isEqualTo(3);
            assertThat(claim.instance()).isEqualTo("instance-c");
        });
        assertThat(transactions.inTransaction(() -> jobs.markFailed(abandoned.get(0), later, "interrupted 3 times")))
                .isTrue();
        assertThat(read(job).status()).isEqualTo(ReportStatus.FAILED);
        assertThat(read(job).error()).isEqualTo("interrupted 3 times");
        assertThat(transactions.inTransaction(() -> jobs.abandoned(later.minus(TAKEOVER), 3))).isEmpty();
    }

    @Test
    void tenantsWithFewerRunningReportsAreServedFirstAndNoneRunsMoreThanItsCap() throws SQLException {
        fresh("report_claims_fairness");
        // One tenant queued three reports before anyone else asked.
        ReportJob busy1 = request("busy", T0.plusSeconds(1));
        ReportJob busy2 = request("busy", T0.plusSeconds(2));
        ReportJob busy3 = request("busy", T0.plusSeconds(3));
        ReportJob quiet = request("quiet", T0.plusSeconds(10));
        ReportJob late = request("late", T0.plusSeconds(20));
        Instant now = T0.plusSeconds(30);

        List<UUID> order = new ArrayList<>();
        Map<UUID, ReportClaim> claims = new HashMap<>();
        for (int i = 0; i < 4; i++) {
            ReportClaim claim = claim("instance-" + i, now, 2).orElseThrow();
            order.add(claim.job().id());
            claims.put(claim.job().id(), claim);
        }

        assertThat(order).as("oldest first among the tenants running the fewest")
                .containsExactly(busy1.id(), quiet.id(), late.id(), busy2.id());
        assertThat(claim("instance-5", now, 2)).as("busy runs two, its cap; the others have nothing queued").isEmpty();
        assertThat(succeed(claims.get(quiet.id()), now)).isTrue();
        assertThat(claim("instance-5", now, 2)).as("a slot of another tenant is no slot of busy's").isEmpty();
        assertThat(succeed(claims.get(busy1.id()), now)).isTrue();
        assertThat(claim("instance-5", now, 2).orElseThrow().job().id()).isEqualTo(busy3.id());
    }

    @Test
    void theRunningCapCountsLiveClaimsOfEveryInstanceAndAStaleClaimIsTakenOverBeforeNewWork() throws SQLException {
        fresh("report_claims_cap");
        ReportJob first = request("acme", T0.plusSeconds(1));
        ReportJob second = request("acme", T0.plusSeconds(2));
        ReportClaim running = claim("instance-a", T0.plusSeconds(5), 1).orElseThrow();
        assertThat(running.job().id()).isEqualTo(first.id());
        assertThat(claim("instance-b", T0.plusSeconds(6), 1)).as("acme runs one report, on another instance")
                .isEmpty();
        assertThat(beat(running, T0.plusSeconds(60))).isTrue();
        assertThat(claim("instance-b", T0.plusSeconds(119), 1)).isEmpty();

        ReportClaim takeover = claim("instance-b", T0.plusSeconds(121), 1).orElseThrow();

        assertThat(takeover.job().id()).as("the interrupted report, older, comes before the queued one")
                .isEqualTo(first.id());
        assertThat(takeover.attempt()).isEqualTo(2);
        assertThat(read(second).status()).isEqualTo(ReportStatus.QUEUED);
    }

    @Test
    void aClaimWaitsForTheClaimBeforeItAndChoosesKnowingIt() throws Exception {
        fresh("report_claims_serialised");
        ReportJob busy1 = request("busy", T0.plusSeconds(1));
        request("busy", T0.plusSeconds(2));
        ReportJob quiet = request("quiet", T0.plusSeconds(3));
        Instant now = T0.plusSeconds(10);
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            Future<Optional<ReportClaim>> second = transactions.inTransaction(() -> {
                jobs.lockClaims();
                ReportClaim first = jobs.claimNext("instance-a", now, now.minus(TAKEOVER), 1, 3, NONE).orElseThrow();
                assertThat(first.job().id()).isEqualTo(busy1.id());
                // The other claimer starts while this claim is not committed yet.
                Future<Optional<ReportClaim>> waiting = other.submit(() -> claim("instance-b", now, 1));
                awaitWaitingOnAnAdvisoryLock();
                return waiting;
            });
            // Without the lock it would have chosen busy's oldest report too (the first claim was not committed), and
            // come away with nothing.
            assertThat(second.get(30, TimeUnit.SECONDS).orElseThrow().job().id()).isEqualTo(quiet.id());
        } finally {
            other.shutdownNow();
        }
    }

    /** Polls, with a deadline, until a backend of this database waits for an advisory lock. */
    private void awaitWaitingOnAnAdvisoryLock() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        try (Connection superuser = database.superuser();
                PreparedStatement waiting = superuser.prepareStatement("""
                        SELECT count(*) FROM pg_locks l JOIN pg_database d ON d.oid = l.database
                        WHERE l.locktype = 'advisory' AND NOT l.granted AND d.datname = current_database()""")) {
            while (true) {
                try (ResultSet rs = waiting.executeQuery()) {
                    rs.next();
                    if (rs.getLong(1) > 0) {
                        return;
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("no claimer waited on the claim lock within 30 s");
                }
                try {
                    TimeUnit.MILLISECONDS.sleep(2); // between polls only
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError(e);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void concurrentClaimersNeverShareAReportNorExceedATenantsCap() throws Exception {
        fresh("report_claims_concurrent");
        List<String> tenants = List.of("t-a", "t-b", "t-c");
        for (int i = 0; i < 12; i++) {
            request(tenants.get(i % 3), T0.plusMillis(i));
        }
        Set<UUID> everClaimed = new HashSet<>();
        ExecutorService claimers = Executors.newFixedThreadPool(6);
        try {
            for (int round = 0; round < 4; round++) {
                CyclicBarrier start = new CyclicBarrier(6);
                List<ReportClaim> claimed = Collections.synchronizedList(new ArrayList<>());
                List<Future<?>> done = new ArrayList<>();
                for (int c = 0; c < 6; c++) {
                    String instance = "instance-" + c;
                    done.add(claimers.submit(() -> {
                        start.await(10, TimeUnit.SECONDS);
                        for (Optional<ReportClaim> claim = claim(instance, T0.plusSeconds(1), 1); claim.isPresent();
                                claim = claim(instance, T0.plusSeconds(1), 1)) {
                            claimed.add(claim.get());
                        }
                        return null;
                    }));
                }
                for (Future<?> claimer : done) {
                    claimer.get(30, TimeUnit.SECONDS);
                }
                assertThat(claimed).as("round " + round + ": one report per tenant").hasSize(3)
                        .extracting(claim -> claim.job().tenant().value()).containsExactlyInAnyOrderElementsOf(tenants);
                for (ReportClaim claim : claimed) {
                    assertThat(claim.attempt()).isEqualTo(1);
                    assertThat(everClaimed.add(claim.job().id())).as("claimed twice: " + claim).isTrue();
                    assertThat(succeed(claim, T0.plusSeconds(2))).isTrue();
                }
            }
        } finally {
            claimers.shutdownNow();
        }
        assertThat(everClaimed).hasSize(12);
    }

    @Test
    void aClaimKeepsItsHistoryOnlyItsHeartbeatMovesAndOnlyForwards() throws SQLException {
        fresh("report_claims_history");
        ReportJob job = request("acme", T0);
        ReportClaim claim = claim("instance-a", T0, 1).orElseThrow();
        assertThat(beat(claim, T0.minusSeconds(5))).as("an earlier time is no news, and no error").isTrue();
        assertThat(claims(job)).containsExactly("1 instance-a " + T0);
        String where = " WHERE report_id = '" + job.id() + "'";
        try (Connection superuser = database.superuser()) {
            for (String kind : List.of("SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE")) {
                assertThat(privilege(superuser, "has_table_privilege(?, 'report_job_claim', '" + kind + "')"))
                        .as(kind).isEqualTo(kind.equals("SELECT") || kind.equals("INSERT"));
            }
            for (String column : List.of("report_id", "attempt", "instance_id", "claimed_at", "heartbeat_at")) {
                assertThat(privilege(superuser, "has_column_privilege(?, 'report_job_claim', '" + column
                        + "', 'UPDATE')")).as("UPDATE of " + column).isEqualTo(column.equals("heartbeat_at"));
            }
            Map<String, String> refused = Map.of(
                    "UPDATE report_job_claim SET instance_id = 'other'" + where, "only the heartbeat",
                    "UPDATE report_job_claim SET attempt = 7" + where, "only the heartbeat",
                    "UPDATE report_job_claim SET claimed_at = claimed_at - interval '1 hour'" + where,
                    "only the heartbeat",
                    "UPDATE report_job_claim SET heartbeat_at = heartbeat_at - interval '1 second'" + where,
                    "never goes back",
                    "DELETE FROM report_job_claim" + where, "append-only",
                    "TRUNCATE report_job_claim", "append-only");
            for (Map.Entry<String, String> statement : refused.entrySet()) {
                superuser.setAutoCommit(false);
                try {
                    assertThatThrownBy(() -> {
                        try (Statement sql = superuser.createStatement()) {
                            sql.execute(statement.getKey());
                        }
                    }).as(statement.getKey()).isInstanceOfSatisfying(SQLException.class,
                            e -> assertThat(e.getMessage()).contains(statement.getValue()));
                } finally {
                    superuser.rollback();
                    superuser.setAutoCommit(true);
                }
            }
        }
        try (Connection app = database.app(); Statement sql = app.createStatement()) {
            assertThatThrownBy(() -> sql.execute("UPDATE report_job_claim SET instance_id = 'other'" + where))
                    .isInstanceOfSatisfying(SQLException.class,
                            e -> assertThat(e.getMessage()).contains("permission denied"));
        }
        assertThat(claims(job)).containsExactly("1 instance-a " + T0);
    }

    @Test
    void aReportRunningWhenV18IsInstalledBecomesAClaimThatIsTakenOverOnceStale() throws SQLException {
        ScratchDatabase before = ScratchDatabase.create("report_claims_upgrade", "17");
        UUID id = UUID.randomUUID();
        Instant started = Instant.now().minusSeconds(600).truncatedTo(java.time.temporal.ChronoUnit.MICROS);
        try (Connection app = before.app()) {
            try (PreparedStatement insert = app.prepareStatement("""
                    INSERT INTO report_job (id, tenant, report_type, format, parameters, requested_by, requested_at,
                                            tree_size)
                    VALUES (?, 'acme', 'foia-export', 'json', ?, 'auditor-1', ?, 7)""")) {
                insert.setObject(1, id);
                insert.setString(2, CanonicalJson.canonicalize(ReportParameters.period(T0.minusSeconds(86_400), T0)
                        .toJson(ReportType.FOIA_EXPORT)));
                insert.setTimestamp(3, Timestamp.from(started));
                insert.executeUpdate();
            }
            try (PreparedStatement running = app.prepareStatement(
                    "INSERT INTO report_job_status (report_id, status, at) VALUES (?, 'running', ?)")) {
                running.setObject(1, id);
                running.setTimestamp(2, Timestamp.from(started));
                running.executeUpdate();
            }
        }

        before.migrate("latest");

        try (Connection app = before.app();
                PreparedStatement query = app.prepareStatement(
                        "SELECT attempt, instance_id, heartbeat_at FROM report_job_claim WHERE report_id = ?")) {
            query.setObject(1, id);
            try (ResultSet rs = query.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(1);
                assertThat(rs.getString(2)).isEqualTo("before-V18");
                assertThat(rs.getTimestamp(3).toInstant()).isEqualTo(started);
            }
        }
        ThreadLocal<Connection> current = new ThreadLocal<>();
        PostgresReportJobs upgraded = new PostgresReportJobs(MigratedPostgres.sessionOn(current::get));
        try (Connection app = before.app()) {
            app.setAutoCommit(false);
            current.set(app);
            upgraded.lockClaims();
            Instant now = Instant.now();
            ReportClaim takeover = upgraded.claimNext("instance-new", now, now.minus(TAKEOVER), 1, 3, NONE)
                    .orElseThrow();
            assertThat(takeover.job().id()).isEqualTo(id);
            assertThat(takeover.attempt()).isEqualTo(2);
            app.commit();
        } finally {
            current.remove();
        }
    }

    private boolean privilege(Connection superuser, String function) throws SQLException {
        try (PreparedStatement query = superuser.prepareStatement("SELECT " + function)) {
            query.setString(1, EmbeddedPostgresServer.APP_ROLE);
            try (ResultSet rs = query.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /** The report's claims, "attempt instance heartbeat", in attempt order. */
    private List<String> claims(ReportJob job) throws SQLException {
        List<String> claims = new ArrayList<>();
        try (Connection superuser = database.superuser();
                PreparedStatement query = superuser.prepareStatement("""
                        SELECT attempt, instance_id, heartbeat_at FROM report_job_claim WHERE report_id = ?
                        ORDER BY attempt""")) {
            query.setObject(1, job.id());
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    claims.add(rs.getInt(1) + " " + rs.getString(2) + " " + rs.getTimestamp(3).toInstant());
                }
            }
        }
        return claims;
    }
}
