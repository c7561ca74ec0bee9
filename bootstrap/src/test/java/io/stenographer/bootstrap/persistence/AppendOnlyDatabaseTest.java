package io.stenographer.bootstrap.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.test.junit.QuarkusTest;
import io.stenographer.adapters.persistence.embedded.EmbeddedPostgresServer;
import io.stenographer.application.port.out.LoadEventsPort;
import io.stenographer.application.port.out.TransactionRunner;
import io.stenographer.bootstrap.support.EmbeddedPostgresTestResource;
import io.stenographer.domain.event.Action;
import io.stenographer.domain.event.Actor;
import io.stenographer.domain.event.ActorType;
import io.stenographer.domain.event.AuditEvent;
import io.stenographer.domain.event.EventDraft;
import io.stenographer.domain.event.EventId;
import io.stenographer.domain.event.Outcome;
import io.stenographer.domain.event.ResourceRef;
import io.stenographer.domain.event.Source;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.json.CanonicalJson;
import io.stenographer.domain.json.JsonObject;
import io.stenographer.domain.json.JsonString;
import jakarta.inject.Inject;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Append-only in depth, proven against the real database: the application role lacks the privileges
 * to change history, and even the superuser, who bypasses privileges, is stopped by the triggers.
 * Every superuser attempt runs in a transaction that is rolled back, so a missing trigger fails this
 * test instead of wiping the shared table.
 */
@QuarkusTest
class AppendOnlyDatabaseTest {

    private static final String INSUFFICIENT_PRIVILEGE = "42501";

    @Inject
    LoadEventsPort loadEvents;
    @Inject
    TransactionRunner transactions;

    @Test
    void theApplicationRoleMayOnlyReadAndAppend() throws SQLException {
        try (Connection superuser = server().superuserConnection();
                PreparedStatement privilege = superuser.prepareStatement(
                        "SELECT has_table_privilege(?, 'audit_event', ?)")) {
            Map<String, Boolean> granted = new LinkedHashMap<>();
            for (String kind : new String[] {"SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES",
                    "TRIGGER"}) {
                privilege.setString(1, EmbeddedPostgresServer.APP_ROLE);
                privilege.setString(2, kind);
                try (ResultSet rs = privilege.executeQuery()) {
                    rs.next();
                    granted.put(kind, rs.getBoolean(1));
                }
            }
            assertThat(granted).containsExactly(Map.entry("SELECT", true), Map.entry("INSERT", true),
                    Map.entry("UPDATE", false), Map.entry("DELETE", false), Map.entry("TRUNCATE", false),
                    Map.entry("REFERENCES", false), Map.entry("TRIGGER", false));
            // Not even a column-level UPDATE grant slipped through.
            try (Statement statement = superuser.createStatement();
                    ResultSet rs = statement.executeQuery("SELECT has_any_column_privilege('"
                            + EmbeddedPostgresServer.APP_ROLE + "', 'audit_event', 'UPDATE')")) {
                rs.next();
                assertThat(rs.getBoolean(1)).isFalse();
            }
        }
    }

    @Test
    void theApplicationRoleCanInsertAndSelectButNeverUpdateDeleteOrTruncate() throws SQLException {
        AuditEvent event = newEvent();
        try (Connection app = server().connectionAs(EmbeddedPostgresServer.APP_ROLE)) {
            insert(app, event);
            Map<String, Object> before = row(app, event.id());
            assertThat(before).containsEntry("reason", "original reason")
                    .containsEntry("tenant", event.tenant().value());

            assertPermissionDenied(app, "UPDATE audit_event SET reason = 'rewritten' WHERE id = '" + event.id() + "'");
            assertPermissionDenied(app, "DELETE FROM audit_event WHERE id = '" + event.id() + "'");
            assertPermissionDenied(app, "TRUNCATE audit_event");
            // Nor can it switch the guards off.
            assertSqlState(app, "ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_update_delete",
                    INSUFFICIENT_PRIVILEGE, "must be owner");
            assertSqlState(app, "SET session_replication_role = replica", INSUFFICIENT_PRIVILEGE,
                    "permission denied");

            assertThat(row(app, event.id())).isEqualTo(before);
        }
        assertUnchanged(event);
    }

