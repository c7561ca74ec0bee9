package io.stenographer.domain.merkle;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The hash functions reuse one digest per thread; these show that reuse never mixes inputs. */
class MerkleHashesTest {

    @Test
    void theEmptyLeafAndTheEmptyTreeHaveTheirRfc6962Values() {
        assertThat(MerkleHashes.leafHash(new byte[0]).hex()).isEqualTo(
                "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d");
        assertThat(HexFormat.of().formatHex(MerkleHashes.emptyRoot().bytes()))
                .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }

    @Test
    void hashingOnManyThreadsAtOnceGivesTheSameHashesAsOneThread() throws Exception {
        int inputs = 2_000;
        List<Hash> sequential = new ArrayList<>();
        for (int i = 0; i < inputs; i++) {
            Hash leaf = MerkleHashes.leafHash(("event-" + i).getBytes(StandardCharsets.UTF_8));
            sequential.add(MerkleHashes.nodeHash(leaf, MerkleHashes.leafHash(new byte[] {(byte) i})));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<Hash>>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                results.add(pool.submit(() -> {
                    List<Hash> hashes = new ArrayList<>();
                    for (int i = 0; i < inputs; i++) {
                        Hash leaf = MerkleHashes.leafHash(("event-" + i).getBytes(StandardCharsets.UTF_8));
                        hashes.add(MerkleHashes.nodeHash(leaf, MerkleHashes.leafHash(new byte[] {(byte) i})));
                    }
                    return hashes;
                }));
            }
            for (Future<List<Hash>> result : results) {
                assertThat(result.get()).isEqualTo(sequential);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
