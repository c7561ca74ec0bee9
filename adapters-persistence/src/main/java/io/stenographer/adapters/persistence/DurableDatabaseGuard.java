package io.stenographer.adapters.persistence;

import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * A receipt promises the event is on disk. Before anything else starts, this reads the durability
 * settings through the application's own pool and refuses to start if any could lose a commit. The only
 * way past it is {@code stenographer.database.accept-data-loss=true}, which says so in the log.
 */
@ApplicationScoped
public class DurableDatabaseGuard {

    public static final String ACCEPT_DATA_LOSS = "stenographer.database.accept-data-loss";
    private static final Logger LOG = Logger.getLogger(DurableDatabaseGuard.class);

    private final DataSource dataSource;
    private final boolean acceptDataLoss;
    /** What the last check found; empty while every setting keeps commits on disk (or data loss was accepted). */
    private volatile List<String> violations = List.of();

    DurableDatabaseGuard(DataSource dataSource,
            @ConfigProperty(name = ACCEPT_DATA_LOSS, defaultValue = "false") boolean acceptDataLoss) {
        this.dataSource = dataSource;
        this.acceptDataLoss = acceptDataLoss;
    }

    void onStart(@Observes @Priority(1) StartupEvent startup) {
        List<String> violations = StartupRefusal.enforce(dataSource, DurabilitySettings::violations,
                "the database's durability settings", acceptDataLoss, ACCEPT_DATA_LOSS,
                "the database could lose acknowledged events. Turn these settings on for the server, role and"
                        + " database the service connects with; overriding accepts that receipts may be lost",
                "DATA LOSS ACCEPTED: acknowledged events may be lost in a crash", LOG);
        if (violations.isEmpty()) {
            LOG.info("database durability confirmed: fsync, synchronous_commit and full_page_writes are on");
        }
    }

    /**
     * Reads the settings again, as the pool's connections see them now: a server reloaded with fsync turned off, or a
     * role or database altered after the start, must not go on receiving events under a promise it cannot keep.
     * Until a check finds them durable again, {@link #violations()} is not empty and ingest is refused. A failed read
     * changes nothing (the database being unreachable is the readiness check's business).
     *
     * @return what this check found
     */
    public List<String> recheck() {
        if (acceptDataLoss) {
            return List.of();
        }
        List<String> found;
        try (Connection connection = dataSource.getConnection()) {
            found = List.copyOf(DurabilitySettings.violations(connection));
        } catch (SQLException e) {
            LOG.debugf("durability settings not read: %s", e.getMessage());
            return violations;
        }
        if (!found.equals(violations)) {
            if (found.isEmpty()) {
                LOG.info("database durability restored: events are accepted again");
            } else {
                LOG.errorf("DATABASE DURABILITY LOST, events are refused until it is restored: %s",
                        String.join(", ", found));
            }
        }
        violations = found;
        return found;
    }

    /** What the last check found to lose commits; empty when none. */
    public List<String> violations() {
        return violations;
    }
}