    @Test
    void evenTheSuperuserIsStoppedByTheTriggers() throws SQLException {
        AuditEvent event = newEvent();
        Map<String, Object> before;
        try (Connection app = server().connectionAs(EmbeddedPostgresServer.APP_ROLE)) {
            insert(app, event);
            before = row(app, event.id());
        }
        try (Connection superuser = server().superuserConnection()) {
            assertRejectedByTrigger(superuser,
                    "UPDATE audit_event SET reason = 'rewritten' WHERE id = '" + event.id() + "'", "UPDATE");
            assertRejectedByTrigger(superuser,
                    "UPDATE audit_event SET leaf_hash = sha256(leaf_hash) WHERE tenant = '" + event.tenant() + "'",
                    "UPDATE");
            assertRejectedByTrigger(superuser, "DELETE FROM audit_event WHERE id = '" + event.id() + "'", "DELETE");
            assertRejectedByTrigger(superuser, "TRUNCATE audit_event", "TRUNCATE");
            assertThat(row(superuser, event.id())).isEqualTo(before);
        }
        assertUnchanged(event);
    }

    @Test
    void thePurgePathRemovesNothingThatIsNotArchived() throws SQLException {
        AuditEvent event = newEvent();
        try (Connection app = server().connectionAs(EmbeddedPostgresServer.APP_ROLE)) {
            insert(app, event);
            Map<String, Object> before = row(app, event.id());
            try (PreparedStatement purge = app.prepareStatement(
                    "SELECT count(*) FROM stenographer_purge_archived_events(?, ARRAY[?]::uuid[])")) {
                purge.setString(1, event.tenant().value());
                purge.setObject(2, event.id().value());
                try (ResultSet rs = purge.executeQuery()) {
                    rs.next();
                    assertThat(rs.getLong(1)).as("an event in no archive segment is never purged").isZero();
                }
            }
            // The function's flag grants nothing by itself: the role still has no DELETE privilege.
            try (Statement statement = app.createStatement()) {
                statement.execute("SET stenographer.purging = 'on'");
            }
            assertPermissionDenied(app, "DELETE FROM audit_event WHERE id = '" + event.id() + "'");
            assertThat(row(app, event.id())).isEqualTo(before);
        }
        try (Connection superuser = server().superuserConnection()) {
            // Only the schema owner, inside the purge function, passes the trigger; the flag alone does not.
            assertRejectedByTrigger(superuser, "SELECT set_config('stenographer.purging', 'on', true); "
                    + "DELETE FROM audit_event WHERE id = '" + event.id() + "'", "DELETE");
        }
        assertUnchanged(event);
    }

    // ---------------------------------------------------------------- helpers

    private void assertUnchanged(AuditEvent event) {
        AuditEvent reloaded = transactions.inTransaction(() -> loadEvents.findById(event.id())).orElseThrow();
        assertThat(reloaded).isEqualTo(event);
        assertThat(reloaded.leafHash()).isEqualTo(event.leafHash());
    }

    private static void assertPermissionDenied(Connection connection, String sql) {
        assertSqlState(connection, sql, INSUFFICIENT_PRIVILEGE, "permission denied for table audit_event");
    }

    private static void assertSqlState(Connection connection, String sql, String sqlState, String message) {
        assertThatThrownBy(() -> {
            try (Statement statement = connection.createStatement()) {
                statement.execute(sql);
            }
        }).as(sql).isInstanceOfSatisfying(SQLException.class, e -> {
            assertThat(e.getSQLState()).as(sql).isEqualTo(sqlState);
            assertThat(e.getMessage()).as(sql).contains(message).doesNotContain("append-only");
        });
    }

