package io.stenographer.bootstrap.crash;

import static org.assertj.core.api.Assertions.assertThat;

import io.stenographer.bootstrap.support.Api;
import io.stenographer.bootstrap.support.Await;
import io.stenographer.bootstrap.support.IngestLedger;
import io.stenographer.bootstrap.support.LogChecks;
import io.stenographer.bootstrap.support.LogChecks.SeenCheckpoint;
import io.stenographer.bootstrap.support.OidcStub;
import io.stenographer.domain.checkpoint.NoteVerifier;
import io.stenographer.testing.ServiceProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packaged service with its embedded PostgreSQL, written to by concurrent clients (single events and batches,
 * each request with its own idempotency key), killed with SIGKILL at random moments: the service, its PostgreSQL,
 * or both. After every restart, nothing acknowledged is lost or changed, unacknowledged requests can be re-sent
 * safely, and the log is gapless, verifies clean, and is consistent with what was published before the crash.
 *
 * <p>{@code -Dstenographer.crash.cycles=N} (default 3, one of each kill) and {@code -Dstenographer.crash.seed=S}
 * (default: the clock; printed, so a run can be repeated) choose the run. See docs/CRASH-SUITE.md.
 */
class CrashSuiteIT {

    private static final int CYCLES = Integer.getInteger("stenographer.crash.cycles", 3);
    private static final long SEED = Long.getLong("stenographer.crash.seed", System.nanoTime());
    private static final List<String> TENANTS = List.of("crash-a", "crash-b");
    private static final int SINGLE_WRITERS = 3;
    private static final int BATCH_WRITERS = 2;
    private static final int BATCH_SIZE = 25;
    private static final Duration RECOVERY = Duration.ofSeconds(120);

    private static OidcStub oidc;
    private static ServiceProcess service;
    private static String writerToken;
    private static String auditorToken;
    private static String adminToken;

    private final Random random = new Random(SEED);

    enum Kill { SERVICE, POSTGRES, BOTH }

    @BeforeAll
    static void startService() throws IOException {
        oidc = OidcStub.start();
        String[] tenants = TENANTS.toArray(String[]::new);
        writerToken = oidc.token("crash-writer", Set.of("audit-writer"), 2, tenants);
        auditorToken = oidc.token("crash-auditor", Set.of("auditor"), 2, tenants);
        adminToken = oidc.token("crash-admin", Set.of("compliance-admin"), 2, tenants);
        Path data = Files.createTempDirectory(Path.of("target"), "crash-suite-");
        service = ServiceProcess.builder(data).name("crash-suite")
                .env(oidc.serviceEnvironment())
                .env("STENOGRAPHER_GENERATE_SIGNING_KEY", "true")
                .start();
    }

    @AfterAll
    static void stopService() {
        if (service != null) {
            service.close();
        }
        if (oidc != null) {
            oidc.close();
        }
    }

