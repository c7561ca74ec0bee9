package io.stenographer.application.service;

import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.tiles.Tile;
import io.stenographer.domain.tiles.TileTree;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Full tiles of every tenant's tree, with the subtrees inside them, kept after their first read: a full tile never
 * changes, so proofs over the upper levels cost no read at all. Bounded; the least recently used tile goes first.
 * Only paths that read committed data fill it: the sequencer reads its own uncommitted rows and must not.
 */
public final class TileCache {

    private record Key(TenantId tenant, int level, long index) {
    }

    private final int capacity;
    private final Map<Key, TileTree> tiles;

    /** @param capacity tiles kept; each is about 16 KiB of hashes */
    public TileCache(int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity must be >= 0, was " + capacity);
        }
        this.capacity = capacity;
        this.tiles = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, TileTree> eldest) {
                return size() > TileCache.this.capacity;
            }
        };
    }

    public static TileCache none() {
        return new TileCache(0);
    }

    /** The full tile, when it was read before; it serves any narrower request for the same tile. */
    synchronized Optional<TileTree> get(TenantId tenant, Tile tile) {
        return Optional.ofNullable(tiles.get(new Key(tenant, tile.level(), tile.index())));
    }

    synchronized void putIfFull(TenantId tenant, TileTree tree) {
        if (capacity > 0 && tree.tile().isFull()) {
            tiles.put(new Key(tenant, tree.tile().level(), tree.tile().index()), tree);
        }
    }

    synchronized int size() {
        return tiles.size();
    }
}
