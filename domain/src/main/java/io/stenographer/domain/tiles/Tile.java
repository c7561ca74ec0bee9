package io.stenographer.domain.tiles;

import io.stenographer.domain.merkle.NodeRef;

/**
 * One tile of a C2SP tlog-tiles log: {@code width} consecutive hashes at tree level {@code 8 * level}, starting at
 * hash {@code index * 256} of that tree level. A full tile is 256 hashes wide and never changes; the rightmost tile
 * of each level is partial while the tree grows.
 */
public record Tile(int level, long index, int width) {

    /** Tree levels per tile: a tile is a perfect subtree of height 8 whose leaves are the hashes it holds. */
    public static final int HEIGHT = 8;
    public static final int FULL_WIDTH = 1 << HEIGHT;
    /** The spec allows tile levels 0..63 in paths; trees of at most 2^63 leaves only ever reach level 7. */
    public static final int MAX_LEVEL = 63;

    public Tile {
        if (level < 0 || level > MAX_LEVEL) {
            throw new IllegalArgumentException("tile level must be 0.." + MAX_LEVEL + ", was " + level);
        }
        if (index < 0) {
            throw new IllegalArgumentException("tile index must be >= 0, was " + index);
        }
        if (width < 1 || width > FULL_WIDTH) {
            throw new IllegalArgumentException("tile width must be 1.." + FULL_WIDTH + ", was " + width);
        }
    }

    public static Tile full(int level, long index) {
        return new Tile(level, index, FULL_WIDTH);
    }

    public boolean isFull() {
        return width == FULL_WIDTH;
    }

    /** The tree level of the hashes this tile holds. */
    public int treeLevel() {
        return level * HEIGHT;
    }

    /** Index, at {@link #treeLevel()}, of the first hash in the tile. */
    public long firstHash() {
        return index * FULL_WIDTH;
    }

    /**
     * The smallest tile that holds {@code node}: the node is the root of {@code 2^(level mod 8)} consecutive hashes
     * of the tile level below it, and those never straddle two tiles because their count divides 256.
     */
    public static Tile holding(NodeRef node) {
        int above = node.level() % HEIGHT;
        long first = node.index() << above;
        int offset = (int) (first % FULL_WIDTH);
        return new Tile(node.level() / HEIGHT, first / FULL_WIDTH, offset + (1 << above));
    }

    /** Position of {@code node}'s first hash in {@link #holding(NodeRef)}. */
    public static int offsetOf(NodeRef node) {
        return (int) ((node.index() << (node.level() % HEIGHT)) % FULL_WIDTH);
    }

    /** The same tile at {@code newWidth}, for merging requests for its prefixes. */
    public Tile withWidth(int newWidth) {
        return new Tile(level, index, newWidth);
    }

    /** Path relative to the log's prefix: {@code tile/<L>/<N>[.p/<W>]}. */
    public String path() {
        return "tile/" + level + "/" + TilePath.encodeIndex(index) + (isFull() ? "" : ".p/" + width);
    }

    /** Path of the entry bundle for the same leaves, for level-0 tiles: {@code tile/entries/<N>[.p/<W>]}. */
    public String entriesPath() {
        if (level != 0) {
            throw new IllegalStateException("entry bundles exist only beside level-0 tiles");
        }
        return "tile/entries/" + TilePath.encodeIndex(index) + (isFull() ? "" : ".p/" + width);
    }
}
