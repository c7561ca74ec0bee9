package io.stenographer.bootstrap.multiprocess;

import static org.assertj.core.api.Assertions.assertThat;

import io.stenographer.adapters.persistence.embedded.EmbeddedPostgresServer;
import io.stenographer.bootstrap.support.Api;
import io.stenographer.bootstrap.support.Await;
import io.stenographer.bootstrap.support.IngestLedger;
import io.stenographer.bootstrap.support.LogChecks;
import io.stenographer.bootstrap.support.LogChecks.SeenCheckpoint;
import io.stenographer.bootstrap.support.OidcStub;
import io.stenographer.bootstrap.support.SharedDatabaseServices;
import io.stenographer.domain.checkpoint.NoteVerifier;
import io.stenographer.testing.Closing;
import io.stenographer.testing.ServiceProcess;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two packaged services, as two real processes, on one PostgreSQL: both ingest and both run sequencers. One is
 * SIGKILLed while it is in the middle of an integration round: it holds a tenant's sequencer lock and has written
 * that round's leaves, uncommitted. The round must vanish whole, the other service must take the tenant over, and
 * afterwards every tenant's log has gapless indices, one checkpoint chain, and no event integrated twice.
 *
 * <p>The round is caught in the middle, not by timing: the test holds an EXCLUSIVE lock on {@code log_checkpoint},
 * so each service's round stops at its checkpoint insert, after its leaves, and the test sees it there in
 * {@code pg_stat_activity} and {@code pg_locks} before it kills the process.
 */
class TwoServicesOneDatabaseIT {

    private static final List<String> TENANTS = List.of("duo-a", "duo-b", "duo-c");
    private static final int BATCH_SIZE = 20;
    private static final Duration DEADLINE = Duration.ofSeconds(120);
    /** Application names on the services' connections, so the test can tell their database sessions apart. */
    private static final String FIRST = "stenographer-first";
    private static final String SECOND = "stenographer-second";

    private static EmbeddedPostgresServer database;
    private static OidcStub oidc;
    private static ServiceProcess first;
    private static ServiceProcess second;
    private static String writerToken;
    private static String auditorToken;
    private static String adminToken;

    @BeforeAll
    static void startTwoServicesOnOneDatabase() throws IOException {
        database = EmbeddedPostgresServer.start(null, 0);
        oidc = OidcStub.start();
        String[] tenants = TENANTS.toArray(String[]::new);
        writerToken = oidc.token("duo-writer", Set.of("audit-writer"), 2, tenants);
        auditorToken = oidc.token("duo-auditor", Set.of("auditor"), 2, tenants);
        adminToken = oidc.token("duo-admin", Set.of("compliance-admin"), 2, tenants);
        // One log, one key: both instances sign with the same checkpoint key, as a deployment shares its secret.
        Path key = SharedDatabaseServices.keyFile("duo-key");
        first = service(FIRST, key).env("STENOGRAPHER_GENERATE_SIGNING_KEY", "true").start();
        second = service(SECOND, key).start();
    }

    private static ServiceProcess.Builder service(String name, Path key) throws IOException {
        Map<String, String> connection = new HashMap<>(database.quarkusConfig());
        connection.put("quarkus.datasource.jdbc.url", database.applicationJdbcUrl() + "&ApplicationName=" + name);
        return SharedDatabaseServices.builder(name, connection, key, oidc)
                // Two workers of one tenant each for three tenants: one service can hold at most two tenants' locks
                // while its rounds wait at the checkpoint insert, so the other always finds a third to be caught on.
                // With the defaults (four workers, groups of tenants), one service could hold all three and the
                // other would never enter a round.
                .property("stenographer.log.sequencer-workers", "2")
                .property("stenographer.log.sequencer-tenants-per-transaction", "1");
    }

    @AfterAll
    static void stop() {
        Closing.all("two-services", first, second, oidc, database);
    }

    @Test
    void killingOneServiceInTheMiddleOfARoundLeavesOneGaplessLogPerTenant() throws Exception {
        Api firstApi = new Api(first.baseUri());
        Api secondApi = new Api(second.baseUri());
        NoteVerifier verifier = NoteVerifier.parse(secondApi.get("/api/v1/logs/" + TENANTS.get(0) + "/verifier-key",
                null).body().trim());
        IngestLedger ledger = new IngestLedger("duo-" + System.nanoTime(), TENANTS, writerToken, BATCH_SIZE);
        AtomicInteger turn = new AtomicInteger();
        AtomicBoolean firstAlive = new AtomicBoolean(true);
        // Requests alternate between the two services while both live, then go to the survivor.
        AtomicBoolean writing = new AtomicBoolean(true);
        ExecutorService writers = Executors.newFixedThreadPool(4);
        List<Future<?>> running = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            boolean batches = w % 2 == 1;
            running.add(writers.submit(() -> ledger.write(
                    () -> firstAlive.get() && turn.incrementAndGet() % 2 == 0 ? firstApi : secondApi,
                    batches, writing)));
        }
        Await.until("events acknowledged through both services", DEADLINE, () -> ledger.acknowledgedCount() >= 400);

