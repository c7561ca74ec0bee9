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

    DurableDatabaseGuard(DataSource dataSource,
            @ConfigProperty(name = ACCEPT_DATA_LOSS, defaultValue = "false") boolean acceptDataLoss) {
        this.dataSource = dataSource;
        this.acceptDataLoss = acceptDataLoss;
    }

    void onStart(@Observes @Priority(1) StartupEvent startup) {
        List<String> violations;
        try (Connection connection = dataSource.getConnection()) {
            violations = DurabilitySettings.violations(connection);
        } catch (SQLException e) {
            throw new IllegalStateException("Refusing to start: could not read the database's durability settings: "
                    + e.getMessage(), e);
        }
        if (violations.isEmpty()) {
            LOG.info("database durability confirmed: fsync, synchronous_commit and full_page_writes are on");
            return;
        }
        if (acceptDataLoss) {
            LOG.warnf("DATA LOSS ACCEPTED (%s=true): acknowledged events may be lost in a crash: %s",
                    ACCEPT_DATA_LOSS, String.join(", ", violations));
            return;
        }
        throw new IllegalStateException("Refusing to start: the database could lose acknowledged events ("
                + String.join(", ", violations) + "). Turn these settings on for the server, role and database"
                + " the service connects with; " + ACCEPT_DATA_LOSS + "=true overrides this check and accepts"
                + " that receipts may be lost.");
    }
}