    @Test
    void noAcknowledgedEventIsLostWhenTheServiceOrItsDatabaseIsKilled() throws Exception {
        System.out.printf("crash-suite: %d cycles, seed %d (-Dstenographer.crash.seed=%d repeats this run)%n",
                CYCLES, SEED, SEED);
        Api api = new Api(service.baseUri());
        NoteVerifier verifier = NoteVerifier.parse(api.get("/api/v1/logs/" + TENANTS.get(0) + "/verifier-key", null)
                .body().trim());
        IngestLedger ledger = new IngestLedger("crash-" + SEED, TENANTS, writerToken, BATCH_SIZE);
        for (int cycle = 1; cycle <= CYCLES; cycle++) {
            Kill kill = Kill.values()[(cycle - 1) % Kill.values().length];
            AtomicBoolean writing = new AtomicBoolean(true);
            ExecutorService writers = Executors.newFixedThreadPool(SINGLE_WRITERS + BATCH_WRITERS);
            List<Future<?>> running = new ArrayList<>();
            for (int w = 0; w < SINGLE_WRITERS + BATCH_WRITERS; w++) {
                boolean batches = w >= SINGLE_WRITERS;
                running.add(writers.submit(() -> ledger.write(() -> api, batches, writing)));
            }
            int target = ledger.acknowledgedCount() + 150 + random.nextInt(600);
            Await.until(target + " acknowledged events", RECOVERY, () -> ledger.acknowledgedCount() >= target);
            Map<String, SeenCheckpoint> before = new LinkedHashMap<>();
            for (String tenant : TENANTS) {
                before.put(tenant, LogChecks.latestCheckpoint(api, auditorToken, tenant));
            }
            Await.until("a request in flight", RECOVERY, ledger::anyInFlight);
            int inFlightAtKill = kill(kill, ledger);
            writing.set(false);
            for (Future<?> writer : running) {
                writer.get(2, TimeUnit.MINUTES);
            }
            writers.shutdown();
            recover(kill);

            int unacknowledged = ledger.unacknowledgedCount();
            int storedBefore = ledger.resentAlreadyStored();
            ledger.resendUnacknowledged(api, RECOVERY);
            List<String> lost;
            try (Connection db = database()) {
                LogChecks.awaitEverythingIntegrated(db, TENANTS, RECOVERY);
                lost = ledger.lostOrChanged(db);
                for (String tenant : TENANTS) {
                    LogChecks.assertGaplessOnceAndOneChain(db, tenant, verifier);
                }
            }
            for (String tenant : TENANTS) {
                LogChecks.assertVerifiesClean(api, adminToken, tenant);
                LogChecks.assertConsistent(api, auditorToken, verifier, tenant, before.get(tenant),
                        LogChecks.latestCheckpoint(api, auditorToken, tenant));
            }
            System.out.printf("crash-suite: cycle %d kill %s: in flight at kill %d, acknowledged so far %d,"
                    + " unacknowledged requests re-sent %d (events already stored %d), lost %d%n", cycle, kill,
                    inFlightAtKill, ledger.acknowledgedCount(), unacknowledged,
                    ledger.resentAlreadyStored() - storedBefore, lost.size());
            assertThat(inFlightAtKill).as("requests in flight when the %s was killed", kill).isPositive();
            assertThat(lost).as("acknowledged events missing or changed after the restart").isEmpty();
            assertThat(ledger.refusals()).as("requests the service refused (conflicts, rejections)").isEmpty();
        }
        long secondCopies;
        int lost;
        try (Connection db = database()) {
            secondCopies = LogChecks.secondCopies(db, TENANTS);
            lost = ledger.lostOrChanged(db).size();
        }
        System.out.printf("crash-suite: acknowledged %d, lost %d, re-sent %d (events already stored %d),"
                + " duplicates %d%n", ledger.acknowledgedCount(), lost, ledger.resent(), ledger.resentAlreadyStored(),
                secondCopies);
        assertThat(lost).as("acknowledged events lost").isZero();
        assertThat(secondCopies).as("events stored twice").isZero();
    }

    private static int kill(Kill kill, IngestLedger ledger) {
        // The kill follows the count at once; a request answered in between still counts, as it was sent before
        // the kill and its receipt is then checked like any other.
        int inFlightNow = ledger.inFlightCount();
        switch (kill) {
            case SERVICE -> service.kill9();
            case POSTGRES -> service.killPostgres9();
            case BOTH -> service.kill9WithPostgres();
        }
        return inFlightNow;
    }

    /** The service restarts a killed PostgreSQL itself; a killed service is restarted as a supervisor would. */
    private static void recover(Kill kill) {
        if (kill == Kill.POSTGRES) {
            Await.until("the service to restart its PostgreSQL, or exit", RECOVERY,
                    () -> service.isPostgresRunning() || !service.isRunning());
            if (!service.isRunning()) {
                System.out.printf("crash-suite: the service exited with %s after losing PostgreSQL%n",
                        service.exitCode());
                service.start();
            }
            service.awaitReady(RECOVERY);
        } else {
            service.start();
        }
    }

    private static Connection database() throws SQLException {
        // The embedded server trusts local connections; the superuser reads past the application's grants.
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + service.postgresPort() + "/stenographer",
                "postgres", "postgres");
    }
}
