package io.stenographer.adapters.persistence;

import static io.stenographer.adapters.persistence.SinkSamples.hmac;
import static io.stenographer.adapters.persistence.SinkSamples.now;
import static io.stenographer.adapters.persistence.SinkSamples.tenant;
import static io.stenographer.adapters.persistence.SinkSamples.webhook;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stenographer.adapters.persistence.embedded.EmbeddedPostgresServer;
import io.stenographer.domain.sink.Sink;
import io.stenographer.domain.sink.SinkProgress;
import io.stenographer.domain.sink.WebhookSecret;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What V20 itself enforces, whatever the adapter does: the application role deletes and truncates nothing and
 * updates only the columns that change after creation; even the superuser cannot delete a sink's row or change a
 * deleted one; and the checks refuse inconsistent progress.
 */
class PostgresSinksSchemaTest {

    private static final String INSUFFICIENT_PRIVILEGE = "42501";
    private static final String CHECK_VIOLATION = "23514";

    private ReportsDatabase database;
    private Sink hook;
    private String where;

    @BeforeEach
    void sink() throws SQLException {
        database = ReportsDatabase.fresh("sinks_schema");
        PostgresSinks sinks = new PostgresSinks(database.session());
        WebhookSecret secret = hmac();
        hook = webhook(tenant(), "hook", List.of(secret), now());
        database.transactions().inTransaction(() -> {
            sinks.insert(hook, List.of(secret), SinkProgress.startingAt(10));
            return null;
        });
        where = " WHERE id = '" + hook.id() + "'";
    }

