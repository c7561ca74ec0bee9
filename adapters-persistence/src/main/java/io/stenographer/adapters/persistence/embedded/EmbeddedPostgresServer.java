package io.stenographer.adapters.persistence.embedded;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

/**
 * A real PostgreSQL 17 server run from Maven-provided binaries, for the embedded default run and the
 * tests. It creates the same two roles a production installation has: an owner that runs the
 * migrations, and the application role that may only read and append.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

    public static final String DATABASE = "stenographer";
    public static final String OWNER_ROLE = "stenographer_owner";
    public static final String APP_ROLE = "stenographer_app";
    public static final String SUPERUSER = "postgres";

    private final EmbeddedPostgres postgres;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /**
     * Starts a server on {@code dataDirectory}, which keeps its data across restarts, or on a fresh
     * throw-away directory when {@code dataDirectory} is null. Port 0 picks a free port.
     */
    public static EmbeddedPostgresServer start(Path dataDirectory, int port) {
        try {
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setServerConfig("max_connections", "200")
                    .setServerConfig("listen_addresses", "127.0.0.1");
            if (dataDirectory != null) {
                builder.setDataDirectory(dataDirectory).setCleanDataDirectory(false);
            }
            if (port > 0) {
                builder.setPort(port);
            }
            EmbeddedPostgresServer server = new EmbeddedPostgresServer(builder.start());
            server.createRolesAndDatabase();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start embedded PostgreSQL", e);
        } catch (SQLException e) {
            throw new IllegalStateException("could not prepare embedded PostgreSQL", e);
        }
    }

    public int port() {
        return postgres.getPort();
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port() + "/" + DATABASE;
    }

    /** The pool's URL: batched inserts are rewritten into multi-row INSERTs, which ingest is made of. */
    public String applicationJdbcUrl() {
        return jdbcUrl() + "?reWriteBatchedInserts=true";
    }

    /** Connection settings for Quarkus: the app role for the pool, the owner for Flyway. */
    public Map<String, String> quarkusConfig() {
        return Map.of(
                "quarkus.datasource.jdbc.url", applicationJdbcUrl(),
                "quarkus.datasource.username", APP_ROLE,
                "quarkus.datasource.password", APP_ROLE,
                "quarkus.flyway.jdbc-url", jdbcUrl(),
                "quarkus.flyway.username", OWNER_ROLE,
                "quarkus.flyway.password", OWNER_ROLE);
    }

    /** A connection as the superuser, for tests that must prove even it cannot rewrite history. */
    public Connection superuserConnection() throws SQLException {
        return postgres.getDatabase(SUPERUSER, DATABASE).getConnection();
    }

    public Connection connectionAs(String role) throws SQLException {
        return postgres.getDatabase(role, DATABASE).getConnection();
    }

    private void createRolesAndDatabase() throws SQLException {
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            // Embedded servers trust local connections; the passwords only matter once md5/scram is on.
            createRoleIfMissing(connection, statement, OWNER_ROLE);
            createRoleIfMissing(connection, statement, APP_ROLE);
            try (PreparedStatement exists = connection.prepareStatement(
                    "SELECT 1 FROM pg_database WHERE datname = ?")) {
                exists.setString(1, DATABASE);
                try (ResultSet rs = exists.executeQuery()) {
                    if (!rs.next()) {
                        statement.execute("CREATE DATABASE " + DATABASE + " OWNER " + OWNER_ROLE);
                    }
                }
            }
        }
    }

    private static void createRoleIfMissing(Connection connection, Statement statement, String role)
            throws SQLException {
        try (PreparedStatement exists = connection.prepareStatement("SELECT 1 FROM pg_roles WHERE rolname = ?")) {
            exists.setString(1, role);
            try (ResultSet rs = exists.executeQuery()) {
                if (!rs.next()) {
                    statement.execute("CREATE ROLE " + role + " LOGIN PASSWORD '" + role + "'");
                }
            }
        }
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
