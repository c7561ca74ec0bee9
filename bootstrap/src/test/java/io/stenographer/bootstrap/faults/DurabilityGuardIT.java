package io.stenographer.bootstrap.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.stenographer.adapters.persistence.embedded.EmbeddedPostgresServer;
import io.stenographer.bootstrap.support.Await;
import io.stenographer.testing.ServiceProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packaged service, pointed at an external PostgreSQL whose application role commits asynchronously
 * ({@code ALTER ROLE ... SET synchronous_commit = off}, the server itself being durable), refuses to
 * start and says why; only the loudly named override lets it start, and then it says so.
 */
class DurabilityGuardIT {

    private static final Duration DEADLINE = Duration.ofSeconds(180);
    private static EmbeddedPostgresServer database;

    @BeforeAll
    static void lossyApplicationRole() throws SQLException {
        database = EmbeddedPostgresServer.start(null, 0);
        try (Connection admin = database.superuserConnection(); Statement sql = admin.createStatement()) {
            sql.execute("ALTER ROLE " + EmbeddedPostgresServer.APP_ROLE + " SET synchronous_commit = off");
        }
    }

    @AfterAll
    static void stop() {
        database.close();
    }

    @Test
    void aDatabaseThatCouldLoseCommitsIsRefusedAtStartup() throws Exception {
        try (ServiceProcess service = service("guard-refuses").build()) {
            service.startWithoutAwaitingReadiness();
            int exit = awaitExit(service);
            String log = Files.readString(service.logFile(), StandardCharsets.UTF_8);
            assertThat(exit).as("exit status; log:\n" + service.tail(40)).isNotZero();
            assertThat(log).contains("Refusing to start: the database could lose acknowledged events")
                    .contains("synchronous_commit=off")
                    .contains("stenographer.database.accept-data-loss=true");
        }
    }

    @Test
    void theOverrideStartsTheServiceAndSaysDataMayBeLost() throws Exception {
        try (ServiceProcess service = service("guard-overridden")
                .property("stenographer.database.accept-data-loss", "true").build()) {
            service.startWithoutAwaitingReadiness();
            awaitLogLine(service, line -> line.contains("DATA LOSS ACCEPTED"));
            assertThat(Files.readString(service.logFile(), StandardCharsets.UTF_8))
                    .contains("synchronous_commit=off");
            assertThat(service.isRunning()).isTrue();
        }
    }

    private static ServiceProcess.Builder service(String name) throws IOException {
        Path data = Files.createTempDirectory(Path.of("target"), name + "-");
        return ServiceProcess.builder(data)
                .name(name)
                .properties(database.quarkusConfig())
                .property("stenographer.embedded-postgres.enabled", "false")
                // Not reached before the check; a provider is required by the prod profile.
                .env("STENOGRAPHER_OIDC_URL", "http://127.0.0.1:9/realms/none")
                .env("STENOGRAPHER_GENERATE_SIGNING_KEY", "true");
    }

    private static int awaitExit(ServiceProcess service) {
        return Await.present("the service to exit", DEADLINE, service::exitCode);
    }

    private static void awaitLogLine(ServiceProcess service, Predicate<String> wanted) {
        Await.until("the log line", DEADLINE, () -> {
            if (service.exitCode().isPresent()) {
                throw new AssertionError("the service exited (" + service.exitCode().get() + "); log:\n"
                        + service.tail(40));
            }
            try {
                return Files.exists(service.logFile())
                        && Files.readAllLines(service.logFile(), StandardCharsets.UTF_8).stream().anyMatch(wanted);
            } catch (IOException e) {
                return false;
            }
        });
    }
}
