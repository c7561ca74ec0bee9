package io.stenographer.domain.merkle;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The RFC 6962 reference tree used across Certificate Transparency implementations
 * (certificate-transparency-go, Trillian, transparency-dev/merkle testdata).
 */
class Rfc6962VectorsTest {

    static final String[] LEAF_INPUTS = {
        "", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f",
    };

    /** ROOTS[n] is the root of the tree of the first n leaves. */
    static final String[] ROOTS = {
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    };

    static List<Hash> leafHashes() {
        List<Hash> leaves = new ArrayList<>();
        for (String input : LEAF_INPUTS) {
            leaves.add(MerkleHashes.leafHash(HexFormat.of().parseHex(input)));
        }
        return leaves;
    }

    private static List<Hash> hashes(String... hex) {
        List<Hash> out = new ArrayList<>();
        for (String h : hex) {
            out.add(Hash.fromHex(h));
        }
        return out;
    }

    @Test
    void emptyRootIsSha256OfTheEmptyString() {
        assertThat(MerkleHashes.emptyRoot().hex()).isEqualTo(ROOTS[0]);
        assertThat(MerkleTree.root(List.of()).hex()).isEqualTo(ROOTS[0]);
    }

    @Test
    void rootsMatchForEverySize() {
        List<Hash> leaves = leafHashes();
        InMemoryMerkleTree tree = new InMemoryMerkleTree();
        MerkleFrontier frontier = MerkleFrontier.empty();
        for (int n = 1; n <= leaves.size(); n++) {
            tree.append(leaves.get(n - 1));
            frontier = frontier.append(leaves.get(n - 1)).frontier();
            assertThat(MerkleTree.root(leaves.subList(0, n)).hex()).as("MTH size %d", n).isEqualTo(ROOTS[n]);
            assertThat(tree.root().hex()).as("in-memory size %d", n).isEqualTo(ROOTS[n]);
            assertThat(frontier.root().hex()).as("frontier size %d", n).isEqualTo(ROOTS[n]);
        }
        for (int n = 0; n <= leaves.size(); n++) {
            assertThat(tree.root(n).hex()).isEqualTo(ROOTS[n]);
        }
    }

    /** Inclusion vectors; the CT testdata numbers leaves from 1, here they are 0-based. */
    @Test
    void inclusionProofsMatchTheReferenceVectors() {
        InMemoryMerkleTree tree = InMemoryMerkleTree.of(leafHashes());
        assertInclusion(tree, 0, 8, hashes(
                "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"));
        assertInclusion(tree, 5, 8, hashes(
                "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
                "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"));
        assertInclusion(tree, 2, 3, hashes(
                "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"));
        assertInclusion(tree, 1, 5, hashes(
                "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"));
        assertInclusion(tree, 0, 1, List.of());
    }

    private static void assertInclusion(InMemoryMerkleTree tree, long index, long size, List<Hash> expected) {
        InclusionProof proof = tree.inclusionProof(index, size);
        assertThat(proof.path()).as("path of %d in %d", index, size).isEqualTo(expected);
        Hash root = Hash.fromHex(ROOTS[(int) size]);
        assertThat(new InclusionProof(index, size, expected).verify(tree.leafHash(index), root)).isTrue();
        assertThat(proof.verify(tree.leafHash(index), Hash.fromHex(ROOTS[(int) size - 1]))).isFalse();
    }

    @Test
    void consistencyProofsMatchTheReferenceVectors() {
        InMemoryMerkleTree tree = InMemoryMerkleTree.of(leafHashes());
        assertConsistency(tree, 1, 1, List.of());
        assertConsistency(tree, 1, 8, hashes(
                "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"));
        assertConsistency(tree, 6, 8, hashes(
                "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"));
        assertConsistency(tree, 2, 5, hashes(
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"));
        assertConsistency(tree, 0, 8, List.of());
    }

    private static void assertConsistency(InMemoryMerkleTree tree, long from, long to, List<Hash> expected) {
        ConsistencyProof proof = tree.consistencyProof(from, to);
        assertThat(proof.path()).as("consistency %d -> %d", from, to).isEqualTo(expected);
        Hash fromRoot = Hash.fromHex(ROOTS[(int) from]);
        Hash toRoot = Hash.fromHex(ROOTS[(int) to]);
        assertThat(new ConsistencyProof(from, to, expected).verify(fromRoot, toRoot)).isTrue();
        if (from != to && from != 0) {
            assertThat(proof.verify(toRoot, toRoot)).isFalse();
            assertThat(proof.verify(fromRoot, fromRoot)).isFalse();
        }
    }

    @Test
    void sizeZeroAndEqualSizeConsistencyFollowTheRfc() {
        InMemoryMerkleTree tree = InMemoryMerkleTree.of(leafHashes());
        Hash root8 = Hash.fromHex(ROOTS[8]);
        Hash empty = MerkleHashes.emptyRoot();
        assertThat(new ConsistencyProof(0, 8, List.of()).verify(empty, root8)).isTrue();
        assertThat(new ConsistencyProof(0, 8, List.of()).verify(root8, root8)).isFalse();
        assertThat(new ConsistencyProof(0, 8, List.of(root8)).verify(empty, root8)).isFalse();
        assertThat(new ConsistencyProof(0, 0, List.of()).verify(empty, empty)).isTrue();
        assertThat(new ConsistencyProof(8, 8, List.of()).verify(root8, root8)).isTrue();
        assertThat(new ConsistencyProof(8, 8, List.of()).verify(root8, empty)).isFalse();
        assertThat(new ConsistencyProof(8, 8, List.of(root8)).verify(root8, root8)).isFalse();
        assertThat(tree.consistencyProof(8, 8).path()).isEmpty();
        // A proof between different non-zero sizes is never empty.
        assertThat(new ConsistencyProof(4, 8, List.of()).verify(Hash.fromHex(ROOTS[4]), root8)).isFalse();
    }
}
