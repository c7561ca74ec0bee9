package io.stenographer.bootstrap.jobs;

import io.quarkus.scheduler.Scheduled;
import io.stenographer.adapters.persistence.EventPartitionMaintenance;
import jakarta.enterprise.context.ApplicationScoped;

/** Creates the event store's coming months ahead of time, on every instance (the database serialises it). */
@ApplicationScoped
public class StorageMaintenanceTrigger {

    private final EventPartitionMaintenance partitions;

    StorageMaintenanceTrigger(EventPartitionMaintenance partitions) {
        this.partitions = partitions;
    }

    @Scheduled(identity = "event-partitions", cron = "${stenographer.storage.partitions-cron}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void createComingMonths() {
        partitions.ensureAhead();
    }
}
