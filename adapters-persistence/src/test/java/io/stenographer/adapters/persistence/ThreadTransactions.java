package io.stenographer.adapters.persistence;

import io.stenographer.application.port.out.TransactionRunner;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.Supplier;

/**
 * The tests' transaction runner: one database transaction per call on a connection of its own, held by the calling
 * thread; commits when the work returns, rolls back when it throws. Like the production runner, a call inside a
 * running transaction joins it.
 */
final class ThreadTransactions implements TransactionRunner {

    interface Connect {
        Connection open() throws SQLException;
    }

    private final Connect connect;
    private final ThreadLocal<Connection> current = new ThreadLocal<>();

    ThreadTransactions(Connect connect) {
        this.connect = connect;
    }

    @Override
    public <T> T inTransaction(Supplier<T> work) {
        if (current.get() != null) {
            return work.get();
        }
        try (Connection connection = connect.open()) {
            connection.setAutoCommit(false);
            current.set(connection);
            try {
                T result = work.get();
                connection.commit();
                return result;
            } catch (RuntimeException | Error e) {
                connection.rollback();
                throw e;
            } finally {
                current.remove();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("test transaction failed: " + e.getMessage(), e);
        }
    }

    /** This thread's transaction's connection. */
    Connection current() {
        Connection connection = current.get();
        if (connection == null) {
            throw new IllegalStateException("JDBC work outside a transaction");
        }
        return connection;
    }
}
