package io.stenographer.application.service;

import io.stenographer.application.port.out.LoadLogPort;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.log.LogIntegrityViolation;
import io.stenographer.domain.merkle.NodeRef;
import io.stenographer.domain.merkle.Hash;
import io.stenographer.domain.merkle.MerkleTree;
import io.stenographer.domain.merkle.SubtreeHashSource;
import io.stenographer.domain.tiles.Tile;
import io.stenographer.domain.tiles.TileTree;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Tree math over one tenant's stored tiles. A computation runs twice: first against a recorder that only notes
 * which perfect subtrees it needs, then against those subtrees, read off the tiles fetched in one round trip (or
 * none, when the cache holds them). Proof control flow never depends on hash values, so both runs ask the same.
 */
final class StoredTree {

    private static final Hash PLACEHOLDER = new Hash(new byte[32]);

    private final LoadLogPort log;
    private final TenantId tenant;
    private final long treeSize;
    private final LogCache cache;
    /** Tiles this instance read, by their full-width name: a run of proofs over one tree reads each once. */
    private final Map<Tile, TileTree> trees = new HashMap<>();

    /**
     * @param treeSize the size of the tree the computations are about: tiles that are full in it are read whole,
     *                 so the cache can keep them
     */
    StoredTree(LoadLogPort log, TenantId tenant, long treeSize, LogCache cache) {
        this.log = log;
        this.tenant = tenant;
        this.treeSize = treeSize;
        this.cache = cache;
    }

    <T> T compute(Function<SubtreeHashSource, T> computation) {
        Set<NodeRef> wanted = new LinkedHashSet<>();
        computation.apply((start, end) -> {
            wanted.addAll(pieces(start, end));
            return PLACEHOLDER;
        });
        Map<NodeRef, Hash> stored = nodeHashes(wanted);
        return computation.apply((start, end) -> {
            List<Hash> hashes = new ArrayList<>();
            for (NodeRef piece : pieces(start, end)) {
                Hash hash = stored.get(piece);
                if (hash == null) {
                    throw new LogIntegrityViolation("log of tenant " + tenant + " lacks the stored hashes of leaves ["
                            + piece.start() + ", " + piece.end() + ")");
                }
                hashes.add(hash);
            }
            return MerkleTree.combineDecomposition(hashes);
        });
    }

    /** A tile read together with something else (a leaf): the computations that need it will not read it again. */
    void knowTile(Tile tile, List<Hash> hashes) {
        if (hashes.size() == tile.width()) {
            TileTree tree = TileTree.of(tile, hashes);
            trees.put(tile.withWidth(Tile.FULL_WIDTH), tree);
            cache.putIfWider(tenant, tree);
        }
    }

    /** The hashes of {@code nodes}, each read off its tile; a node whose tile lacks hashes is absent. */
    Map<NodeRef, Hash> nodeHashes(Collection<NodeRef> nodes) {
        Map<Tile, Tile> widest = new HashMap<>();
        for (NodeRef node : nodes) {
            Tile needed = widthInTree(Tile.holding(node));
            widest.merge(needed.withWidth(Tile.FULL_WIDTH), needed, (a, b) -> a.width() >= b.width() ? a : b);
        }
        List<Tile> toRead = new ArrayList<>();
        for (Tile tile : widest.values()) {
            TileTree known = trees.get(tile.withWidth(Tile.FULL_WIDTH));
            if (known == null || known.tile().width() < tile.width()) {
                cache.tile(tenant, tile).ifPresentOrElse(tree -> trees.put(tile.withWidth(Tile.FULL_WIDTH), tree),
                        () -> toRead.add(tile));
            }
        }
        if (!toRead.isEmpty()) {
            log.tiles(tenant, toRead).forEach((tile, hashes) -> {
                if (hashes.size() == tile.width()) {
                    TileTree tree = TileTree.of(tile, hashes);
                    trees.put(tile.withWidth(Tile.FULL_WIDTH), tree);
                    cache.putIfWider(tenant, tree);
                }
            });
        }
        Map<NodeRef, Hash> hashes = new HashMap<>();
        for (NodeRef node : nodes) {
            TileTree tree = trees.get(Tile.holding(node).withWidth(Tile.FULL_WIDTH));
            if (tree != null && tree.holds(node)) {
                hashes.put(node, tree.hash(node));
            }
        }
        return hashes;
    }

    /** The tile at the width the tree has it, at least as wide as needed, so full tiles are read whole. */
    private Tile widthInTree(Tile needed) {
        long hashes = treeSize >>> needed.treeLevel();
        long available = Math.min(Tile.FULL_WIDTH, hashes - needed.firstHash());
        return available > needed.width() ? needed.withWidth((int) available) : needed;
    }

    private static List<NodeRef> pieces(long start, long end) {
        List<NodeRef> pieces = new ArrayList<>();
        for (long[] piece : MerkleTree.perfectSubtreeDecomposition(start, end)) {
            pieces.add(new NodeRef((int) piece[0], piece[1]));
        }
        return pieces;
    }
}
