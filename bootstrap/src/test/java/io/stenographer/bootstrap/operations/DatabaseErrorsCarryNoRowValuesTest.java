package io.stenographer.bootstrap.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A database error the service meets carries no row values in its message: for a unique violation PostgreSQL's
 * DETAIL quotes the key ("Key (tenant, field)=(...) already exists"), and keys such as a client's idempotency key or
 * an actor id can be personal. Messages reach the log and job runs; the pool's driver leaves the DETAIL out.
 */
@QuarkusTest
class DatabaseErrorsCarryNoRowValuesTest {

    @Inject
    AgroalDataSource pool;

    private static String serverSetting(Connection connection, String name) throws SQLException {
        try (PreparedStatement show = connection.prepareStatement("SELECT current_setting(?)")) {
            show.setString(1, name);
            try (java.sql.ResultSet row = show.executeQuery()) {
                row.next();
                return row.getString(1);
            }
        }
    }

    @Test
    void aUniqueViolationSaysWhatFailedButNotTheValues() throws SQLException {
        String canary = "jane.canary-" + UUID.randomUUID();
        try (Connection connection = pool.getConnection()) {
            connection.setAutoCommit(false);
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO tenant_identifier_form (tenant, field, pseudonymised) VALUES (?, 'actor.id', false)")) {
                insert.setString(1, canary);
                insert.executeUpdate();
                SQLException refused = catchThrowableOfType(SQLException.class, insert::executeUpdate);

                assertThat(refused.getSQLState()).isEqualTo("23505");
                assertThat(refused.getMessage()).contains("duplicate key").doesNotContain(canary);
                assertThat(String.valueOf(refused)).doesNotContain(canary);
            } finally {
                connection.rollback();
                connection.setAutoCommit(true);
            }
            // Nor does the embedded server's own log, which is part of the service's output.
            assertThat(serverSetting(connection, "log_error_verbosity")).isEqualTo("terse");
        }
    }
}
