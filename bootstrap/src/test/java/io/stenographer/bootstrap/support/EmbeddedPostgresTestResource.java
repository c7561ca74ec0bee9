package io.stenographer.bootstrap.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.stenographer.adapters.persistence.embedded.EmbeddedPostgresServer;
import io.stenographer.testing.TcpProxy;
import java.util.HashMap;
import java.util.Map;

/**
 * A fresh, real PostgreSQL 17 for the test run (no mock, no H2). The server is kept in a static so
 * tests can also connect directly, as the app role or as the superuser. The application's pool reaches
 * it through a {@link TcpProxy}, so a test can cut the database off and bring it back.
 */
public class EmbeddedPostgresTestResource implements QuarkusTestResourceLifecycleManager {

    private static EmbeddedPostgresServer server;
    private static TcpProxy network;

    @Override
    public synchronized Map<String, String> start() {
        if (server == null) {
            server = EmbeddedPostgresServer.start(null, 0);
            network = TcpProxy.start(server.port());
        }
        Map<String, String> config = new HashMap<>(server.quarkusConfig());
        config.put("quarkus.datasource.jdbc.url",
                server.applicationJdbcUrl().replace(":" + server.port() + "/", ":" + network.port() + "/"));
        return config;
    }

    @Override
    public void stop() {
        // Shared by every test class of the run; the JVM shutdown stops it.
    }

    /** The network between the application's pool and the database. */
    public static TcpProxy network() {
        server();
        return network;
    }

    public static EmbeddedPostgresServer server() {
        if (server == null) {
            throw new IllegalStateException("the embedded PostgreSQL test resource has not started");
        }
        return server;
    }
}
