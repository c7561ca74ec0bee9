package io.stenographer.adapters.persistence;

import io.stenographer.adapters.persistence.embedded.EmbeddedPostgresServer;
import io.stenographer.application.port.out.TransactionRunner;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.function.Supplier;
import org.flywaydb.core.Flyway;
import org.hibernate.Session;
import org.hibernate.exception.GenericJDBCException;
import org.hibernate.jdbc.ReturningWork;
import org.hibernate.jdbc.Work;

/**
 * A real PostgreSQL 17 for this module's tests, set up as production sets it up: one embedded server per test
 * JVM (started on first use, stopped by the JVM's shutdown hook that {@link EmbeddedPostgresServer#start}
 * registers), migrated by Flyway as the schema owner with {@code ${app_role}} bound to the application role, and
 * used by the adapters as that application role.
 *
 * <p>The adapters that work on the transaction's connection through {@link Jdbc} get {@link #session()}: it
 * hands them the connection of the transaction {@link #transactions()} runs on this thread, as Quarkus's
 * Hibernate session hands them the JTA transaction's connection. (Adapters that use Panache cannot run here:
 * Quarkus generates those methods at build time; their tests are {@code @QuarkusTest}s in {@code bootstrap}.)
 */
final class MigratedPostgres {

    private static EmbeddedPostgresServer server;
    private static final ThreadTransactions TRANSACTIONS = new ThreadTransactions(MigratedPostgres::appConnection);

    private MigratedPostgres() {
    }

    /** The server, started and migrated on first use. */
    static synchronized EmbeddedPostgresServer server() {
        if (server == null) {
            EmbeddedPostgresServer started = EmbeddedPostgresServer.start(null, 0);
            Flyway.configure()
                    .dataSource(started.jdbcUrl(), EmbeddedPostgresServer.OWNER_ROLE, EmbeddedPostgresServer.OWNER_ROLE)
                    .locations("classpath:db/migration")
                    .placeholders(Map.of("app_role", EmbeddedPostgresServer.APP_ROLE,
                            "report_files_retention_floor", "PT1S"))
                    .load()
                    .migrate();
            server = started;
        }
        return server;
    }

    /** A new connection as the application role, the role the service's pool uses. */
    static Connection appConnection() throws SQLException {
        return server().connectionAs(EmbeddedPostgresServer.APP_ROLE);
    }

    /**
     * One database transaction per call, as the application role: commits when the work returns, rolls back when
     * it throws. Like the production runner, a call inside a running transaction joins it.
     */
    static TransactionRunner transactions() {
        return TRANSACTIONS;
    }

    /** The Hibernate session the {@link Jdbc} adapters are built with: only its JDBC work methods answer. */
    static Session session() {
        return sessionOn(TRANSACTIONS::current);
    }

    /** A session whose JDBC work runs on the connection {@code connection} supplies at the time. */
    static Session sessionOn(Supplier<Connection> connection) {
        return (Session) Proxy.newProxyInstance(MigratedPostgres.class.getClassLoader(), new Class<?>[] {Session.class},
                (proxy, method, args) -> {
                    try {
                        switch (method.getName()) {
                            case "doWork":
                                ((Work) args[0]).execute(connection.get());
                                return null;
                            case "doReturningWork":
                                return ((ReturningWork<?>) args[0]).execute(connection.get());
                            case "toString":
                                return "MigratedPostgres.session()";
                            case "hashCode":
                                return System.identityHashCode(proxy);
                            case "equals":
                                return proxy == args[0];
                            default:
                                throw new UnsupportedOperationException("the test session only runs JDBC work: "
                                        + method.getName());
                        }
                    } catch (SQLException e) {
                        // As Hibernate's session does: SQL errors reach the adapter unchecked, the cause kept.
                        throw new GenericJDBCException("JDBC work failed: " + e.getMessage(), e);
                    }
                });
    }
}
