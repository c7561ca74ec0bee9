package io.stenographer.application.port.out;

import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.log.LogLeaf;
import io.stenographer.domain.log.PublishedCheckpoint;
import io.stenographer.domain.merkle.Hash;
import io.stenographer.domain.tiles.SparseTile;
import io.stenographer.domain.tiles.Tile;
import java.util.List;
import java.util.Optional;

/**
 * Everything an inclusion proof by index needs that is not cached, in one read outside any transaction: the
 * checkpoint, the leaf and its level-0 tile (whole, or for a full tile only the 32 hashes the proof uses). All of it is append-only, so no transaction could make it more
 * consistent than one statement does.
 */
public interface LoadInclusionInputsPort {

    /**
     * @param treeSize the checkpoint's size, or null for the latest
     * @return empty when no such checkpoint exists; its leaf is empty when the tree has no leaf {@code index}
     */
    Optional<InclusionInputs> inclusionInputs(TenantId tenant, Long treeSize, long index);

    record InclusionInputs(PublishedCheckpoint checkpoint, Optional<LeafInTile> leaf) {
    }

    /**
     * @param tile       the level-0 tile holding the leaf, as wide as the checkpoint's tree has it
     * @param tileHashes its stored hashes when it was read whole; shorter than its width when rows are missing;
     *                   empty when it was read sparsely
     * @param sparse     present when the tile is full and was read by strides (32 hashes, not 256)
     */
    record LeafInTile(LogLeaf leaf, Tile tile, List<Hash> tileHashes, Optional<SparseTile> sparse) {

        public static LeafInTile whole(LogLeaf leaf, Tile tile, List<Hash> tileHashes) {
            return new LeafInTile(leaf, tile, tileHashes, Optional.empty());
        }

        public static LeafInTile sparse(LogLeaf leaf, SparseTile sparse) {
            return new LeafInTile(leaf, sparse.tile(), List.of(), Optional.of(sparse));
        }
    }
}
