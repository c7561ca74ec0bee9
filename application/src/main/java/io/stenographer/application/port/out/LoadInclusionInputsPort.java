package io.stenographer.application.port.out;

import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.log.LogLeaf;
import io.stenographer.domain.log.PublishedCheckpoint;
import io.stenographer.domain.merkle.Hash;
import io.stenographer.domain.tiles.Tile;
import java.util.List;
import java.util.Optional;

/**
 * Everything an inclusion proof by index needs that is not cached, in one read outside any transaction: the
 * checkpoint, the leaf and its level-0 tile. All of it is append-only, so no transaction could make it more
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
     * @param tileHashes its stored hashes; shorter than its width when rows are missing
     */
    record LeafInTile(LogLeaf leaf, Tile tile, List<Hash> tileHashes) {
    }
}
