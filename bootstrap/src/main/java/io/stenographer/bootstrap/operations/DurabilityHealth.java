package io.stenographer.bootstrap.operations;

import io.quarkus.scheduler.Scheduled;
import io.stenographer.adapters.persistence.DurableDatabaseGuard;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * The database's durability settings, checked again while the service runs (the start-up check refuses to start on
 * them): not ready, and ingest refused, while fsync, synchronous_commit or full_page_writes would lose a commit.
 */
@Readiness
@ApplicationScoped
public class DurabilityHealth extends DetailedHealthCheck {

    static final String NAME = "database-durability";

    private final DurableDatabaseGuard guard;

    DurabilityHealth(DurableDatabaseGuard guard) {
        this.guard = guard;
    }

    @Scheduled(every = "${stenographer.database.durability-check-every:30s}", delayed = "30s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void recheck() {
        guard.recheck();
    }

    @Override
    public HealthCheckResponse detailed() {
        List<String> violations = guard.violations();
        if (violations.isEmpty()) {
            return HealthCheckResponse.named(NAME).up().build();
        }
        return HealthCheckResponse.named(NAME).down().withData("reason", "commits may be lost: "
                + String.join(", ", violations)).build();
    }
}
