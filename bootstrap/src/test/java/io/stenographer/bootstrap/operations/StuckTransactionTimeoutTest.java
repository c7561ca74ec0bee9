package io.stenographer.bootstrap.operations;

import static org.assertj.core.api.Assertions.assertThat;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/**
 * Every connection of the pool ends a transaction left idle past {@code stenographer.database.idle-in-transaction-
 * timeout}: an instance frozen half-way through one no longer holds the sequencer's lock (and the hold tables') until
 * the operating system notices, about two hours.
 */
@QuarkusTest
class StuckTransactionTimeoutTest {

    @Inject
    AgroalDataSource pool;

    private String setting(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SHOW idle_in_transaction_session_timeout")) {
            row.next();
            return row.getString(1);
        }
    }

    @Test
    void everyPooledConnectionEndsATransactionLeftIdleForTenMinutes() throws SQLException {
        try (Connection first = pool.getConnection()) {
            assertThat(setting(first)).isEqualTo("10min");
        }
        // New sessions too, not only the one the pool happened to hand out.
        pool.flush(AgroalDataSource.FlushMode.ALL);
        try (Connection fresh = pool.getConnection(); Connection another = pool.getConnection()) {
            assertThat(setting(fresh)).isEqualTo("10min");
            assertThat(setting(another)).isEqualTo("10min");
        }
    }
}
