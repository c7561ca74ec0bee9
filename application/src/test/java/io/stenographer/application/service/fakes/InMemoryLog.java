package io.stenographer.application.service.fakes;

import io.stenographer.application.port.out.LoadLeafFieldsPort;
import io.stenographer.application.port.out.BrowseCheckpointsPort;
import io.stenographer.application.port.out.LoadLogPort;
import io.stenographer.domain.checkpoint.Checkpoint;
import io.stenographer.domain.checkpoint.Ed25519Keys;
import io.stenographer.domain.checkpoint.NoteSigner;
import io.stenographer.domain.checkpoint.SignedNote;
import io.stenographer.domain.event.AuditEvent;
import io.stenographer.domain.event.EventId;
import io.stenographer.domain.event.StoredEventFields;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.log.LogLeaf;
import io.stenographer.domain.log.PublishedCheckpoint;
import io.stenographer.domain.merkle.Hash;
import io.stenographer.domain.tiles.Tile;
import io.stenographer.domain.merkle.InMemoryMerkleTree;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Tenants' logs built from real sealed events: an {@link InMemoryMerkleTree} per tenant, leaves, the hot
 * store's copy of each event (removed when purged) and Ed25519-signed checkpoints. Every read must run
 * inside a {@link FakeTransactionRunner} transaction.
 */
public final class InMemoryLog implements LoadLogPort, LoadLeafFieldsPort, BrowseCheckpointsPort {

    private static final class TenantLog {
        final InMemoryMerkleTree tree = new InMemoryMerkleTree();
        final List<LogLeaf> leaves = new ArrayList<>();
        final List<PublishedCheckpoint> checkpoints = new ArrayList<>();
    }

    private final FakeTransactionRunner transactions;
    private final NoteSigner signer = new NoteSigner("stenographer.test/log", Ed25519Keys.generate().getPrivate());
    private final Map<TenantId, TenantLog> logs = new LinkedHashMap<>();
    /** The hot store: events still held in the database, by id. */
    private final Map<EventId, AuditEvent> hot = new HashMap<>();
    /** When each event occurred, kept after a purge as archived_event keeps it. */
    private final Map<EventId, Instant> occurred = new HashMap<>();
    /** Stored tile hashes an insider overwrote, by tenant, tree level and index. */
    private final Map<String, Hash> tileOverrides = new HashMap<>();

    public InMemoryLog(FakeTransactionRunner transactions) {
        this.transactions = transactions;
    }

    /** Integrates the event into its tenant's log and keeps it in the hot store; returns its leaf. */
    public LogLeaf append(AuditEvent event) {
        TenantLog log = logs.computeIfAbsent(event.tenant(), t -> new TenantLog());
        long index = log.tree.append(event.leafHash());
        LogLeaf leaf = new LogLeaf(event.tenant(), index, event.id(), event.leafHash());
        log.leaves.add(leaf);
        hot.put(event.id(), event);
        occurred.put(event.id(), event.content().occurredAt());
        return leaf;
    }

    /** The sequencer's write: a leaf for an event this log does not hold in its hot store. */
    public LogLeaf appendLeaf(TenantId tenant, EventId eventId, Hash leafHash) {
        TenantLog log = logs.computeIfAbsent(tenant, t -> new TenantLog());
        LogLeaf leaf = new LogLeaf(tenant, log.tree.append(leafHash), eventId, leafHash);
        log.leaves.add(leaf);
        return leaf;
    }

    /** The sequencer's write: a checkpoint signed elsewhere. */
    public void addCheckpoint(PublishedCheckpoint checkpoint) {
        logs.computeIfAbsent(checkpoint.tenant(), t -> new TenantLog()).checkpoints.add(checkpoint);
    }

    /** Signs and publishes a checkpoint over the tenant's whole tree. */
    public PublishedCheckpoint publishCheckpoint(TenantId tenant, Instant at) {
        return publishCheckpoint(tenant, at, signer);
    }

    /** Publishes a checkpoint over the tenant's whole tree signed by the given keys (several: a cosigned one). */
    public PublishedCheckpoint publishCheckpoint(TenantId tenant, Instant at, NoteSigner... signers) {
        TenantLog log = logs.get(tenant);
        Checkpoint checkpoint = Checkpoint.of("stenographer.test/" + tenant.value(), log.tree.size(), log.tree.root());
        SignedNote note = signers[0].sign(checkpoint.body());
        for (int i = 1; i < signers.length; i++) {
            note = note.withSignature(signers[i].signature(checkpoint.body()));
        }
        PublishedCheckpoint published = new PublishedCheckpoint(tenant, checkpoint, note.serialize(), at);
        log.checkpoints.add(published);
        return published;
    }