    @Test
    void theApplicationRoleDeletesNothingAndChangesOnlyWhatChangesAfterCreation() throws SQLException {
        try (Connection superuser = database.superuser()) {
            for (String table : List.of("stream_sink", "stream_sink_secret")) {
                Map<String, Boolean> granted = new LinkedHashMap<>();
                for (String kind : List.of("SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES",
                        "TRIGGER")) {
                    granted.put(kind, query(superuser, "SELECT has_table_privilege(?, ?, ?)",
                            EmbeddedPostgresServer.APP_ROLE, table, kind));
                }
                assertThat(granted).as(table).containsExactly(Map.entry("SELECT", true), Map.entry("INSERT", true),
                        Map.entry("UPDATE", false), Map.entry("DELETE", false), Map.entry("TRUNCATE", false),
                        Map.entry("REFERENCES", false), Map.entry("TRIGGER", false));
            }
            for (String column : List.of("id", "tenant", "name", "transport", "target_url", "target_servers",
                    "target_topic", "target_address", "kafka_tls", "format", "batch_size", "checkpoint_every",
                    "dead_after", "ocsf_mapping", "created_at", "created_by", "updated_at")) {
                assertThat(query(superuser, "SELECT has_column_privilege(?, 'stream_sink', ?, 'UPDATE')",
                        EmbeddedPostgresServer.APP_ROLE, column)).as("UPDATE of " + column).isFalse();
            }
            for (String column : List.of("state", "cursor", "lease_owner", "lease_until", "generation",
                    "secret_fingerprints")) {
                assertThat(query(superuser, "SELECT has_column_privilege(?, 'stream_sink', ?, 'UPDATE')",
                        EmbeddedPostgresServer.APP_ROLE, column)).as("UPDATE of " + column).isTrue();
            }
            assertThat(query(superuser, "SELECT has_column_privilege(?, 'stream_sink_secret', 'sink_id', 'UPDATE')",
                    EmbeddedPostgresServer.APP_ROLE)).isFalse();
        }
        String secretWhere = " WHERE sink_id = '" + hook.id() + "'";
        try (Connection app = database.app()) {
            for (String sql : List.of("DELETE FROM stream_sink" + where, "DELETE FROM stream_sink_secret" + secretWhere,
                    "TRUNCATE stream_sink_secret", "TRUNCATE stream_sink CASCADE",
                    "UPDATE stream_sink SET tenant = 'other'" + where,
                    "UPDATE stream_sink SET target_url = 'https://evil.example.com/'" + where,
                    "UPDATE stream_sink_secret SET sink_id = gen_random_uuid()" + secretWhere)) {
                assertSqlState(app, sql, INSUFFICIENT_PRIVILEGE, "permission denied");
            }
        }
        assertThat(count("SELECT count(*) FROM stream_sink" + where)).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM stream_sink_secret" + " WHERE sink_id = '" + hook.id()
                + "' AND secret IS NOT NULL")).isEqualTo(1);
    }

    @Test
    void evenTheSuperuserCannotRemoveASinksRowNorChangeADeletedOne() throws SQLException {
        try (Connection superuser = database.superuser()) {
            assertRefusedAndRolledBack(superuser, "DELETE FROM stream_sink" + where, "row stays");
            assertRefusedAndRolledBack(superuser, "TRUNCATE stream_sink CASCADE", "row stays");
            try (Statement sql = superuser.createStatement()) {
                sql.execute("UPDATE stream_sink SET state = 'deleted'" + where);
            }
            assertRefusedAndRolledBack(superuser, "UPDATE stream_sink SET state = 'active'" + where, "is deleted");
            assertRefusedAndRolledBack(superuser, "UPDATE stream_sink SET target_url = 'https://x.example.com/'"
                    + where, "is deleted");
        }
    }

    @Test
    void theChecksRefuseInconsistentProgress() throws SQLException {
        try (Connection app = database.app()) {
            assertSqlState(app, "UPDATE stream_sink SET checkpoint_from = cursor + 1" + where, CHECK_VIOLATION,
                    "check constraint");
            assertSqlState(app, "UPDATE stream_sink SET checkpoint_from = -1" + where, CHECK_VIOLATION,
                    "check constraint");
            assertSqlState(app, "UPDATE stream_sink SET inflight_from = cursor + 1, inflight_to = cursor + 5" + where,
                    CHECK_VIOLATION, "check constraint");
            assertSqlState(app, "UPDATE stream_sink SET inflight_from = cursor" + where, CHECK_VIOLATION,
                    "check constraint");
            assertSqlState(app, "UPDATE stream_sink SET inflight_from = cursor, inflight_to = cursor + 5,"
                    + " inflight_checkpoint_size = cursor + 4" + where, CHECK_VIOLATION, "check constraint");
            assertSqlState(app, "UPDATE stream_sink SET lease_owner = 'x'" + where, CHECK_VIOLATION,
                    "check constraint");
            assertSqlState(app, "UPDATE stream_sink SET state = 'paused', lease_owner = 'x',"
                    + " lease_until = now() + interval '1 minute'" + where, CHECK_VIOLATION, "check constraint");
            assertSqlState(app, "UPDATE stream_sink SET state = 'gone'" + where, CHECK_VIOLATION, "check constraint");
            assertSqlState(app, "UPDATE stream_sink SET attempts = -1" + where, CHECK_VIOLATION, "check constraint");
        }
        try (Connection superuser = database.superuser()) {
            // kafka_tls belongs to Kafka sinks: a webhook always uses TLS, and the column stays false for it (V21)
            assertSqlState(superuser, "UPDATE stream_sink SET kafka_tls = true" + where, CHECK_VIOLATION,
                    "stream_sink_kafka_tls_check");
        }
        try (Connection app = database.app()) {
            assertSqlState(app, "UPDATE stream_sink SET cursor = 5, checkpoint_from = 5" + where, CHECK_VIOLATION,
                    "moves back only with a new generation");
            assertSqlState(app, "UPDATE stream_sink SET generation = generation - 1" + where, CHECK_VIOLATION,
                    "never goes back");
            assertSqlState(app, "UPDATE stream_sink_secret SET secret = 'plaintext' WHERE sink_id = '" + hook.id()
                    + "'", CHECK_VIOLATION, "check constraint");
            // A row written by hand with its cursor below where the next checkpoint starts.
            assertSqlState(app, """
                    INSERT INTO stream_sink (id, tenant, name, transport, target_address, format, batch_size,
                        checkpoint_every_records, checkpoint_every, dead_after, max_message_bytes, state, created_at,
                        created_by, cursor, checkpoint_from, records_since_checkpoint, delivered, failed, attempts,
                        next_attempt_at)
                    VALUES (gen_random_uuid(), 'acme', 'raw', 'syslog', 'h.example.com:6514', 'cef', 1, 1,
                        interval '10 seconds', interval '1 day', 2048, 'active', now(), 'x', 3, 5, 0, 0, 0, 0, now())
                    """, CHECK_VIOLATION, "check constraint");
            // The replay path itself passes: the cursor moves back with a new generation.
            try (Statement sql = app.createStatement()) {
                assertThat(sql.executeUpdate("UPDATE stream_sink SET cursor = 5, checkpoint_from = 5,"
                        + " generation = generation + 1" + where)).isEqualTo(1);
            }
        }
    }

    private void assertSqlState(Connection connection, String sql, String state, String message) {
        assertThatThrownBy(() -> {
            try (Statement statement = connection.createStatement()) {
                statement.execute(sql);
            }
        }).as(sql).isInstanceOfSatisfying(SQLException.class, e -> {
            assertThat(e.getSQLState()).isEqualTo(state);
            assertThat(e.getMessage()).contains(message);
        });
    }

    /** Each attempt in a transaction that is rolled back, so a missing guard fails the test, not the data. */
    private void assertRefusedAndRolledBack(Connection superuser, String sql, String message) throws SQLException {
        superuser.setAutoCommit(false);
        try {
            assertSqlState(superuser, sql, INSUFFICIENT_PRIVILEGE, message);
        } finally {
            superuser.rollback();
            superuser.setAutoCommit(true);
        }
    }

    private boolean query(Connection connection, String sql, String... parameters) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                query.setString(i + 1, parameters[i]);
            }
            try (ResultSet rs = query.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    private long count(String sql) throws SQLException {
        try (Connection superuser = database.superuser(); Statement statement = superuser.createStatement();
                ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
