package io.stenographer.bootstrap.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.stenographer.adapters.persistence.embedded.EmbeddedPostgresServer;
import java.util.Map;

/**
 * A fresh, real PostgreSQL 17 for the test run (no mock, no H2). The server is kept in a static so
 * tests can also connect directly, as the app role or as the superuser.
 */
public class EmbeddedPostgresTestResource implements QuarkusTestResourceLifecycleManager {

    private static EmbeddedPostgresServer server;

    @Override
    public synchronized Map<String, String> start() {
        if (server == null) {
            server = EmbeddedPostgresServer.start(null, 0);
        }
        return server.quarkusConfig();
    }

    @Override
    public void stop() {
        // Shared by every test class of the run; the JVM shutdown stops it.
    }

    public static EmbeddedPostgresServer server() {
        if (server == null) {
            throw new IllegalStateException("the embedded PostgreSQL test resource has not started");
        }
        return server;
    }
}
