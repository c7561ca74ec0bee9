package io.stenographer.domain.tiles;

import io.stenographer.domain.merkle.NodeRef;
import io.stenographer.domain.merkle.Hash;
import io.stenographer.domain.merkle.MerkleHashes;
import java.util.ArrayList;
import java.util.List;

/**
 * The perfect subtrees inside one tile, computed once: at most 255 hashes for a full tile, after which every node
 * the tile holds costs a lookup. Proofs for many leaves of one tile (an export, a report) share the work.
 */
public final class TileTree {

    private final Tile tile;
    /** {@code levels.get(h)} holds the tile's perfect subtrees of height h, left to right; level 0 is the tile. */
    private final List<List<Hash>> levels;

    private TileTree(Tile tile, List<List<Hash>> levels) {
        this.tile = tile;
        this.levels = levels;
    }

    /** @param hashes the tile's hashes, exactly {@code tile.width()} of them */
    public static TileTree of(Tile tile, List<Hash> hashes) {
        if (hashes.size() != tile.width()) {
            throw new IllegalArgumentException(tile.path() + " holds " + hashes.size() + " hashes, not "
                    + tile.width());
        }
        List<List<Hash>> levels = new ArrayList<>();
        List<Hash> level = List.copyOf(hashes);
        levels.add(level);
        while (level.size() > 1) {
            List<Hash> above = new ArrayList<>(level.size() / 2);
            for (int i = 0; i + 1 < level.size(); i += 2) {
                above.add(MerkleHashes.nodeHash(level.get(i), level.get(i + 1)));
            }
            level = List.copyOf(above);
            levels.add(level);
        }
        return new TileTree(tile, List.copyOf(levels));
    }

    public Tile tile() {
        return tile;
    }

    public List<Hash> hashes() {
        return levels.get(0);
    }

    /** Whether the tile is wide enough to hold {@code node}. */
    public boolean holds(NodeRef node) {
        Tile needed = Tile.holding(node);
        return needed.level() == tile.level() && needed.index() == tile.index() && needed.width() <= tile.width();
    }

    public Hash hash(NodeRef node) {
        if (!holds(node)) {
            throw new IllegalArgumentException(tile.path() + " does not hold the node at level " + node.level()
                    + ", index " + node.index());
        }
        int height = node.level() % Tile.HEIGHT;
        return levels.get(height).get(Tile.offsetOf(node) >> height);
    }
}
