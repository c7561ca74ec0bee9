package io.stenographer.domain.merkle;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

class MerklePropertiesTest {

    /** A tree size, a position in it, and a seed for anything else random. */
    record Case(int size, int index, long seed) {
    }

    @Provide
    Arbitrary<Case> cases() {
        return Arbitraries.integers().between(1, 300).flatMap(size -> Combinators.combine(
                Arbitraries.just(size), Arbitraries.integers().between(0, size - 1), Arbitraries.longs())
                .as(Case::new));
    }

    static List<Hash> leaves(int n, long seed) {
        List<Hash> leaves = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            // Distinct leaves: the index is part of the input.
            leaves.add(MerkleHashes.leafHash(ByteBuffer.allocate(16).putLong(seed).putInt(i).array()));
        }
        return leaves;
    }

    static Hash flipByte(Hash hash, int position) {
        byte[] bytes = hash.bytes();
        bytes[position % Hash.LENGTH] ^= 0x01;
        return new Hash(bytes);
    }

    // ---- reference: RFC 9162 PATH and SUBPROOF written literally, over a leaf list ----------

    static List<Hash> referencePath(int m, List<Hash> d) {
        int n = d.size();
        if (n == 1) {
            return new ArrayList<>();
        }
        int k = Integer.highestOneBit(n - 1);
        List<Hash> path;
        if (m < k) {
            path = referencePath(m, d.subList(0, k));
            path.add(MerkleTree.root(d.subList(k, n)));
        } else {
            path = referencePath(m - k, d.subList(k, n));
            path.add(MerkleTree.root(d.subList(0, k)));
        }
        return path;
    }

    static List<Hash> referenceSubproof(int m, List<Hash> d, boolean b) {
        int n = d.size();
        if (m == n) {
            return b ? new ArrayList<>() : new ArrayList<>(List.of(MerkleTree.root(d)));
        }
        int k = Integer.highestOneBit(n - 1);
        List<Hash> proof;
        if (m <= k) {
            proof = referenceSubproof(m, d.subList(0, k), b);
            proof.add(MerkleTree.root(d.subList(k, n)));
        } else {
            proof = referenceSubproof(m - k, d.subList(k, n), false);
            proof.add(MerkleTree.root(d.subList(0, k)));
        }
        return proof;
    }

    // ---- properties --------------------------------------------------------------------------

    @Property(tries = 150)
    void everyLeafHasAVerifyingInclusionProof(@ForAll @IntRange(min = 1, max = 300) int n) {
        List<Hash> leaves = leaves(n, n);
        InMemoryMerkleTree tree = InMemoryMerkleTree.of(leaves);
        Hash root = MerkleTree.root(leaves);
        assertThat(tree.root()).isEqualTo(root);
        for (int i = 0; i < n; i++) {
            InclusionProof proof = tree.inclusionProof(i, n);
            assertThat(proof.path().size()).isLessThanOrEqualTo(MerkleTree.ceilLog2(n));
            assertThat(proof.verify(leaves.get(i), root)).as("leaf %d of %d", i, n).isTrue();
        }
    }

    @Property(tries = 300)
    void inclusionProofsMatchTheLiteralRfcDefinitionAndResistTampering(@ForAll("cases") Case c) {
        List<Hash> leaves = leaves(c.size(), c.seed());
        InMemoryMerkleTree tree = InMemoryMerkleTree.of(leaves);
        Hash root = MerkleTree.root(leaves);
        InclusionProof proof = tree.inclusionProof(c.index(), c.size());
        assertThat(proof.path()).isEqualTo(referencePath(c.index(), leaves));

        Hash leaf = leaves.get(c.index());
        assertThat(proof.verify(leaf, root)).isTrue();
        assertThat(proof.rootFrom(leaf)).isEqualTo(root);

        Random random = new Random(c.seed());
        for (int i = 0; i < proof.path().size(); i++) {
            List<Hash> tampered = new ArrayList<>(proof.path());
            tampered.set(i, flipByte(tampered.get(i), random.nextInt(Hash.LENGTH)));
            assertThat(new InclusionProof(c.index(), c.size(), tampered).verify(leaf, root))
                    .as("flipped path element %d", i).isFalse();
        }
        assertThat(proof.verify(flipByte(leaf, random.nextInt(32)), root)).isFalse();
        assertThat(proof.verify(leaf, flipByte(root, random.nextInt(32)))).isFalse();
        if (c.size() > 1) {
            long wrongIndex = (c.index() + 1 + random.nextInt(c.size() - 1)) % c.size();
            assertThat(new InclusionProof(wrongIndex, c.size(), proof.path()).verify(leaf, root))
                    .as("index %d instead of %d", wrongIndex, c.index()).isFalse();
            assertThat(proof.verify(leaf, tree.root(c.size() - 1))).isFalse();
        }
        if (c.index() < c.size() - 1) {
            // A genuine proof for a smaller tree, relabelled with this size: the root is checked
            // against the size only by the checkpoint signature, but a path of the wrong length
            // for the size is always refused.
            InclusionProof smaller = tree.inclusionProof(c.index(), c.size() - 1);
            if (smaller.path().size() != proof.path().size()) {
                assertThat(new InclusionProof(c.index(), c.size(), smaller.path())
                        .verify(leaf, tree.root(c.size() - 1))).isFalse();
            }
        }
    }

    @Property(tries = 300)
    void consistencyProofsVerifyMatchTheRfcAndResistTampering(@ForAll("cases") Case c) {
        int n = c.size();
        int m = c.index() + 1; // 1..n
        List<Hash> leaves = leaves(n, c.seed());
        InMemoryMerkleTree tree = InMemoryMerkleTree.of(leaves);
        Hash oldRoot = tree.root(m);
        Hash newRoot = tree.root(n);
        ConsistencyProof proof = tree.consistencyProof(m, n);
        assertThat(proof.path()).isEqualTo(referenceSubproof(m, leaves, true));
        assertThat(proof.verify(oldRoot, newRoot)).isTrue();

        Random random = new Random(c.seed());
        for (int i = 0; i < proof.path().size(); i++) {
            List<Hash> tampered = new ArrayList<>(proof.path());
            tampered.set(i, flipByte(tampered.get(i), random.nextInt(Hash.LENGTH)));
            assertThat(new ConsistencyProof(m, n, tampered).verify(oldRoot, newRoot))
                    .as("flipped path element %d", i).isFalse();
        }
        assertThat(proof.verify(flipByte(oldRoot, random.nextInt(32)), newRoot)).isFalse();
        assertThat(proof.verify(oldRoot, flipByte(newRoot, random.nextInt(32)))).isFalse();
        if (m < n) {
            // A history that differs anywhere in the old part cannot be proven consistent.
            List<Hash> forked = new ArrayList<>(leaves);
            int changed = random.nextInt(m);
            forked.set(changed, flipByte(forked.get(changed), 0));
            assertThat(proof.verify(oldRoot, MerkleTree.root(forked))).isFalse();
            ConsistencyProof forkedProof = InMemoryMerkleTree.of(forked).consistencyProof(m, n);
            assertThat(forkedProof.verify(oldRoot, MerkleTree.root(forked))).isFalse();

            // A genuine proof to a smaller tree, relabelled with this size, is refused whenever
            // its length does not fit the sizes (the rest is the checkpoint signature's job).
            ConsistencyProof smaller = tree.consistencyProof(m, n - 1);
            if (smaller.path().size() != proof.path().size()) {
                assertThat(new ConsistencyProof(m, n, smaller.path()).verify(oldRoot, tree.root(n - 1))).isFalse();
            }
        }
    }

    @Property(tries = 100)
    void everyConsistencyPairVerifiesInSmallTrees(@ForAll @IntRange(min = 1, max = 40) int n) {
        List<Hash> leaves = leaves(n, 7);
        InMemoryMerkleTree tree = InMemoryMerkleTree.of(leaves);
        for (int m = 0; m <= n; m++) {
            assertThat(tree.consistencyProof(m, n).verify(tree.root(m), tree.root(n))).as("%d -> %d", m, n).isTrue();
        }
    }

    @Property(tries = 50)
    void frontierRootMatchesMthForEverySize(@ForAll @IntRange(min = 0, max = 300) int n) {
        List<Hash> leaves = leaves(n, 42);
        MerkleFrontier frontier = MerkleFrontier.empty();
        InMemoryMerkleTree tree = new InMemoryMerkleTree();
        for (int i = 0; i < n; i++) {
            MerkleFrontier.Append append = frontier.append(leaves.get(i));
            tree.append(leaves.get(i));
            frontier = append.frontier();
            assertThat(frontier.size()).isEqualTo(i + 1);
            assertThat(frontier.root()).as("size %d", i + 1).isEqualTo(MerkleTree.root(leaves.subList(0, i + 1)));
            for (MerkleFrontier.CompletedSubtree done : append.completed()) {
                assertThat(done.hash()).isEqualTo(tree.subtreeHash(done.start(), done.end()));
            }
            assertThat(MerkleFrontier.of(i + 1, tree)).isEqualTo(frontier);
        }
        assertThat(frontier.root()).isEqualTo(MerkleTree.root(leaves));
    }

    /** Counts calls and checks each asked range is one the RFC recursion visits. */
    static final class CountingSource implements SubtreeHashSource {
        final InMemoryMerkleTree tree;
        int calls;

        CountingSource(InMemoryMerkleTree tree) {
            this.tree = tree;
        }

        @Override
        public Hash subtreeHash(long start, long end) {
            calls++;
            assertThat(MerkleTree.isRecursionRange(start, end)).as("[%d, %d)", start, end).isTrue();
            assertThat(MerkleTree.perfectSubtreeDecomposition(start, end).size())
                    .isLessThanOrEqualTo(MerkleTree.ceilLog2(end - start) + 1);
            return tree.subtreeHash(start, end);
        }
    }

    @Property(tries = 300)
    void proofsAskTheSourceForLogarithmicallyFewRanges(@ForAll("cases") Case c) {
        InMemoryMerkleTree tree = InMemoryMerkleTree.of(leaves(c.size(), c.seed()));
        int bound = 2 * MerkleTree.ceilLog2(c.size()) + 2;

        CountingSource inclusion = new CountingSource(tree);
        InclusionProof.compute(c.index(), c.size(), inclusion);
        assertThat(inclusion.calls).isLessThanOrEqualTo(MerkleTree.ceilLog2(c.size())).isLessThanOrEqualTo(bound);

        CountingSource consistency = new CountingSource(tree);
        ConsistencyProof.compute(c.index() + 1, c.size(), consistency);
        assertThat(consistency.calls).isLessThanOrEqualTo(MerkleTree.ceilLog2(c.size()) + 1)
                .isLessThanOrEqualTo(bound);
    }
}