    /** The superuser bypasses privileges, so only the trigger can refuse; its message says so. */
    private static void assertRejectedByTrigger(Connection superuser, String sql, String operation)
            throws SQLException {
        superuser.setAutoCommit(false);
        try {
            assertThatThrownBy(() -> {
                try (Statement statement = superuser.createStatement()) {
                    statement.execute(sql);
                }
            }).as(sql).isInstanceOfSatisfying(SQLException.class, e -> {
                assertThat(e.getSQLState()).as(sql).isEqualTo(INSUFFICIENT_PRIVILEGE);
                assertThat(e.getMessage()).as(sql).contains("append-only").contains(operation)
                        .contains("audit_event");
            });
        } finally {
            superuser.rollback();
            superuser.setAutoCommit(true);
        }
    }

    private static AuditEvent newEvent() {
        TenantId tenant = TenantId.of("ao-" + UUID.randomUUID().toString().substring(0, 13));
        Instant now = Instant.parse("2026-02-01T08:30:00.250001Z");
        EventDraft draft = new EventDraft(tenant, new Actor("mallory", ActorType.USER, "Mallory"),
                Action.of("case.view"), new ResourceRef("case", "C-7"), "original reason", Outcome.SUCCESS,
                now.minusSeconds(5), new Source("portal", "198.51.100.7", "curl/8"), "corr-ao",
                new JsonObject(Map.of("why", new JsonString("proof"))), "ao-" + UUID.randomUUID());
        return AuditEvent.record(EventId.newTimeOrdered(now, new SecureRandom()), now, "writer-ao", draft);
    }

    /** A plain SQL insert of a complete, consistent row, as the application role. */
    private static void insert(Connection connection, AuditEvent event) throws SQLException {
        EventDraft c = event.content();
        try (PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO audit_event (id, tenant, received_at, submitted_by, actor_id, actor_type,
                    actor_display_name, action, resource_type, resource_id, reason, outcome, occurred_at,
                    source_application, source_ip, source_user_agent, correlation_id, metadata, client_event_id,
                    leaf_hash)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
            int i = 0;
            insert.setObject(++i, event.id().value());
            insert.setString(++i, c.tenant().value());
            insert.setTimestamp(++i, Timestamp.from(event.receivedAt()));
            insert.setString(++i, event.submittedBy());
            insert.setString(++i, c.actor().id());
            insert.setString(++i, c.actor().type().wireName());
            insert.setString(++i, c.actor().displayName());
            insert.setString(++i, c.action().value());
            insert.setString(++i, c.resource().type());
            insert.setString(++i, c.resource().id());
            insert.setString(++i, c.reason());
            insert.setString(++i, c.outcome().wireName());
            insert.setTimestamp(++i, Timestamp.from(c.occurredAt()));
            insert.setString(++i, c.source().application());
            insert.setString(++i, c.source().ip());
            insert.setString(++i, c.source().userAgent());
            insert.setString(++i, c.correlationId());
            insert.setString(++i, CanonicalJson.canonicalize(c.metadata()));
            insert.setString(++i, c.clientEventId());
            insert.setBytes(++i, event.leafHash().bytes());
            assertThat(insert.executeUpdate()).isEqualTo(1);
        }
    }

    private static Map<String, Object> row(Connection connection, EventId id) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT *, encode(leaf_hash, 'hex') AS leaf_hash_hex FROM audit_event WHERE id = ?")) {
            select.setObject(1, id.value());
            try (ResultSet rs = select.executeQuery()) {
                assertThat(rs.next()).as("row %s exists", id).isTrue();
                ResultSetMetaData meta = rs.getMetaData();
                Map<String, Object> row = new LinkedHashMap<>();
                for (int column = 1; column <= meta.getColumnCount(); column++) {
                    if (!meta.getColumnName(column).equals("leaf_hash")) {
                        row.put(meta.getColumnName(column), rs.getObject(column));
                    }
                }
                assertThat(rs.next()).isFalse();
                return row;
            }
        }
    }

    private static EmbeddedPostgresServer server() {
        return EmbeddedPostgresTestResource.server();
    }
}
