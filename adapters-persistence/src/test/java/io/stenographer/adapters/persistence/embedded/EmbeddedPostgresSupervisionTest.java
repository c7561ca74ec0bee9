package io.stenographer.adapters.persistence.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import io.stenographer.testing.TestCertificateAuthority;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A postmaster killed with SIGKILL is started again by the service, on the same port, with every commit kept. */
class EmbeddedPostgresSupervisionTest {

    private static final Duration DEADLINE = Duration.ofSeconds(120);

    @TempDir
    Path dataDirectory;

    @Test
    void aKilledServerIsRestartedWithItsCommittedData() throws Exception {
        Path pgdata = dataDirectory.resolve("pgdata");
        EmbeddedPostgresServer server = EmbeddedPostgresServer.start(pgdata, 0);
        CountDownLatch gaveUp = new CountDownLatch(1);
        try {
            server.superviseWithRestarts(10, Duration.ofMillis(500), gaveUp::countDown);
            try (Connection c = server.superuserConnection(); Statement sql = c.createStatement()) {
                sql.execute("CREATE TABLE kept (n int)");
                sql.execute("INSERT INTO kept VALUES (42)");
            }
            ProcessHandle first = EmbeddedPostgresServer.postmaster(pgdata).orElseThrow();
            new ProcessBuilder("kill", "-KILL", Long.toString(first.pid())).inheritIO().start().waitFor();
            first.onExit().get(60, TimeUnit.SECONDS);

            long restartedPid = awaitNewPostmaster(pgdata, first.pid());
            assertThat(restartedPid).isNotEqualTo(first.pid());
            try (Connection c = awaitConnection(server); Statement sql = c.createStatement();
                    ResultSet rs = sql.executeQuery("SELECT n FROM kept")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(42);
            }
            assertThat(gaveUp.getCount()).as("the supervisor gave up").isEqualTo(1);
        } finally {
            server.close();
        }
        assertThat(EmbeddedPostgresServer.postmaster(pgdata)).as("a closed server leaves no running postmaster")
                .isEmpty();
    }

    @Test
    void aRestartedServerStillServesTheSameTls() throws Exception {
        TestCertificateAuthority ca = TestCertificateAuthority.create(dataDirectory.resolve("ca"));
        TestCertificateAuthority.Issued certificate = ca.issue("localhost", "dns:localhost");
        Path pgdata = dataDirectory.resolve("pgdata");
        EmbeddedPostgresServer server = EmbeddedPostgresServer.start(pgdata, 0,
                new EmbeddedPostgresServer.Tls(certificate.certificatePem(), certificate.privateKeyPem()));
        String verifyFull = "jdbc:postgresql://localhost:" + server.port() + "/" + EmbeddedPostgresServer.DATABASE
                + "?sslmode=verify-full&sslrootcert=" + ca.certificatePem();
        Supplier<Connection> connect = () -> {
            try {
                return DriverManager.getConnection(verifyFull, EmbeddedPostgresServer.APP_ROLE, "");
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        };
        CountDownLatch gaveUp = new CountDownLatch(1);
        try {
            server.superviseWithRestarts(10, Duration.ofMillis(500), gaveUp::countDown);
            assertThat(encrypted(connect.get())).isTrue();
            ProcessHandle first = EmbeddedPostgresServer.postmaster(pgdata).orElseThrow();
            new ProcessBuilder("kill", "-KILL", Long.toString(first.pid())).inheritIO().start().waitFor();
            first.onExit().get(60, TimeUnit.SECONDS);

            awaitNewPostmaster(pgdata, first.pid());
            // The restart reapplies ssl=on and the private key copy: verify-full still connects, encrypted.
            assertThat(encrypted(awaitConnection(connect))).isTrue();
            assertThat(gaveUp.getCount()).as("the supervisor gave up").isEqualTo(1);
        } finally {
            server.close();
        }
    }

    private static boolean encrypted(Connection connection) throws SQLException {
        try (connection; Statement sql = connection.createStatement();
                ResultSet rs = sql.executeQuery("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")) {
            return rs.next() && rs.getBoolean(1);
        }
    }

    private static long awaitNewPostmaster(Path pgdata, long oldPid) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(DEADLINE);
        while (Instant.now().isBefore(deadline)) {
            Optional<ProcessHandle> current = EmbeddedPostgresServer.postmaster(pgdata);
            if (current.isPresent() && current.get().pid() != oldPid) {
                return current.get().pid();
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no new postmaster within " + DEADLINE);
    }

    private static Connection awaitConnection(EmbeddedPostgresServer server) throws InterruptedException {
        return awaitConnection(() -> {
            try {
                return server.superuserConnection();
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static Connection awaitConnection(Supplier<Connection> connect) throws InterruptedException {
        Instant deadline = Instant.now().plus(DEADLINE);
        RuntimeException last = null;
        while (Instant.now().isBefore(deadline)) {
            try {
                return connect.get();
            } catch (IllegalStateException e) {
                last = e;
                Thread.sleep(100);
            }
        }
        throw new AssertionError("the restarted server took no connection within " + DEADLINE, last);
    }
}
