package io.stenographer.domain.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import io.stenographer.domain.merkle.Hash;
import io.stenographer.domain.merkle.InMemoryMerkleTree;
import io.stenographer.domain.merkle.InclusionProof;
import io.stenographer.domain.merkle.MerkleHashes;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class ConsecutiveProofRootsTest {

    private static final InMemoryMerkleTree TREE = tree(300);

    private static InMemoryMerkleTree tree(int size) {
        InMemoryMerkleTree tree = new InMemoryMerkleTree();
        for (int i = 0; i < size; i++) {
            tree.append(MerkleHashes.leafHash(("leaf " + i).getBytes(StandardCharsets.UTF_8)));
        }
        return tree;
    }

    /** What InclusionProof.rootFrom gives: the root's hex, or the fact that it threw. */
    private static String reference(long index, long size, List<Hash> path, Hash leaf) {
        try {
            return new InclusionProof(index, size, path).rootFrom(leaf).hex();
        } catch (IllegalArgumentException e) {
            return "rejected";
        }
    }

    private static String memoized(ConsecutiveProofRoots roots, long index, long size, List<Hash> path, Hash leaf) {
        try {
            return roots.rootFrom(index, size, path, leaf).hex();
        } catch (IllegalArgumentException e) {
            return "rejected";
        }
    }

    @Property(tries = 300)
    void givesWhatRootFromGivesForRunsOfProofsWithRandomDamage(@ForAll @IntRange(min = 1, max = 300) int size,
            @ForAll @IntRange(min = 1, max = 200) int count, @ForAll long seed) {
        Random random = new Random(seed);
        ConsecutiveProofRoots roots = new ConsecutiveProofRoots();
        long index = random.nextInt(size);
        for (int n = 0; n < count; n++) {
            // Mostly the next leaf, as in a bundle; sometimes a jump, a repeat or another tree size.
            int move = random.nextInt(10);
            index = move < 7 ? (index + 1) % size : move < 8 ? random.nextInt(size) : index;
            long treeSize = move == 9 ? index + 1 + random.nextInt((int) (size - index)) : size;
            List<Hash> path = new ArrayList<>(TREE.inclusionProof(index, treeSize).path());
            Hash leaf = TREE.leafHash(index);
            switch (random.nextInt(8)) {
                case 0 -> leaf = TREE.leafHash(random.nextInt(size));
                case 1 -> {
                    if (!path.isEmpty()) {
                        path.set(random.nextInt(path.size()), TREE.leafHash(random.nextInt(size)));
                    }
                }
                case 2 -> {
                    if (!path.isEmpty()) {
                        path.remove(random.nextInt(path.size()));
                    }
                }
                case 3 -> path.add(random.nextInt(path.size() + 1), TREE.leafHash(random.nextInt(size)));
                default -> { } // intact
            }
            assertThat(memoized(roots, index, treeSize, path, leaf))
                    .as("leaf %d of %d", index, treeSize)
                    .isEqualTo(reference(index, treeSize, path, leaf));
        }
    }

    @Test
    void aDamagedUpperHashIsNotHiddenByTheNeighboursSharedPath() {
        ConsecutiveProofRoots roots = new ConsecutiveProofRoots();
        Hash root = TREE.root();
        assertThat(roots.rootFrom(100, 300, TREE.inclusionProof(100, 300).path(), TREE.leafHash(100))).isEqualTo(root);
        List<Hash> damaged = new ArrayList<>(TREE.inclusionProof(101, 300).path());
        damaged.set(damaged.size() - 1, TREE.leafHash(7)); // the top hash, shared with leaf 100's proof
        assertThat(roots.rootFrom(101, 300, damaged, TREE.leafHash(101))).isNotEqualTo(root);
        // The next proof shares no upper hash with the damaged one, so it is computed afresh and verifies.
        assertThat(roots.rootFrom(102, 300, TREE.inclusionProof(102, 300).path(), TREE.leafHash(102)))
                .isEqualTo(root);
    }
}