    /** The key {@link #publishCheckpoint(TenantId, Instant)} signs with. */
    public NoteSigner signer() {
        return signer;
    }

    /** The tree's root over its first {@code size} leaves. */
    public Hash root(TenantId tenant, long size) {
        return logs.get(tenant).tree.root(size);
    }

    /** Tampering in the database: the stored event changes, its leaf does not. */
    public void replaceHotEvent(EventId id, AuditEvent changed) {
        if (hot.replace(id, changed) == null) {
            throw new IllegalArgumentException("no hot event " + id);
        }
    }

    /** Tampering with the tree's leaf row: the leaf hash at {@code index} changes. */
    public void replaceLeafHash(TenantId tenant, long index, Hash hash) {
        TenantLog log = logs.get(tenant);
        LogLeaf leaf = log.leaves.get((int) index);
        log.leaves.set((int) index, new LogLeaf(tenant, index, leaf.eventId(), hash));
    }

    public boolean isHot(EventId id) {
        return hot.containsKey(id);
    }

    public Optional<AuditEvent> hotEvent(EventId id) {
        return Optional.ofNullable(hot.get(id));
    }

    /** Every event in the hot store. */
    Collection<AuditEvent> hotEvents() {
        return List.copyOf(hot.values());
    }

    /** Removes an event from the hot store (only the purge fake calls this). */
    void removeHot(EventId id) {
        hot.remove(id);
    }

    @Override
    public long treeSize(TenantId tenant) {
        requireTransaction();
        return logs.containsKey(tenant) ? logs.get(tenant).tree.size() : 0;
    }

    @Override
    public Optional<PublishedCheckpoint> latestCheckpoint(TenantId tenant) {
        requireTransaction();
        TenantLog log = logs.get(tenant);
        return log == null || log.checkpoints.isEmpty() ? Optional.empty()
                : Optional.of(log.checkpoints.get(log.checkpoints.size() - 1));
    }

    @Override
    public Map<TenantId, LogHead> heads(Collection<TenantId> tenants) {
        Map<TenantId, LogHead> heads = new HashMap<>();
        tenants.forEach(tenant -> heads.put(tenant, new LogHead(treeSize(tenant), latestCheckpoint(tenant))));
        return heads;
    }

    @Override
    public Optional<PublishedCheckpoint> checkpointAt(TenantId tenant, long treeSize) {
        return checkpointsAbove(tenant, 0).stream().filter(c -> c.treeSize() == treeSize).findFirst();
    }

    @Override
    public Optional<PublishedCheckpoint> firstCheckpointAbove(TenantId tenant, long treeSize) {
        return checkpointsAbove(tenant, treeSize).stream().findFirst();
    }

    @Override
    public Optional<PublishedCheckpoint> lastCheckpointBetween(TenantId tenant, long above, long atMost) {
        return checkpointsAbove(tenant, above).stream().filter(c -> c.treeSize() <= atMost)
                .reduce((first, second) -> second);
    }

    @Override
    public List<PublishedCheckpoint> checkpointsAbove(TenantId tenant, long treeSize) {
        requireTransaction();
        return logs.containsKey(tenant)
                ? logs.get(tenant).checkpoints.stream().filter(c -> c.treeSize() > treeSize).toList()
                : List.of();
    }

    @Override
    public List<PublishedCheckpoint> newestBelow(TenantId tenant, long belowSize, int limit) {
        List<PublishedCheckpoint> below = new ArrayList<>(checkpointsAbove(tenant, 0).stream()
                .filter(c -> c.treeSize() < belowSize).toList());
        java.util.Collections.reverse(below);
        return below.subList(0, Math.min(limit, below.size()));
    }

    /** Tampering with a stored tile: the hash of the perfect subtree {@code index} at tree {@code level} changes. */
    public void overwriteTileHash(TenantId tenant, int level, long index, Hash hash) {
        tileOverrides.put(tenant.value() + "/" + level + "/" + index, hash);
    }

