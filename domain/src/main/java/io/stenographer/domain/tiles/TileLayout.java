package io.stenographer.domain.tiles;

import io.stenographer.domain.merkle.NodeRef;
import io.stenographer.domain.merkle.Hash;
import io.stenographer.domain.merkle.MerkleTree;
import java.util.ArrayList;
import java.util.List;

/** Which tiles a tree of a given size has, and how any perfect subtree's hash is read off one tile. */
public final class TileLayout {

    private TileLayout() {
    }

    /** Whether hashes of this tree level are stored: level 0 (the leaves) and every eighth level above. */
    public static boolean isStoredLevel(int treeLevel) {
        return treeLevel % Tile.HEIGHT == 0;
    }

    /** Every tile of a tree of {@code treeSize} leaves, full and partial, level by level, left to right. */
    public static List<Tile> tilesOf(long treeSize) {
        if (treeSize < 0) {
            throw new IllegalArgumentException("tree size must be >= 0, was " + treeSize);
        }
        List<Tile> tiles = new ArrayList<>();
        for (int level = 0; level * Tile.HEIGHT < 63; level++) {
            long hashes = treeSize >>> (level * Tile.HEIGHT);
            if (hashes == 0) {
                break;
            }
            for (long index = 0; index < hashes / Tile.FULL_WIDTH; index++) {
                tiles.add(Tile.full(level, index));
            }
            int partial = (int) (hashes % Tile.FULL_WIDTH);
            if (partial > 0) {
                tiles.add(new Tile(level, hashes / Tile.FULL_WIDTH, partial));
            }
        }
        return tiles;
    }

    /** Whether {@code tile} exists, at least as wide, in a tree of {@code treeSize} leaves. */
    public static boolean exists(Tile tile, long treeSize) {
        if (tile.treeLevel() >= 63) {
            return false;
        }
        long hashes = treeSize >>> tile.treeLevel();
        return tile.firstHash() + tile.width() <= hashes;
    }

    /** The hash of {@code node}, computed from the hashes of the tile {@link Tile#holding} it (or a wider one). */
    public static Hash nodeHash(NodeRef node, List<Hash> tileHashes) {
        int offset = Tile.offsetOf(node);
        int count = 1 << (node.level() % Tile.HEIGHT);
        if (tileHashes.size() < offset + count) {
            throw new IllegalArgumentException("tile holds " + tileHashes.size() + " hashes, node needs "
                    + (offset + count));
        }
        return MerkleTree.root(tileHashes.subList(offset, offset + count));
    }

    /** The hash one level of tiles up stores for a full tile: the root of its 256 hashes. */
    public static Hash rootOf(List<Hash> fullTile) {
        if (fullTile.size() != Tile.FULL_WIDTH) {
            throw new IllegalArgumentException("only full tiles are hashed into the level above");
        }
        return MerkleTree.root(fullTile);
    }

    /** A tile's bytes: its hashes concatenated, 32 bytes each. */
    public static byte[] encode(List<Hash> hashes) {
        byte[] bytes = new byte[hashes.size() * Hash.LENGTH];
        for (int i = 0; i < hashes.size(); i++) {
            System.arraycopy(hashes.get(i).bytes(), 0, bytes, i * Hash.LENGTH, Hash.LENGTH);
        }
        return bytes;
    }

    /** Reads a tile's bytes back; {@code width} is what its path says. */
    public static List<Hash> decode(byte[] bytes, int width) {
        if (bytes.length != width * Hash.LENGTH) {
            throw new IllegalArgumentException("a tile of width " + width + " is " + width * Hash.LENGTH
                    + " bytes, got " + bytes.length);
        }
        List<Hash> hashes = new ArrayList<>(width);
        for (int i = 0; i < width; i++) {
            byte[] hash = new byte[Hash.LENGTH];
            System.arraycopy(bytes, i * Hash.LENGTH, hash, 0, Hash.LENGTH);
            hashes.add(new Hash(hash));
        }
        return hashes;
    }
}
