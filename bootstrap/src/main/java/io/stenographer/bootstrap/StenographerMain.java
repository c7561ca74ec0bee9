package io.stenographer.bootstrap;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import io.stenographer.adapters.persistence.embedded.EmbeddedPostgresServer;
import java.nio.file.Path;
import java.time.Duration;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

/**
 * Starts the embedded PostgreSQL first when {@code stenographer.embedded-postgres.enabled} is set, then
 * Quarkus. The datasource settings are handed over as system properties, which outrank the file.
 *
 * <p>The service supervises its embedded PostgreSQL: a server that dies is restarted on the same port
 * and data directory; if that keeps failing, the service exits with status 70 so that its own
 * supervisor (systemd, Kubernetes) restarts it, and the next start takes over the data directory.
 */
@QuarkusMain
public class StenographerMain {

    private static final Logger LOG = Logger.getLogger(StenographerMain.class);
    /** EX_SOFTWARE: the embedded database is gone for good; a supervisor should restart the service. */
    static final int EXIT_DATABASE_LOST = 70;
    private static final String RUNNING_MARKER = "stenographer.embedded-postgres.running-on-port";

    public static void main(String... args) {
        Config config = ConfigProvider.getConfig();
        // System properties outlive dev mode's restarts (new class loader, same JVM): start the server once.
        boolean alreadyRunning = System.getProperty(RUNNING_MARKER) != null;
        if (!alreadyRunning
                && config.getOptionalValue("stenographer.embedded-postgres.enabled", Boolean.class).orElse(false)) {
            Path dataDir = Path.of(config.getOptionalValue("stenographer.embedded-postgres.data-dir", String.class)
                    .orElse(".stenographer/pgdata")).toAbsolutePath();
            int port = config.getOptionalValue("stenographer.embedded-postgres.port", Integer.class).orElse(0);
            EmbeddedPostgresServer server = EmbeddedPostgresServer.start(dataDir, port);
            server.quarkusConfig().forEach(System::setProperty);
            System.setProperty(RUNNING_MARKER, Integer.toString(server.port()));
            int attempts = config.getOptionalValue("stenographer.embedded-postgres.restart-attempts", Integer.class)
                    .orElse(10);
            server.superviseWithRestarts(attempts, Duration.ofSeconds(2), () -> {
                LOG.fatalf("embedded PostgreSQL is down and could not be restarted; exiting with status %d",
                        EXIT_DATABASE_LOST);
                Quarkus.asyncExit(EXIT_DATABASE_LOST);
            });
            LOG.infof("Embedded PostgreSQL 17 on port %d, data in %s (fsync, synchronous_commit and"
                    + " full_page_writes on)", server.port(), dataDir);
        }
        Quarkus.run(args);
    }
}
