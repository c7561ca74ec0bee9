package io.stenographer.adapters.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.hibernate.Session;

/** Plain JDBC on the current transaction's connection, for adapters that write or read many small rows. */
final class Jdbc {

    interface Binder {
        void bind(PreparedStatement statement) throws SQLException;
    }

    interface RowReader<T> {
        T read(ResultSet row) throws SQLException;
    }

    private final Session session;

    Jdbc(Session session) {
        this.session = session;
    }

    <T> List<T> query(String sql, Binder binder, RowReader<T> reader) {
        return session.doReturningWork((Connection connection) -> {
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                binder.bind(statement);
                List<T> rows = new ArrayList<>();
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        rows.add(reader.read(rs));
                    }
                }
                return rows;
            }
        });
    }

    /** Hands each row to {@code consumer} as it is read, keeping none (for results too large to collect). */
    void each(String sql, Binder binder, RowConsumer consumer) {
        session.doReturningWork((Connection connection) -> {
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                binder.bind(statement);
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        consumer.accept(rs);
                    }
                }
                return null;
            }
        });
    }

    @FunctionalInterface
    interface RowConsumer {
        void accept(ResultSet rs) throws SQLException;
    }

    <T> Optional<T> first(String sql, Binder binder, RowReader<T> reader) {
        List<T> rows = query(sql, binder, reader);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    /** Calls a database function for its effect (a function that returns void yields one ignored row). */
    void call(String sql, Binder binder) {
        session.doWork((Connection connection) -> {
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                binder.bind(statement);
                statement.execute();
            }
        });
    }

    int update(String sql, Binder binder) {
        return session.doReturningWork((Connection connection) -> {
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                binder.bind(statement);
                return statement.executeUpdate();
            }
        });
    }

    /** Runs one statement once per item, sent to the server in JDBC batches. */
    <T> void batch(String sql, List<T> items, ItemBinder<T> binder) {
        session.doWork(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                int pending = 0;
                for (T item : items) {
                    binder.bind(statement, item);
                    statement.addBatch();
                    if (++pending == 1000) {
                        statement.executeBatch();
                        pending = 0;
                    }
                }
                if (pending > 0) {
                    statement.executeBatch();
                }
            }
        });
    }

    interface ItemBinder<T> {
        void bind(PreparedStatement statement, T item) throws SQLException;
    }
}
