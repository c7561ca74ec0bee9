package io.stenographer.bootstrap;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import io.stenographer.adapters.persistence.embedded.EmbeddedPostgresServer;
import java.nio.file.Path;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

/**
 * Starts the embedded PostgreSQL first when {@code stenographer.embedded-postgres.enabled} is set, then
 * Quarkus. The datasource settings are handed over as system properties, which outrank the file.
 */
@QuarkusMain
public class StenographerMain {

    private static final Logger LOG = Logger.getLogger(StenographerMain.class);


    public static void main(String... args) {
        Config config = ConfigProvider.getConfig();
        if (config.getOptionalValue("stenographer.embedded-postgres.enabled", Boolean.class).orElse(false)) {
            Path dataDir = Path.of(config.getOptionalValue("stenographer.embedded-postgres.data-dir", String.class)
                    .orElse(".stenographer/pgdata")).toAbsolutePath();
            int port = config.getOptionalValue("stenographer.embedded-postgres.port", Integer.class).orElse(0);
            EmbeddedPostgresServer server = EmbeddedPostgresServer.start(dataDir, port);
            server.quarkusConfig().forEach(System::setProperty);
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "embedded-postgres-stop"));
            LOG.infof("Embedded PostgreSQL 17 on port %d, data in %s", server.port(), dataDir);
        }
        Quarkus.run(args);
    }
}
