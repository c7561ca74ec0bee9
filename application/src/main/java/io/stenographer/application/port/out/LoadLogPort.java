package io.stenographer.application.port.out;

import io.stenographer.domain.event.AuditEvent;
import io.stenographer.domain.event.EventId;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.log.LogLeaf;
import io.stenographer.domain.log.PublishedCheckpoint;
import io.stenographer.domain.log.StoredLeaf;
import io.stenographer.domain.merkle.Hash;
import io.stenographer.domain.tiles.Tile;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads a tenant's Merkle log: leaves, its tiles and checkpoints. */
public interface LoadLogPort {

    /** Number of leaves stored: one past the highest index. */
    long treeSize(TenantId tenant);

    Optional<PublishedCheckpoint> latestCheckpoint(TenantId tenant);

    /** Each tenant's tree size and latest checkpoint, read together for many tenants at once; every tenant is a key. */
    Map<TenantId, LogHead> heads(Collection<TenantId> tenants);

    /** Where a tenant's log ends: the leaves stored and the latest checkpoint, if any. */
    record LogHead(long treeSize, Optional<PublishedCheckpoint> latest) {
    }

    Optional<PublishedCheckpoint> checkpointAt(TenantId tenant, long treeSize);

    /** The tenant's checkpoints larger than {@code treeSize} (0: every one), oldest first. */
    List<PublishedCheckpoint> checkpointsAbove(TenantId tenant, long treeSize);

    /** The tenant's smallest checkpoint larger than {@code treeSize}: when the leaf at that index was published. */
    Optional<PublishedCheckpoint> firstCheckpointAbove(TenantId tenant, long treeSize);

    /** The tenant's largest checkpoint of a size in {@code (above, atMost]}, if any. */
    Optional<PublishedCheckpoint> lastCheckpointBetween(TenantId tenant, long above, long atMost);

    /**
     * The stored hashes of each requested tile, in one read: leaf hashes for level 0, the stored hashes of tree
     * level {@code 8 * L} for level L. A tile comes back shorter than its width when hashes are missing.
     */
    Map<Tile, List<Hash>> tiles(TenantId tenant, Collection<Tile> tiles);

    Optional<LogLeaf> leafOfEvent(EventId eventId);

    Optional<LogLeaf> leafAt(TenantId tenant, long index);

    Optional<LogLeaf> leafWithHash(TenantId tenant, Hash leafHash);

    /** Number of leaf rows actually stored; differs from {@link #treeSize} only when rows went missing. */
    long leafCount(TenantId tenant);

    /**
     * Stored events of the tenant received since {@code receivedFrom} (by their time-ordered ids, so only the
     * partitions of that period are read) that hold no leaf and are not queued: they bypassed ingest. Pass
     * {@link Instant#EPOCH} for every event.
     */
    List<EventId> eventsOutsideTheLog(TenantId tenant, Instant receivedFrom, int limit);

    /** Tenants that have a log. */
    List<TenantId> tenantsWithLogs();

    /**
     * Leaves with {@code from <= index < to} in index order, each with its stored event read back in the
     * same query: {@code event} is null when the row is missing or was purged after archiving
     * ({@code archivedLeafHash} set), {@code unreadable} says why a row that exists could not be read.
     */
    List<LeafWithEvent> leavesWithEvents(TenantId tenant, long from, long to);

    /**
     * The leaf indices below {@code treeSize} of the tenant's events that occurred in {@code [from, to)}, hot or
     * purged after archiving, ascending: what a report over that period reads, found through the time indexes
     * instead of by scanning the log. At most {@code limit} of them, the lowest.
     */
    long[] leafIndicesOccurredIn(TenantId tenant, Instant from, Instant to, long treeSize, int limit);

    /** As {@link #leavesWithEvents}, for these ascending indices; a missing leaf is simply absent. */
    List<LeafWithEvent> leavesWithEventsAt(TenantId tenant, long[] indices);

    record LeafWithEvent(LogLeaf leaf, AuditEvent event, String unreadable,
            Hash archivedLeafHash) implements StoredLeaf {

        public LeafWithEvent(LogLeaf leaf, AuditEvent event, String unreadable) {
            this(leaf, event, unreadable, null);
        }
    }

    /** Leaves with {@code from <= index < to}, in index order. */
    List<LogLeaf> leaves(TenantId tenant, long from, long to);
}
