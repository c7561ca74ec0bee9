package io.stenographer.application.service;

import io.stenographer.application.port.out.LoadLogPort;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.log.LogIntegrityViolation;
import io.stenographer.domain.log.NodeRef;
import io.stenographer.domain.merkle.Hash;
import io.stenographer.domain.merkle.MerkleTree;
import io.stenographer.domain.merkle.SubtreeHashSource;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Tree math over the stored perfect subtrees of one tenant's log. A computation runs twice: first
 * against a recorder that only notes which subtrees it needs, then against those subtrees fetched in
 * one round trip. Proof control flow never depends on hash values, so both runs ask the same things.
 */
final class StoredTree {

    private static final Hash PLACEHOLDER = new Hash(new byte[32]);

    private final LoadLogPort log;
    private final TenantId tenant;

    StoredTree(LoadLogPort log, TenantId tenant) {
        this.log = log;
        this.tenant = tenant;
    }

    <T> T compute(Function<SubtreeHashSource, T> computation) {
        Set<NodeRef> wanted = new LinkedHashSet<>();
        computation.apply((start, end) -> {
            wanted.addAll(pieces(start, end));
            return PLACEHOLDER;
        });
        Map<NodeRef, Hash> stored = log.subtreeHashes(tenant, wanted);
        return computation.apply((start, end) -> {
            List<Hash> hashes = new ArrayList<>();
            for (NodeRef piece : pieces(start, end)) {
                Hash hash = stored.get(piece);
                if (hash == null) {
                    throw new LogIntegrityViolation("log of tenant " + tenant + " lacks the stored hash of leaves ["
                            + piece.start() + ", " + piece.end() + ")");
                }
                hashes.add(hash);
            }
            return MerkleTree.combineDecomposition(hashes);
        });
    }

    private static List<NodeRef> pieces(long start, long end) {
        List<NodeRef> pieces = new ArrayList<>();
        for (long[] piece : MerkleTree.perfectSubtreeDecomposition(start, end)) {
            pieces.add(new NodeRef((int) piece[0], piece[1]));
        }
        return pieces;
    }
}
