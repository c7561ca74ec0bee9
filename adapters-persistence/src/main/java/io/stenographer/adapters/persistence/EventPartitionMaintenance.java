package io.stenographer.adapters.persistence;

import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Keeps the event store's monthly partitions created ahead of the clock, through the narrow
 * {@code stenographer_ensure_event_partitions} (V15): the application role cannot create tables. Missing months cost
 * nothing but efficiency, because the default partition takes any event beyond them; so a failure here is logged,
 * never fatal. Runs at startup and on {@code stenographer.storage.partitions-cron}.
 */
@ApplicationScoped
public class EventPartitionMaintenance {

    public static final String MONTHS_AHEAD = "stenographer.storage.partition-months-ahead";
    private static final Logger LOG = Logger.getLogger(EventPartitionMaintenance.class);

    private final DataSource dataSource;
    private final int monthsAhead;

    EventPartitionMaintenance(DataSource dataSource,
            @ConfigProperty(name = MONTHS_AHEAD, defaultValue = "3") int monthsAhead) {
        if (monthsAhead < 1 || monthsAhead > 23) {
            throw new IllegalArgumentException(MONTHS_AHEAD + " must be 1..23, was " + monthsAhead);
        }
        this.dataSource = dataSource;
        this.monthsAhead = monthsAhead;
    }

    void onStart(@Observes @Priority(3) StartupEvent startup) {
        ensureAhead();
    }

    /** Creates the months up to {@code monthsAhead} from now; answers how many it created, or -1 when it failed. */
    public int ensureAhead() {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement ensure = connection.prepareStatement(
                        "SELECT stenographer_ensure_event_partitions(now() + make_interval(months => ?))")) {
            ensure.setInt(1, monthsAhead);
            try (ResultSet created = ensure.executeQuery()) {
                created.next();
                int count = created.getInt(1);
                if (count > 0) {
                    LOG.infof("created %d monthly partition(s) of the event store", count);
                }
                return count;
            }
        } catch (SQLException e) {
            LOG.warnf("could not create the event store's next partitions (SQLState %s): %s; new events go to the"
                    + " default partition until a later attempt succeeds", e.getSQLState(), e.getMessage());
            return -1;
        }
    }
}