    @Override
    public Map<Tile, List<Hash>> tiles(TenantId tenant, Collection<Tile> tiles) {
        // The stored tile hashes are those of the tree itself, unless overwritten.
        TenantLog log = logs.get(tenant);
        Map<Tile, List<Hash>> found = new HashMap<>();
        for (Tile tile : tiles) {
            List<Hash> hashes = new ArrayList<>();
            long span = 1L << tile.treeLevel();
            for (long i = tile.firstHash(); i < tile.firstHash() + tile.width(); i++) {
                if (log != null && (i + 1) * span <= log.tree.size()) {
                    Hash overwritten = tileOverrides.get(tenant.value() + "/" + tile.treeLevel() + "/" + i);
                    hashes.add(overwritten != null ? overwritten : log.tree.subtreeHash(i * span, (i + 1) * span));
                }
            }
            found.put(tile, hashes);
        }
        return found;
    }

    @Override
    public Optional<LogLeaf> leafOfEvent(EventId eventId) {
        requireTransaction();
        return logs.values().stream().flatMap(log -> log.leaves.stream())
                .filter(leaf -> leaf.eventId().equals(eventId)).findFirst();
    }

    @Override
    public Optional<LogLeaf> leafAt(TenantId tenant, long index) {
        requireTransaction();
        List<LogLeaf> leaves = logs.containsKey(tenant) ? logs.get(tenant).leaves : List.of();
        return index >= 0 && index < leaves.size() ? Optional.of(leaves.get((int) index)) : Optional.empty();
    }

    @Override
    public Optional<LogLeaf> leafWithHash(TenantId tenant, Hash leafHash) {
        requireTransaction();
        return leaves(tenant, 0, Long.MAX_VALUE).stream().filter(l -> l.leafHash().equals(leafHash)).findFirst();
    }

    @Override
    public long leafCount(TenantId tenant) {
        return treeSize(tenant);
    }

    @Override
    public List<EventId> eventsOutsideTheLog(TenantId tenant, Instant receivedFrom, int limit) {
        requireTransaction();
        return List.of();
    }

    @Override
    public List<TenantId> tenantsWithLogs() {
        requireTransaction();
        return List.copyOf(logs.keySet());
    }

    @Override
    public List<LeafWithEvent> leavesWithEvents(TenantId tenant, long from, long to) {
        return leaves(tenant, from, to).stream()
                .map(leaf -> new LeafWithEvent(leaf, hot.get(leaf.eventId()), null,
                        hot.containsKey(leaf.eventId()) ? null : leaf.leafHash()))
                .toList();
    }

    @Override
    public long[] leafIndicesOccurredIn(TenantId tenant, Instant from, Instant to, long treeSize, int limit) {
        requireTransaction();
        return leaves(tenant, 0, treeSize).stream()
                .filter(leaf -> occurred.containsKey(leaf.eventId()))
                .filter(leaf -> !occurred.get(leaf.eventId()).isBefore(from)
                        && occurred.get(leaf.eventId()).isBefore(to))
                .mapToLong(LogLeaf::index).limit(limit).toArray();
    }

    @Override
    public List<LeafWithEvent> leavesWithEventsAt(TenantId tenant, long[] indices) {
        requireTransaction();
        List<LeafWithEvent> rows = new ArrayList<>();
        for (long index : indices) {
            rows.addAll(leavesWithEvents(tenant, index, index + 1));
        }
        return rows;
    }

    /** As the adapter: outside any transaction, in consecutive ranges of at most {@code maxRows} leaves. */
    @Override
    public void streamLeavesWithFields(TenantId tenant, long from, long to, int maxRows, long maxBytes,
            LeafRanges ranges) {
        List<LogLeaf> all = logs.containsKey(tenant) ? logs.get(tenant).leaves : List.of();
        for (long start = from; start < to; start += maxRows) {
            long end = Math.min(to, start + maxRows);
            List<LeafFields> rows = all.subList((int) Math.min(start, all.size()), (int) Math.min(end, all.size()))
                    .stream()
                    .map(leaf -> hot.containsKey(leaf.eventId())
                            ? new LeafFields(leaf, StoredEventFields.of(hot.get(leaf.eventId())), null)
                            : new LeafFields(leaf, null, leaf.leafHash()))
                    .toList();
            if (!ranges.next(start, end, rows)) {
                return;
            }
        }
    }

    @Override
    public List<LogLeaf> leaves(TenantId tenant, long from, long to) {
        requireTransaction();
        List<LogLeaf> leaves = logs.containsKey(tenant) ? logs.get(tenant).leaves : List.of();
        return List.copyOf(leaves.subList((int) Math.min(from, leaves.size()), (int) Math.min(to, leaves.size())));
    }

    private void requireTransaction() {
        if (transactions.current() == 0) {
            throw new IllegalStateException("the log was read outside a transaction");
        }
    }
}
