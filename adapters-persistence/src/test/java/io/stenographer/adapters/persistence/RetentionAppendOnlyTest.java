package io.stenographer.adapters.persistence;

import io.stenographer.adapters.persistence.embedded.EmbeddedPostgresServer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Policy versions, retirements, holds and releases are evidence too: the application role may only read and
 * append them, and the triggers stop even the superuser from rewriting or removing them.
 */
class RetentionAppendOnlyTest {

    private static final String INSUFFICIENT_PRIVILEGE = "42501";

    @ParameterizedTest(name = "{0}: SELECT and INSERT only")
    @ValueSource(strings = {"retention_policy_version", "retention_policy_retirement", "legal_hold",
            "legal_hold_release"})
    void theApplicationRoleMayOnlyReadAndAppend(String table) throws SQLException {
        try (Connection superuser = server().superuserConnection();
                PreparedStatement privilege = superuser.prepareStatement("SELECT has_table_privilege(?, ?, ?)")) {
            Map<String, Boolean> granted = new LinkedHashMap<>();
            for (String kind : new String[] {"SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES",
                    "TRIGGER"}) {
                privilege.setString(1, EmbeddedPostgresServer.APP_ROLE);
                privilege.setString(2, table);
                privilege.setString(3, kind);
                try (ResultSet rs = privilege.executeQuery()) {
                    rs.next();
                    granted.put(kind, rs.getBoolean(1));
                }
            }
            // Holds are placed directly; releases and policy changes only through functions that check them (V8).
            assertThat(granted).containsExactly(Map.entry("SELECT", true), Map.entry("INSERT", table.equals("legal_hold")),
                    Map.entry("UPDATE", false), Map.entry("DELETE", false), Map.entry("TRUNCATE", false),
                    Map.entry("REFERENCES", false), Map.entry("TRIGGER", false));
        }
    }

    @org.junit.jupiter.api.Test
    void rowsCannotBeChangedOrRemovedByTheAppRoleNorByTheSuperuser() throws SQLException {
        String tenant = "ao-" + UUID.randomUUID().toString().substring(0, 13);
        UUID hold = UUID.randomUUID();
        // table -> (where clause selecting the test's row, a text column to rewrite)
        Map<String, String[]> rows = new LinkedHashMap<>();
        rows.put("retention_policy_version", new String[] {"tenant = '" + tenant + "'", "legal_basis"});
        rows.put("retention_policy_retirement", new String[] {"tenant = '" + tenant + "'", "retired_by"});
        rows.put("legal_hold", new String[] {"id = '" + hold + "'", "reason"});
        rows.put("legal_hold_release", new String[] {"hold_id = '" + hold + "'", "reason"});
        // The rows are set up as the owner: the app role writes three of them only through checking functions.
        try (Connection app = server().connectionAs(EmbeddedPostgresServer.APP_ROLE);
                Connection owner = server().superuserConnection();
                Statement setup = owner.createStatement()) {
            setup.execute("INSERT INTO retention_policy_version (tenant, policy_id, version, archive_after,"
                    + " retain_for, legal_basis, created_by, created_at) VALUES ('" + tenant
                    + "', 'p', 1, 'P1D', 'P7Y', 'basis', 'admin', now())");
            setup.execute("INSERT INTO retention_policy_retirement (tenant, policy_id, version, retired_by,"
                    + " retired_at) VALUES ('" + tenant + "', 'p', 1, 'admin', now())");
            setup.execute("INSERT INTO legal_hold (id, tenant, reason, placed_by, placed_at) VALUES ('" + hold
                    + "', '" + tenant + "', 'litigation', 'counsel', now())");
            setup.execute("INSERT INTO legal_hold_release (hold_id, released_by, released_at, reason) VALUES ('"
                    + hold + "', 'counsel', now(), 'done')");

            for (Map.Entry<String, String[]> row : rows.entrySet()) {
                String table = row.getKey();
                String where = row.getValue()[0];
                String denied = "permission denied for table " + table;
                assertSqlState(app, "UPDATE " + table + " SET " + row.getValue()[1] + " = 'rewritten' WHERE " + where,
                        denied);
                assertSqlState(app, "DELETE FROM " + table + " WHERE " + where, denied);
                assertSqlState(app, "TRUNCATE " + table + " CASCADE", denied);
            }
        }
        try (Connection superuser = server().superuserConnection()) {
            superuser.setAutoCommit(false);
            for (Map.Entry<String, String[]> row : rows.entrySet()) {
                String table = row.getKey();
                String where = row.getValue()[0];
                for (String sql : new String[] {
                        "UPDATE " + table + " SET " + row.getValue()[1] + " = 'rewritten' WHERE " + where,
                        "DELETE FROM " + table + " WHERE " + where,
                        "TRUNCATE " + table + " CASCADE"}) {
                    try {
                        // The superuser bypasses privileges; only the trigger can refuse, and says why.
                        assertSqlState(superuser, sql, "append-only");
                    } finally {
                        superuser.rollback();
                    }
                }
            }
            superuser.setAutoCommit(true);
            for (Map.Entry<String, String[]> row : rows.entrySet()) {
                try (Statement statement = superuser.createStatement();
                        ResultSet rs = statement.executeQuery("SELECT count(*) FROM " + row.getKey() + " WHERE "
                                + row.getValue()[0] + " AND " + row.getValue()[1] + " <> 'rewritten'")) {
                    rs.next();
                    assertThat(rs.getInt(1)).as(row.getKey() + " row still there, unchanged").isEqualTo(1);
                }
            }
        }
    }

    private static void assertSqlState(Connection connection, String sql, String message) {
        assertThatThrownBy(() -> {
            try (Statement statement = connection.createStatement()) {
                statement.execute(sql);
            }
        }).as(sql).isInstanceOfSatisfying(SQLException.class, e -> {
            assertThat(e.getSQLState()).as(sql).isEqualTo(INSUFFICIENT_PRIVILEGE);
            assertThat(e.getMessage()).as(sql).contains(message);
        });
    }

    private static EmbeddedPostgresServer server() {
        return MigratedPostgres.server();
    }
}
