package io.stenographer.adapters.persistence;

import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
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
        List<String> violations = StartupRefusal.enforce(dataSource, DurabilitySettings::violations,
                "the database's durability settings", acceptDataLoss, ACCEPT_DATA_LOSS,
                "the database could lose acknowledged events. Turn these settings on for the server, role and"
                        + " database the service connects with; overriding accepts that receipts may be lost",
                "DATA LOSS ACCEPTED: acknowledged events may be lost in a crash", LOG);
        if (violations.isEmpty()) {
            LOG.info("database durability confirmed: fsync, synchronous_commit and full_page_writes are on");
        }
    }
}
