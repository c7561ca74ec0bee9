package io.stenographer.adapters.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.stenographer.adapters.persistence.embedded.EmbeddedPostgresServer;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The startup check that the serving process cannot alter its schema, against a real server. */
class LeastPrivilegeGuardTest {

    private static EmbeddedPostgresServer server;

    @BeforeAll
    static void start() throws SQLException {
        server = EmbeddedPostgresServer.start(null, 0);
        try (Connection admin = server.superuserConnection(); Statement sql = admin.createStatement()) {
            sql.execute("CREATE ROLE guard_owner LOGIN");
            sql.execute("CREATE ROLE guard_member LOGIN IN ROLE guard_owner");
            sql.execute("CREATE ROLE guard_creator LOGIN");
            sql.execute("GRANT CREATE ON SCHEMA public TO guard_creator");
            sql.execute("CREATE TABLE guarded (id int)");
            sql.execute("ALTER TABLE guarded OWNER TO guard_owner");
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void theApplicationRoleMayServe() throws SQLException {
        try (Connection app = server.connectionAs(EmbeddedPostgresServer.APP_ROLE)) {
            assertThat(LeastPrivilegeGuard.violations(app)).isEmpty();
        }
    }

    @Test
    void aSuperuserIsRefused() throws SQLException {
        try (Connection superuser = server.superuserConnection()) {
            assertThat(LeastPrivilegeGuard.violations(superuser)).contains("is a superuser");
        }
    }

    @Test
    void theOwnerAndMembersOfTheOwnerRoleAreRefused() throws SQLException {
        for (String role : new String[] {"guard_owner", "guard_member"}) {
            try (Connection connection = server.connectionAs(role)) {
                assertThat(LeastPrivilegeGuard.violations(connection)).as(role)
                        .contains("owns the schema's tables (as guard_owner)");
            }
        }
    }

    @Test
    void aRoleThatMayCreateObjectsInTheSchemaIsRefused() throws SQLException {
        try (Connection creator = server.connectionAs("guard_creator")) {
            assertThat(LeastPrivilegeGuard.violations(creator)).containsExactly("may create objects in the schema");
        }
    }
}
