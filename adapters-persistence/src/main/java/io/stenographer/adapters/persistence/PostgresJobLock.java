package io.stenographer.adapters.persistence;

import io.stenographer.application.port.out.LockJobPort;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import javax.sql.DataSource;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;

/**
 * A PostgreSQL session advisory lock held on a connection of its own for the whole run, so the job's
 * many short transactions stay outside it. If the instance dies, the connection closes and the lock goes
 * with it. The connection comes from the pool, and a session lock outlives a connection handed back to a
 * pool, so at the end the connection is aborted, not returned: its session ends, and the lock with it, even
 * when the unlock statement failed.
 */
@ApplicationScoped
public class PostgresJobLock implements LockJobPort {

    private static final Logger LOG = Logger.getLogger(PostgresJobLock.class);

    private final DataSource dataSource;

    PostgresJobLock(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public Optional<JobLock> tryLock(String job) {
        Connection connection = null;
        try {
            connection = dataSource.getConnection();
            connection.setAutoCommit(true);
            try (PreparedStatement lock = connection.prepareStatement(
                    "SELECT pg_try_advisory_lock(hashtext('stenographer.job'), hashtext(?))")) {
                lock.setString(1, job);
                try (ResultSet rs = lock.executeQuery()) {
                    rs.next();
                    if (rs.getBoolean(1)) {
                        return Optional.of(new Held(connection, job));
                    }
                }
            }
            connection.close();
            return Optional.empty();
        } catch (SQLException e) {
            closeQuietly(connection);
            throw new IllegalStateException("could not take the " + job + " job lock: " + e.getMessage(), e);
        }
    }

    private static void closeQuietly(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                LOG.debugf("closing the job-lock connection failed: %s", e.getMessage());
            }
        }
    }

    /**
     * Closes the physical connection under the pool's wrapper, so the database session and its locks end; the pool
     * then discards the closed connection (it is validated on borrow).
     */
    private static void endSession(Connection connection) {
        try {
            ((Connection) connection.unwrap(PGConnection.class)).close();
        } catch (SQLException | RuntimeException e) {
            LOG.warnf("ending the job-lock session failed (%s); closing the connection instead", e.getMessage());
        }
        closeQuietly(connection);
    }

    private record Held(Connection connection, String job) implements JobLock {
        @Override
        public void close() {
            try (PreparedStatement unlock = connection.prepareStatement(
                    "SELECT pg_advisory_unlock(hashtext('stenographer.job'), hashtext(?))")) {
                unlock.setString(1, job);
                unlock.execute();
            } catch (SQLException e) {
                LOG.warnf("releasing the %s job lock failed (%s); ending its session releases it", job,
                        e.getMessage());
            } finally {
                endSession(connection);
            }
        }
    }
}