        Map<String, SeenCheckpoint> seenBeforeKill = new HashMap<>();
        for (String tenant : TENANTS) {
            seenBeforeKill.put(tenant, LogChecks.latestCheckpoint(firstApi, auditorToken, tenant));
        }
        Round killed;
        try (Connection db = database.superuserConnection()) {
            db.setAutoCommit(false);
            try (Statement lock = db.createStatement()) {
                lock.execute("LOCK TABLE log_checkpoint IN EXCLUSIVE MODE");
            }
            try (Connection observer = database.superuserConnection()) {
                Map<String, Round> rounds = Await.until("both services stopped in a round at the checkpoint insert",
                        DEADLINE, () -> roundsWaitingOnCheckpoint(observer),
                        seen -> seen.containsKey(FIRST) && seen.containsKey(SECOND));
                System.out.printf("two-services: rounds held mid-way: %s%n", rounds);
                killed = rounds.get(FIRST);
                assertThat(killed.tenant()).as("two rounds at once are for two tenants: the sequencer lock")
                        .isNotEqualTo(rounds.get(SECOND).tenant());
                first.kill9();
                firstAlive.set(false);
            }
            db.rollback(); // releases the checkpoint lock: the second service's round commits, the killed one's cannot
        }
        assertThat(killed.wroteLeaves()).as("the killed round had written its leaves, uncommitted").isTrue();

        int before = ledger.acknowledgedCount();
        Await.until("more events acknowledged by the surviving service", DEADLINE,
                () -> ledger.acknowledgedCount() >= before + 200);
        writing.set(false);
        for (Future<?> writer : running) {
            writer.get(2, TimeUnit.MINUTES);
        }
        writers.shutdown();
        int resent = ledger.resendUnacknowledged(secondApi, DEADLINE);

        try (Connection db = database.superuserConnection()) {
            LogChecks.awaitEverythingIntegrated(db, TENANTS, DEADLINE);
            assertThat(ledger.lostOrChanged(db)).as("acknowledged events missing or changed").isEmpty();
            for (String tenant : TENANTS) {
                LogChecks.assertGaplessOnceAndOneChain(db, tenant, verifier);
            }
            assertThat(LogChecks.secondCopies(db, TENANTS)).as("events stored twice").isZero();
            System.out.printf("two-services: acknowledged %d, re-sent %d, killed a round of %s; leaves per"
                    + " tenant %s%n", ledger.acknowledgedCount(), resent, killed.tenant(), leavesPerTenant(db));
        }
        for (String tenant : TENANTS) {
            LogChecks.assertVerifiesClean(secondApi, adminToken, tenant);
            LogChecks.assertConsistent(secondApi, auditorToken, verifier, tenant, seenBeforeKill.get(tenant),
                    LogChecks.latestCheckpoint(secondApi, auditorToken, tenant));
        }
        assertThat(ledger.refusals()).as("requests refused").isEmpty();
    }

    /** A service's integration round, seen from the database while it waits: its backend, tenant, and writes. */
    record Round(int pid, String tenant, boolean wroteLeaves) {
    }

    /**
     * Rounds waiting on the checkpoint lock, by the application name of their service: the backend holds a
     * tenant's sequencer lock (the advisory key pair names the tenant) and, once it has written leaves, a row
     * lock on {@code log_leaf}.
     */
    private static Map<String, Round> roundsWaitingOnCheckpoint(Connection observer) {
        Map<String, Round> rounds = new HashMap<>();
        try (PreparedStatement query = observer.prepareStatement("""
                SELECT a.application_name, a.pid, t.tenant,
                       EXISTS (SELECT 1 FROM pg_locks w JOIN pg_class c ON c.oid = w.relation
                               WHERE w.pid = a.pid AND c.relname = 'log_leaf' AND w.mode = 'RowExclusiveLock')
                FROM pg_stat_activity a
                JOIN pg_locks l ON l.pid = a.pid AND l.locktype = 'advisory' AND l.granted
                               AND l.classid::int = hashtext('stenographer.sequencer')
                JOIN unnest(?::text[]) AS t(tenant) ON l.objid::int = hashtext(t.tenant)
                WHERE a.wait_event_type = 'Lock' AND a.query ILIKE '%log_checkpoint%'""")) {
            query.setString(1, "{" + String.join(",", TENANTS) + "}");
            try (ResultSet row = query.executeQuery()) {
                while (row.next()) {
                    rounds.put(row.getString(1), new Round(row.getInt(2), row.getString(3), row.getBoolean(4)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return rounds;
    }

    private static Map<String, Long> leavesPerTenant(Connection db) {
        Map<String, Long> leaves = new HashMap<>();
        for (String tenant : TENANTS) {
            leaves.put(tenant, LogChecks.count(db, "select count(*) from log_leaf where tenant = ?", tenant));
        }
        return leaves;
    }
}
