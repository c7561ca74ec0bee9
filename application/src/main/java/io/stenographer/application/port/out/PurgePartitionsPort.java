package io.stenographer.application.port.out;

import io.stenographer.domain.event.EventId;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.retention.RetentionSubject;
import java.time.Instant;
import java.util.List;

/**
 * Purge by the month: the hot store keeps each month of receipts in a partition of its own, and a partition whose
 * every event the caller released leaves the store whole. The database refuses the drop unless every event in it is
 * archived in a confirmed segment, with its leaf in the log, and under no hold; the caller judges retention periods.
 */
public interface PurgePartitionsPort {

    /** Partitions that receive no more events (their month ended before {@code now}), oldest first. */
    List<HotPartition> partitionsEndedBefore(Instant now);

    /**
     * What the partition holds, grouped by what decides an event's policy and due date: tenant, action and
     * resource type, with the latest receipt and the number of events. Whether they are archived is for
     * {@link #drop} to check, in the same pass that drops.
     */
    List<PartitionKind> kindsOf(HotPartition partition);

    /** Up to {@code limit} of the partition's events with ids after {@code after} (null: from the first), by id. */
    List<PartitionEvent> eventsOf(HotPartition partition, EventId after, int limit);

    /**
     * Drops the partition with every event in it, in one transaction of its own.
     *
     * @return the purged leaves, as contiguous index ranges per tenant
     * @throws PartitionKept when the database refuses (an event not archived or held) or the store is too busy
     */
    List<PurgedRange> drop(HotPartition partition);

    /** @param fromId the first id it holds, or null from the lowest */
    record HotPartition(String name, EventId fromId, EventId toId, Instant receivedTo) {
    }

    /** @param resourceType null for events without a resource */
    record PartitionKind(TenantId tenant, String action, String resourceType, Instant latestReceivedAt, long events) {
    }

    record PartitionEvent(EventId id, RetentionSubject subject, boolean archived) {
    }

    record PurgedRange(TenantId tenant, long first, long last) {
    }

    /** The database kept the partition; the per-event purge still handles its released events. */
    final class PartitionKept extends RuntimeException {
        public PartitionKept(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
