package io.stenographer.bootstrap.persistence;

import io.quarkus.test.junit.QuarkusTest;
import io.stenographer.adapters.persistence.PostgresJobLock;
import io.stenographer.application.port.out.LockJobPort.JobLock;
import io.stenographer.bootstrap.support.Await;
import io.stenographer.bootstrap.support.EmbeddedPostgresTestResource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The job lock is a session advisory lock on a pooled connection. Handing that connection back to the pool would
 * keep the session, and the lock with it whenever the unlock failed; so the lock's session must end on release.
 */
@QuarkusTest
class JobLockTest {

    private final PostgresJobLock locks;

    JobLockTest(PostgresJobLock locks) {
        this.locks = locks;
    }

    @Test
    void releasingEndsTheSessionThatHeldTheLockSoNothingCanLeak() throws SQLException {
        String job = "lock-test-" + UUID.randomUUID();
        Optional<JobLock> lock = locks.tryLock(job);
        assertThat(lock).isPresent();
        Integer holder = holderOf(job);
        assertThat(holder).as("a session holds the advisory lock").isNotNull();
        assertThat(locks.tryLock(job)).as("a second instance is refused while it is held").isEmpty();

        lock.get().close();

        // The server ends a backend shortly after its socket closes; a connection returned to the pool never ends.
        Await.until("the session that held the lock to end", Await.DEADLINE, () -> !sessionAlive(holder));
        assertThat(holderOf(job)).as("the lock is free").isNull();
        Optional<JobLock> again = locks.tryLock(job);
        assertThat(again).isPresent();
        again.get().close();
    }

    private static Integer holderOf(String job) throws SQLException {
        try (Connection db = EmbeddedPostgresTestResource.server().superuserConnection();
                PreparedStatement query = db.prepareStatement("""
                        SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND objsubid = 2 AND granted
                          AND classid::text::bigint = (hashtext('stenographer.job')::bigint & 4294967295)
                          AND objid::text::bigint = (hashtext(?)::bigint & 4294967295)""")) {
            query.setString(1, job);
            try (ResultSet rs = query.executeQuery()) {
                return rs.next() ? rs.getInt(1) : null;
            }
        }
    }

    private static boolean sessionAlive(int pid) {
        try (Connection db = EmbeddedPostgresTestResource.server().superuserConnection();
                PreparedStatement query = db.prepareStatement("SELECT count(*) FROM pg_stat_activity WHERE pid = ?")) {
            query.setInt(1, pid);
            try (ResultSet rs = query.executeQuery()) {
                rs.next();
                return rs.getInt(1) > 0;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
