package io.stenographer.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An application that exits without closing its client: a JVM of its own logs events into a long linger and exits.
 * The sender threads are daemons, so only the client's exit hook stands between those events and their loss.
 */
class CloseOnExitTest {

    private final FakeAuditService service = new FakeAuditService();

    @AfterEach
    void stop() {
        service.close();
    }

    /** The application: logs {@code args[2]} events and exits at once, never calling close(). */
    public static final class ExitsWithoutClosing {
        public static void main(String[] args) {
            AuditClient audit = AuditClient.builder(URI.create(args[0])).tenant(FakeAuditService.TENANT)
                    .application("client-test").tokens(() -> "token-1").linger(Duration.ofMinutes(1))
                    .batchSize(1_000).closeOnShutdown(Boolean.parseBoolean(args[1])).build();
            for (int i = 0; i < Integer.parseInt(args[2]); i++) {
                audit.logEvent("u-" + i, "case.view");
            }
            System.exit(0);
        }
    }

    @TempDir
    Path directory;

    private int exitWithoutClosing(boolean closeOnShutdown, int events) throws Exception {
        Path output = directory.resolve("application-" + closeOnShutdown + ".log");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process application = new ProcessBuilder(List.of(java.toString(), "-cp",
                System.getProperty("java.class.path"), ExitsWithoutClosing.class.getName(), service.uri().toString(),
                String.valueOf(closeOnShutdown), String.valueOf(events))).redirectErrorStream(true)
                .redirectOutput(output.toFile()).start();
        boolean exited = application.waitFor(60, TimeUnit.SECONDS);
        if (!exited) {
            application.destroyForcibly();
        }
        assertThat(exited).as("the application exits").isTrue();
        assertThat(application.exitValue()).as(Files.readString(output, StandardCharsets.UTF_8)).isZero();
        return application.exitValue();
    }

    @Test
    void eventsStillQueuedWhenTheApplicationExitsAreDeliveredOnTheWayOut() throws Exception {
        assertThat(exitWithoutClosing(true, 25)).isZero();

        // The process has exited: whatever the service holds now was delivered by its exit hook.
        assertThat(service.recordedEvents()).isEqualTo(25);
    }

    @Test
    void withoutTheHookTheyAreLostWhichIsWhyItIsOnByDefault() throws Exception {
        assertThat(exitWithoutClosing(false, 25)).isZero();

        assertThat(service.recordedEvents()).isZero();
    }
}
