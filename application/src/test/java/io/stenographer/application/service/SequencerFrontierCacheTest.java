package io.stenographer.application.service;

import static io.stenographer.application.service.fakes.TestDrafts.ACME;
import static org.assertj.core.api.Assertions.assertThat;

import io.stenographer.application.port.out.LoadLogPort;
import io.stenographer.application.port.out.SignCheckpointPort;
import io.stenographer.application.service.fakes.FakeTransactionRunner;
import io.stenographer.application.service.fakes.InMemoryEventStore;
import io.stenographer.application.service.fakes.InMemoryLog;
import io.stenographer.application.service.fakes.InMemorySequencer;
import io.stenographer.application.service.fakes.InMemorySigningKeys;
import io.stenographer.application.service.fakes.MutableClock;
import io.stenographer.application.service.fakes.NoteSigningKey;
import io.stenographer.application.service.fakes.TestEvents;
import io.stenographer.domain.log.LogOrigins;
import io.stenographer.domain.log.PublishedCheckpoint;
import io.stenographer.domain.merkle.ConsistencyProof;
import io.stenographer.domain.merkle.Hash;
import io.stenographer.domain.merkle.MerkleHashes;
import io.stenographer.domain.merkle.MerkleTree;
import io.stenographer.domain.tiles.Tile;
import io.stenographer.application.port.in.IntegrateEventsUseCase.IntegrationRound;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The sequencer keeps each tenant's frontier between rounds, and trusts it only while the database agrees. */
@SuppressWarnings("unchecked")
class SequencerFrontierCacheTest {

    private static final Instant NOW = Instant.parse("2026-07-01T09:00:00Z");

    private final FakeTransactionRunner transactions = new FakeTransactionRunner();
    private final InMemoryLog log = new InMemoryLog(transactions);
    private final InMemorySequencer sequencer = new InMemorySequencer(log);
    private final MutableClock clock = new MutableClock(NOW);
    private final SplittableRandom random = new SplittableRandom(17);
    private final AtomicInteger subtreeReads = new AtomicInteger();
    /** When set, every tile read back has its first hash replaced, as a row altered in the database would be. */
    private volatile boolean tamperTiles;


    private final SignCheckpointPort signer = new NoteSigningKey(log.signer());

    /** The in-memory log, counting the reads of stored subtree hashes. */
    private final LoadLogPort countingLog = (LoadLogPort) Proxy.newProxyInstance(LoadLogPort.class.getClassLoader(),
            new Class<?>[] {LoadLogPort.class}, (proxy, method, args) -> {
                if (method.getName().equals("tiles")) {
                    subtreeReads.incrementAndGet();
                }
                try {
                    if (method.getName().equals("tiles") && tamperTiles) {
                        return withFirstHashReplaced((Map<Tile, List<Hash>>) method.invoke(log, args));
                    }
                    return method.invoke(log, args);
                } catch (InvocationTargetException e) {
                    throw e.getCause();
                }
            });

    private static Map<Tile, List<Hash>> withFirstHashReplaced(Map<Tile, List<Hash>> tiles) {
        Map<Tile, List<Hash>> altered = new HashMap<>();
        tiles.forEach((tile, hashes) -> {
            List<Hash> copy = new ArrayList<>(hashes);
            copy.set(0, MerkleHashes.leafHash(new byte[] {42}));
            altered.put(tile, copy);
        });
        return altered;
    }

    private IntegrateEventsService newSequencer() {
        return new IntegrateEventsService(sequencer, countingLog, sequencer, signer, new InMemorySigningKeys(),
                new SelfAudit(new InMemoryEventStore(transactions), clock, random, StoredIdentifiers.AS_GIVEN), transactions, clock,
                new LogOrigins("stenographer.test"), new SequencerLimits(1_000, Duration.ofSeconds(1)));
    }

    private void queue(int count) {
        for (int i = 0; i < count; i++) {
            sequencer.queue(TestEvents.event(ACME, "case.view", "C-" + i, NOW, random));
        }
    }

    private int readsDuringRound(IntegrateEventsService service) {
        int before = subtreeReads.get();
        service.integratePending();
        return subtreeReads.get() - before;
    }

    @Test
    void aWarmSequencerReadsNoStoredTiles() {
        IntegrateEventsService service = newSequencer();
        queue(5);
        service.integratePending();

        queue(7);
        assertThat(readsDuringRound(service)).as("the frontier came from memory and its root is the checkpoint's")
                .isZero();
        queue(3);
        assertThat(readsDuringRound(newSequencer())).as("a new instance rebuilds the frontier in one read")
                .isEqualTo(1);
        assertTreeIsConsistentAndComplete(15);
    }

    @Test
    void aFrontierThatAnotherInstanceOvertookIsRebuiltAndTheLogStaysGaplessAndConsistent() {
        IntegrateEventsService first = newSequencer();
        IntegrateEventsService second = newSequencer();
        queue(4);
        first.integratePending();
        queue(9);
        second.integratePending(); // first's frontier is now behind the database

        queue(6);
        assertThat(readsDuringRound(first)).as("the stale frontier is not used").isEqualTo(1);
        queue(2);
        assertThat(readsDuringRound(second)).as("second's frontier is stale too").isEqualTo(1);
        assertTreeIsConsistentAndComplete(21);
    }

    @Test
    void aStoredTreeWithoutTheSignedRootIsNeverExtended() {
        queue(5);
        newSequencer().integratePending();
        tamperTiles = true;
        queue(3);

        IntegrationRound round = newSequencer().integratePending();

        assertThat(round.refused()).containsOnlyKeys(ACME);
        assertThat(round.refused().get(ACME)).contains("does not have the root of its latest checkpoint");
        tamperTiles = false;
        assertTreeIsConsistentAndComplete(5);
    }

    /** Every checkpoint's root is the tree hash of its prefix, and each is consistent with the one before. */
    private void assertTreeIsConsistentAndComplete(long expectedSize) {
        List<PublishedCheckpoint> checkpoints = transactions.inTransaction(() -> log.checkpointsAbove(ACME, 0));
        assertThat(checkpoints.get(checkpoints.size() - 1).treeSize()).isEqualTo(expectedSize);
        List<Hash> leaves = transactions.inTransaction(() -> log.leaves(ACME, 0, expectedSize)).stream()
                .map(leaf -> leaf.leafHash()).toList();
        PublishedCheckpoint previous = null;
        for (PublishedCheckpoint checkpoint : checkpoints) {
            long size = checkpoint.treeSize();
            assertThat(checkpoint.checkpoint().rootHash()).isEqualTo(MerkleTree.root(leaves.subList(0, (int) size)));
            if (previous != null) {
                long from = previous.treeSize();
                ConsistencyProof proof = ConsistencyProof.compute(from, size, (start, end) -> MerkleTree.root(
                        leaves.subList((int) start, (int) end)));
                assertThat(proof.verify(previous.checkpoint().rootHash(), checkpoint.checkpoint().rootHash())).isTrue();
            }
            previous = checkpoint;
        }
    }
}
