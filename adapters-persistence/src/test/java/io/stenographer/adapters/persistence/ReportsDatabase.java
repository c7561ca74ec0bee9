package io.stenographer.adapters.persistence;

import io.stenographer.adapters.persistence.embedded.EmbeddedPostgresServer;
import io.stenographer.application.port.out.TransactionRunner;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.hibernate.Session;

/**
 * A migrated database of its own for one report test: claiming chooses among every report in the database, so tests
 * of it must not see each other's reports. Each is a copy of one migrated template (a copy takes milliseconds, a
 * migration seconds), used as the application role with the same transaction rules as {@link MigratedPostgres}.
 */
final class ReportsDatabase {

    private static final String TEMPLATE = "reports_template";
    private static boolean templateReady;

    private final String url;
    private final ThreadTransactions transactions = new ThreadTransactions(this::app);

    private ReportsDatabase(String url) {
        this.url = url;
    }

    /** A new copy of the migrated schema named {@code name} (replacing one left by an earlier run). */
    static ReportsDatabase fresh(String name) throws SQLException {
        synchronized (ReportsDatabase.class) {
            if (!templateReady) {
                ScratchDatabase.create(TEMPLATE, "latest");
                templateReady = true;
            }
        }
        EmbeddedPostgresServer server = MigratedPostgres.server();
        try (Connection superuser = server.superuserConnection(); Statement statement = superuser.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + name);
            statement.execute("CREATE DATABASE " + name + " TEMPLATE " + TEMPLATE + " OWNER "
                    + EmbeddedPostgresServer.OWNER_ROLE);
        }
        return new ReportsDatabase("jdbc:postgresql://127.0.0.1:" + server.port() + "/" + name);
    }

    /** One transaction per call as the application role; a call inside a running one joins it. */
    TransactionRunner transactions() {
        return transactions;
    }

    /** The session the adapters are built with: JDBC work on this thread's transaction. */
    Session session() {
        return MigratedPostgres.sessionOn(transactions::current);
    }

    Connection superuser() throws SQLException {
        return DriverManager.getConnection(url, EmbeddedPostgresServer.SUPERUSER, EmbeddedPostgresServer.SUPERUSER);
    }

    Connection app() throws SQLException {
        return DriverManager.getConnection(url, EmbeddedPostgresServer.APP_ROLE, EmbeddedPostgresServer.APP_ROLE);
    }
}
