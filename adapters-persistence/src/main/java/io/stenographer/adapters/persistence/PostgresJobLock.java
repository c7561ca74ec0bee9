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

/**
 * A PostgreSQL session advisory lock held on a connection of its own for the whole run, so the job's
 * many short transactions stay outside it. If the instance dies, the connection closes and the lock goes
 * with it.
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

    private record Held(Connection connection, String job) implements JobLock {
        @Override
        public void close() {
            try (PreparedStatement unlock = connection.prepareStatement(
                    "SELECT pg_advisory_unlock(hashtext('stenographer.job'), hashtext(?))")) {
                unlock.setString(1, job);
                unlock.execute();
            } catch (SQLException e) {
                // Closing the connection below ends the session, which releases the lock anyway.
                LOG.warnf("releasing the %s job lock failed (%s); closing its connection releases it", job,
                        e.getMessage());
            } finally {
                closeQuietly(connection);
            }
        }
    }
}
