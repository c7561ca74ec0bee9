package io.stenographer.adapters.persistence;

import io.stenographer.adapters.persistence.embedded.EmbeddedPostgresServer;
import io.stenographer.domain.event.AuditEvent;
import io.stenographer.domain.event.StoredEventFields;
import io.stenographer.domain.event.TenantId;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A database of its own on the module's embedded server, for tests that need a store nobody else writes to (a
 * partition they can empty, a schema held at an older version), migrated like production as the schema owner.
 */
final class ScratchDatabase {

    private final String url;

    private ScratchDatabase(String url) {
        this.url = url;
    }

    /** A new, empty database migrated up to {@code version} ("latest" for all of it). */
    static ScratchDatabase create(String name, String version) throws SQLException {
        EmbeddedPostgresServer server = MigratedPostgres.server();
        try (Connection superuser = server.superuserConnection(); Statement statement = superuser.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + name);
            statement.execute("CREATE DATABASE " + name + " OWNER " + EmbeddedPostgresServer.OWNER_ROLE);
        }
        ScratchDatabase database = new ScratchDatabase("jdbc:postgresql://127.0.0.1:" + server.port() + "/" + name);
        database.migrate(version);
        return database;
    }

    void migrate(String version) {
        Flyway.configure()
                .dataSource(url, EmbeddedPostgresServer.OWNER_ROLE, EmbeddedPostgresServer.OWNER_ROLE)
                .locations("classpath:db/migration")
                .placeholders(Map.of("app_role", EmbeddedPostgresServer.APP_ROLE,
                        "report_files_retention_floor", "PT1S"))
                .target(version)
                .load()
                .migrate();
    }

    String url() {
        return url;
    }

    /** As the application role, the role the service's pool uses. */
    Connection app() throws SQLException {
        return DriverManager.getConnection(url, EmbeddedPostgresServer.APP_ROLE, EmbeddedPostgresServer.APP_ROLE);
    }

    /** A data source as the application role, for adapters that open their own connections. */
    PGSimpleDataSource appDataSource() {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(url);
        dataSource.setUser(EmbeddedPostgresServer.APP_ROLE);
        dataSource.setPassword(EmbeddedPostgresServer.APP_ROLE);
        return dataSource;
    }

    Connection owner() throws SQLException {
        return DriverManager.getConnection(url, EmbeddedPostgresServer.OWNER_ROLE, EmbeddedPostgresServer.OWNER_ROLE);
    }

    /** Appends each event as the event store writes it, then its leaf, numbering leaves from {@code firstIndex}. */
    static void appendWithLeaves(Connection connection, TenantId tenant, List<AuditEvent> events, long firstIndex)
            throws SQLException {
        long index = firstIndex;
        for (AuditEvent event : events) {
            insertEvents(connection, List.of(event));
            insertLeaf(connection, tenant, index++, event);
        }
    }

    /** The events as the event store writes them, in one batch. */
    static void insertEvents(Connection connection, List<AuditEvent> events) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO audit_event (id, tenant, "
                + "received_at, submitted_by, actor_id, actor_type, actor_display_name, action, resource_type, "
                + "resource_id, reason, outcome, occurred_at, source_application, source_ip, source_user_agent, "
                + "correlation_id, metadata, client_event_id, leaf_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                + "?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (AuditEvent event : events) {
                StoredEventFields f = StoredEventFields.of(event);
                int p = 1;
                insert.setObject(p++, f.id());
                insert.setString(p++, f.tenant());
                insert.setObject(p++, OffsetDateTime.ofInstant(f.receivedAt(), ZoneOffset.UTC));
                for (String text : new String[] {f.submittedBy(), f.actorId(), f.actorType(), f.actorDisplayName(),
                        f.action(), f.resourceType(), f.resourceId(), f.reason(), f.outcome()}) {
                    insert.setString(p++, text);
                }
                insert.setObject(p++, OffsetDateTime.ofInstant(f.occurredAt(), ZoneOffset.UTC));
                for (String text : new String[] {f.sourceApplication(), f.sourceIp(), f.sourceUserAgent(),
                        f.correlationId(), f.metadata(), f.clientEventId()}) {
                    insert.setString(p++, text);
                }
                insert.setBytes(p, event.leafHash().bytes());
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    /** The event's leaf at {@code index} of the tenant's log. */
    static void insertLeaf(Connection connection, TenantId tenant, long index, AuditEvent event) throws SQLException {
        try (PreparedStatement leaf = connection.prepareStatement(
                "INSERT INTO log_leaf (tenant, leaf_index, event_id, leaf_hash) VALUES (?, ?, ?, ?)")) {
            leaf.setString(1, tenant.value());
            leaf.setLong(2, index);
            leaf.setObject(3, event.id().value());
            leaf.setBytes(4, event.leafHash().bytes());
            leaf.executeUpdate();
        }
    }
}
