package io.stenographer.application.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.merkle.Hash;
import io.stenographer.domain.merkle.MerkleHashes;
import io.stenographer.domain.tiles.Tile;
import io.stenographer.domain.tiles.TileTree;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogCacheTest {

    private static final TenantId ACME = TenantId.of("acme");
    private static final TenantId OTHER = TenantId.of("other");

    @Test
    void aTileServesItsOwnWidthAndNarrowerNeverWider() {
        LogCache cache = new LogCache(8);
        cache.putIfWider(ACME, tree(new Tile(0, 3, 10)));

        assertThat(cache.tile(ACME, new Tile(0, 3, 10))).isPresent();
        assertThat(cache.tile(ACME, new Tile(0, 3, 4))).isPresent();
        assertThat(cache.tile(ACME, new Tile(0, 3, 11))).as("wider than what was read").isEmpty();
        assertThat(cache.tile(ACME, Tile.full(0, 3))).isEmpty();
        assertThat(cache.tile(OTHER, new Tile(0, 3, 4))).as("another tenant's tile").isEmpty();
        assertThat(cache.tile(ACME, new Tile(1, 3, 4))).as("another level").isEmpty();
    }

    @Test
    void theWidestVersionIsKept() {
        LogCache cache = new LogCache(8);
        cache.putIfWider(ACME, tree(new Tile(0, 0, 200)));
        cache.putIfWider(ACME, tree(new Tile(0, 0, 20)));
        assertThat(cache.tile(ACME, new Tile(0, 0, 200))).get().extracting(t -> t.tile().width()).isEqualTo(200);
        cache.putIfWider(ACME, tree(Tile.full(0, 0)));
        assertThat(cache.tile(ACME, Tile.full(0, 0))).isPresent();
    }

    @Test
    void theLeastRecentlyUsedTileGoesFirstAndNoneKeepsNothing() {
        LogCache cache = new LogCache(2);
        cache.putIfWider(ACME, tree(Tile.full(0, 0)));
        cache.putIfWider(ACME, tree(Tile.full(0, 1)));
        cache.tile(ACME, Tile.full(0, 0));
        cache.putIfWider(ACME, tree(Tile.full(0, 2)));
        assertThat(cache.tile(ACME, Tile.full(0, 0))).isPresent();
        assertThat(cache.tile(ACME, Tile.full(0, 1))).isEmpty();
        LogCache none = LogCache.none();
        none.putIfWider(ACME, tree(Tile.full(0, 0)));
        assertThat(none.tile(ACME, new Tile(0, 0, 1))).isEmpty();
    }

    private static TileTree tree(Tile tile) {
        List<Hash> hashes = new ArrayList<>();
        for (int i = 0; i < tile.width(); i++) {
            hashes.add(MerkleHashes.leafHash(new byte[] {(byte) i}));
        }
        return TileTree.of(tile, hashes);
    }
}
