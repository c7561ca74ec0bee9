package io.stenographer.application.service;

import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.log.PublishedCheckpoint;
import io.stenographer.domain.tiles.Tile;
import io.stenographer.domain.tiles.TileTree;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What of every tenant's log never changes once it exists, kept after its first read: tiles (with the subtrees
 * inside them; a tile of a given width never changes, full or partial) and parsed checkpoints by tree size. Proofs over cached tiles against a cached checkpoint
 * read nothing but the leaf. Bounded; the least recently used entry goes first. Only paths that read committed data
 * fill it: the sequencer reads its own uncommitted rows and must not.
 */
public final class LogCache {

    private record TileKey(TenantId tenant, int level, long index) {
    }

    private record CheckpointKey(TenantId tenant, long treeSize) {
    }

    private final Map<TileKey, TileTree> tiles;
    private final Map<CheckpointKey, PublishedCheckpoint> checkpoints;

    /** @param capacity tiles kept (about 16 KiB each), and as many checkpoints (under 1 KiB each) */
    public LogCache(int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity must be >= 0, was " + capacity);
        }
        this.tiles = leastRecentlyUsed(capacity);
        this.checkpoints = leastRecentlyUsed(capacity);
    }

    public static LogCache none() {
        return new LogCache(0);
    }

    private static <K, V> Map<K, V> leastRecentlyUsed(int capacity) {
        return new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > capacity;
            }
        };
    }

    /** The tile as read before, when it was read at least as wide as {@code tile}: its prefix is the same. */
    synchronized Optional<TileTree> tile(TenantId tenant, Tile tile) {
        TileTree known = tiles.get(new TileKey(tenant, tile.level(), tile.index()));
        return known != null && known.tile().width() >= tile.width() ? Optional.of(known) : Optional.empty();
    }

    /**
     * Keeps the widest version of each tile. A partial tile never changes either: its first W hashes are those of
     * every later, wider version, so the right edge of the tree stays cached until the tree grows past it.
     */
    synchronized void putIfWider(TenantId tenant, TileTree tree) {
        TileKey key = new TileKey(tenant, tree.tile().level(), tree.tile().index());
        TileTree known = tiles.get(key);
        if (known == null || known.tile().width() < tree.tile().width()) {
            tiles.put(key, tree);
        }
    }

    synchronized Optional<PublishedCheckpoint> checkpoint(TenantId tenant, long treeSize) {
        return Optional.ofNullable(checkpoints.get(new CheckpointKey(tenant, treeSize)));
    }

    synchronized void put(PublishedCheckpoint checkpoint) {
        checkpoints.put(new CheckpointKey(checkpoint.tenant(), checkpoint.treeSize()), checkpoint);
    }

    synchronized int tiles() {
        return tiles.size();
    }
}
