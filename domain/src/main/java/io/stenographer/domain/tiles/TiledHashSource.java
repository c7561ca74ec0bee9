package io.stenographer.domain.tiles;

import io.stenographer.domain.merkle.NodeRef;
import io.stenographer.domain.merkle.Hash;
import io.stenographer.domain.merkle.MerkleTree;
import io.stenographer.domain.merkle.SubtreeHashSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Subtree hashes read off tiles, for proofs over a log that is only available as tiles (a directory, a URL). Tiles
 * are read at full width when the tree has them full, so one read serves every node inside; each tile is read once.
 */
public final class TiledHashSource implements SubtreeHashSource {

    /** Reads one tile; its hashes are exactly {@code tile.width()} long or the read fails. */
    @FunctionalInterface
    public interface TileReader {
        List<Hash> read(Tile tile);
    }

    private final long treeSize;
    private final TileReader reader;
    private final Map<Tile, TileTree> read = new HashMap<>();

    public TiledHashSource(long treeSize, TileReader reader) {
        this.treeSize = treeSize;
        this.reader = reader;
    }

    @Override
    public Hash subtreeHash(long start, long end) {
        if (end > treeSize) {
            throw new IllegalArgumentException("range [" + start + ", " + end + ") is beyond tree size " + treeSize);
        }
        List<Hash> pieces = new ArrayList<>();
        for (long[] piece : MerkleTree.perfectSubtreeDecomposition(start, end)) {
            pieces.add(nodeHash(new NodeRef((int) piece[0], piece[1])));
        }
        return MerkleTree.combineDecomposition(pieces);
    }

    /** The hash of one perfect subtree inside the tree. */
    public Hash nodeHash(NodeRef node) {
        Tile needed = Tile.holding(node);
        Tile widest = widestInTree(needed);
        return read.computeIfAbsent(widest, tile -> TileTree.of(tile, reader.read(tile))).hash(node);
    }

    private Tile widestInTree(Tile needed) {
        long hashes = treeSize >>> needed.treeLevel();
        long available = Math.min(Tile.FULL_WIDTH, hashes - needed.firstHash());
        return needed.withWidth((int) available);
    }
}
