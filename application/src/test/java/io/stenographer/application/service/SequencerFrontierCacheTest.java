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
import io.stenographer.domain.merkle.MerkleTree;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The sequencer keeps each tenant's frontier between rounds, and trusts it only while the database agrees. */
class SequencerFrontierCacheTest {

    private static final Instant NOW = Instant.parse("2026-07-01T09:00:00Z");

    private final FakeTransactionRunner transactions = new FakeTransactionRunner();
    private final InMemoryLog log = new InMemoryLog(transactions);
    private final InMemorySequencer sequencer = new InMemorySequencer(log);
    private final MutableClock clock = new MutableClock(NOW);
    private final SplittableRandom random = new SplittableRandom(17);
    private final AtomicInteger subtreeReads = new AtomicInteger();

    private final SignCheckpointPort signer = new NoteSigningKey(log.signer());

    /** The in-memory log, counting the reads of stored subtree hashes. */
    private final LoadLogPort countingLog = (LoadLogPort) Proxy.newProxyInstance(LoadLogPort.class.getClassLoader(),
            new Class<?>[] {LoadLogPort.class}, (proxy, method, args) -> {
                if (method.getName().equals("subtreeHashes")) {
                    subtreeReads.incrementAndGet();
                }
                try {
                    return method.invoke(log, args);
                } catch (InvocationTargetException e) {
                    throw e.getCause();
                }
            });

    private IntegrateEventsService newSequencer() {
        return new IntegrateEventsService(sequencer, countingLog, sequencer, signer, new InMemorySigningKeys(),
                new SelfAudit(new InMemoryEventStore(transactions), clock, random), transactions, clock,
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
    void aWarmSequencerReadsStoredSubtreesOnlyForTheConsistencyCheck() {
        IntegrateEventsService service = newSequencer();
        queue(5);
        service.integratePending();

        queue(7);
        assertThat(readsDuringRound(service)).as("consistency proof only; the frontier came from memory").isEqualTo(1);
        queue(3);
        assertThat(readsDuringRound(newSequencer())).as("a new instance rebuilds the frontier, then checks")
                .isEqualTo(2);
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
        assertThat(readsDuringRound(first)).as("the stale frontier is not used").isEqualTo(2);
        queue(2);
        assertThat(readsDuringRound(second)).as("second's frontier is stale too").isEqualTo(2);
        assertTreeIsConsistentAndComplete(21);
    }

    /** Every checkpoint's root is the tree hash of its prefix, and each is consistent with the one before. */
    private void assertTreeIsConsistentAndComplete(long expectedSize) {
        List<PublishedCheckpoint> checkpoints = transactions.inTransaction(() -> log.checkpoints(ACME));
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
