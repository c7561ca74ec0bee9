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
        // Every connection the pool holds was opened by it, so each ran the setting; several at once, so that
        // more than the one it happened to hand out first is looked at.
        try (Connection first = pool.getConnection(); Connection second = pool.getConnection();
                Connection third = pool.getConnection()) {
            assertThat(setting(first)).isEqualTo("10min");
            assertThat(setting(second)).isEqualTo("10min");
            assertThat(setting(third)).isEqualTo("10min");
        }
    }
}
