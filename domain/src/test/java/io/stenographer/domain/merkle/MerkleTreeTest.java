package io.stenographer.domain.merkle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class MerkleTreeTest {

    private static String pieces(long start, long end) {
        return MerkleTree.perfectSubtreeDecomposition(start, end).stream()
                .map(p -> p[0] + ":" + p[1]).collect(Collectors.joining(" "));
    }

    @Test
    void decomposesRangesIntoPerfectSubtreesLeftToRight() {
        assertThat(pieces(0, 1)).isEqualTo("0:0");
        assertThat(pieces(0, 8)).isEqualTo("3:0");
        assertThat(pieces(0, 13)).isEqualTo("3:0 2:2 0:12");
        assertThat(pieces(8, 13)).isEqualTo("2:2 0:12");
        assertThat(pieces(16, 23)).isEqualTo("2:4 1:10 0:22");
        // Unaligned ranges still get a valid cover, built from aligned blocks.
        assertThat(pieces(3, 9)).isEqualTo("0:3 2:1 0:8");
    }

    @Test
    void recognisesRangesTheRecursionVisits() {
        assertThat(MerkleTree.isRecursionRange(0, 13)).isTrue();
        assertThat(MerkleTree.isRecursionRange(8, 13)).isTrue();
        assertThat(MerkleTree.isRecursionRange(12, 13)).isTrue();
        assertThat(MerkleTree.isRecursionRange(4, 9)).isFalse();
        assertThat(MerkleTree.isRecursionRange(3, 9)).isFalse();
        assertThat(MerkleTree.isRecursionRange(5, 5)).isFalse();
    }

    @Test
    void rejectsEmptyOrNegativeRanges() {
        assertThatThrownBy(() -> MerkleTree.perfectSubtreeDecomposition(5, 5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MerkleTree.perfectSubtreeDecomposition(-1, 5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MerkleTree.combineDecomposition(List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void inMemoryTreeRefusesRangesNoProofShouldAskFor() {
        InMemoryMerkleTree tree = InMemoryMerkleTree.of(Rfc6962VectorsTest.leafHashes());
        assertThatThrownBy(() -> tree.subtreeHash(1, 3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not aligned");
        assertThatThrownBy(() -> tree.subtreeHash(0, 9)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> tree.inclusionProof(0, 9)).isInstanceOf(IllegalArgumentException.class);
        assertThat(tree.subtreeHash(4, 7)).isEqualTo(MerkleTree.root(Rfc6962VectorsTest.leafHashes().subList(4, 7)));
    }

    @Test
    void frontierAppendReportsEveryCompletedSubtree() {
        List<Hash> leaves = Rfc6962VectorsTest.leafHashes();
        MerkleFrontier frontier = MerkleFrontier.empty();
        for (int i = 0; i < 7; i++) {
            frontier = frontier.append(leaves.get(i)).frontier();
        }
        MerkleFrontier.Append append = frontier.append(leaves.get(7));
        assertThat(append.completed()).extracting(MerkleFrontier.CompletedSubtree::level,
                MerkleFrontier.CompletedSubtree::index).containsExactly(
                org.assertj.core.groups.Tuple.tuple(0, 7L), org.assertj.core.groups.Tuple.tuple(1, 3L),
                org.assertj.core.groups.Tuple.tuple(2, 1L), org.assertj.core.groups.Tuple.tuple(3, 0L));
        assertThat(append.completed().get(3).hash()).isEqualTo(Hash.fromHex(Rfc6962VectorsTest.ROOTS[8]));
        assertThat(append.frontier().hashes()).hasSize(1);
        assertThat(frontier.hashes()).hasSize(3);
    }

    @Test
    void frontierValidatesItsShape() {
        assertThatThrownBy(() -> new MerkleFrontier(3, List.of(MerkleHashes.emptyRoot())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("hashes");
        assertThatThrownBy(() -> new MerkleFrontier(-1, List.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("size");
        assertThat(MerkleFrontier.empty().root()).isEqualTo(MerkleHashes.emptyRoot());
    }

    @Test
    void proofRecordsValidateTheirFields() {
        assertThatThrownBy(() -> new InclusionProof(-1, 5, List.of())).hasMessageContaining("leafIndex");
        assertThatThrownBy(() -> new InclusionProof(5, 5, List.of())).hasMessageContaining("treeSize");
        assertThatThrownBy(() -> new ConsistencyProof(6, 5, List.of())).hasMessageContaining("toSize");
        assertThatThrownBy(() -> new ConsistencyProof(-1, 5, List.of())).hasMessageContaining("fromSize");
        assertThatThrownBy(() -> InclusionProof.compute(5, 5, (s, e) -> null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void malformedInclusionPathsFailVerificationAndExplainThemselves() {
        InMemoryMerkleTree tree = InMemoryMerkleTree.of(Rfc6962VectorsTest.leafHashes());
        InclusionProof proof = tree.inclusionProof(5, 8);
        Hash leaf = tree.leafHash(5);
        InclusionProof tooShort = new InclusionProof(5, 8, proof.path().subList(0, 2));
        InclusionProof tooLong = new InclusionProof(5, 8, List.of(leaf, leaf, leaf, leaf));
        assertThat(tooShort.verify(leaf, tree.root())).isFalse();
        assertThat(tooLong.verify(leaf, tree.root())).isFalse();
        assertThatThrownBy(() -> tooShort.rootFrom(leaf)).hasMessageContaining("too short");
        assertThatThrownBy(() -> tooLong.rootFrom(leaf)).hasMessageContaining("too long");
    }
}
