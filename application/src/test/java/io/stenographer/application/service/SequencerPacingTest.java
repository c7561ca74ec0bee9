package io.stenographer.application.service;

import static io.stenographer.application.service.fakes.TestDrafts.ACME;
import static io.stenographer.application.service.fakes.TestDrafts.GLOBEX;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stenographer.application.port.in.IntegrateEventsUseCase.IntegrationRound;
import io.stenographer.application.port.out.SignCheckpointPort;
import io.stenographer.application.service.fakes.FakeTransactionRunner;
import io.stenographer.application.service.fakes.InMemoryEventStore;
import io.stenographer.application.service.fakes.InMemoryLog;
import io.stenographer.application.service.fakes.InMemorySequencer;
import io.stenographer.application.service.fakes.InMemorySigningKeys;
import io.stenographer.application.service.fakes.MutableClock;
import io.stenographer.application.service.fakes.NoteSigningKey;
import io.stenographer.application.service.fakes.TestEvents;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.log.LogOrigins;
import io.stenographer.domain.merkle.Hash;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** How much one sequencer round takes on, and what it tells the trigger about the work it left behind. */
class SequencerPacingTest {

    private static final Instant NOW = Instant.parse("2026-07-01T09:00:00Z");
    private static final TenantId INITECH = TenantId.of("initech");

    private final FakeTransactionRunner transactions = new FakeTransactionRunner();
    private final InMemoryLog log = new InMemoryLog(transactions);
    private final InMemorySequencer sequencer = new InMemorySequencer(log);
    private final MutableClock clock = new MutableClock(NOW);
    private final SplittableRandom random = new SplittableRandom(11);
    private final List<TenantId> served = new ArrayList<>();

    private final SignCheckpointPort signer = new NoteSigningKey(log.signer());

    private IntegrateEventsService sequencerWith(int maxLeaves, Duration budget) {
        return sequencerWith(new SequencerLimits(maxLeaves, budget));
    }

    private IntegrateEventsService sequencerWith(SequencerLimits limits) {
        return new IntegrateEventsService(sequencer, log, sequencer, signer, new InMemorySigningKeys(),
                new SelfAudit(new InMemoryEventStore(transactions), clock, random, StoredIdentifiers.AS_GIVEN), transactions, clock,
                new LogOrigins("stenographer.test"), limits);
    }

    private void queue(TenantId tenant, int count) {
        for (int i = 0; i < count; i++) {
            sequencer.queue(TestEvents.event(tenant, "case.view", "C-" + i, NOW, random));
        }
    }

    @Test
    void aTenantAtItsLeafLimitLeavesABacklogAndTheRoundsAfterItDrainIt() {
        IntegrateEventsService service = sequencerWith(10, Duration.ofSeconds(1));
        queue(ACME, 25);

        IntegrationRound first = service.integratePending();
        assertThat(first.integrated()).isEqualTo(10);
        assertThat(first.backlogRemains()).isTrue();
        assertThat(service.integratePending().backlogRemains()).isTrue();

        IntegrationRound last = service.integratePending();
        assertThat(last.integrated()).isEqualTo(5);
        assertThat(last.backlogRemains()).as("fewer than the limit were waiting: nothing is left").isFalse();
        assertThat(sequencer.queued(ACME)).isZero();
        assertThat(transactions.inTransaction(() -> log.treeSize(ACME))).isEqualTo(25L);
        IntegrationRound idle = service.integratePending();
        assertThat(idle.integrated()).isZero();
        assertThat(idle.backlogRemains()).isFalse();
    }

    @Test
    void aRoundOutOfTimeStartsNoNewTenantAndTheNextRoundBeginsAfterTheLastOneServed() {
        // One tenant per transaction, so the budget is checked between tenants.
        IntegrateEventsService service = sequencerWith(new SequencerLimits(100, Duration.ofSeconds(1), 1, 1));
        // Each tenant takes 600 ms: two fit in a round (the second starts before the budget is spent).
        sequencer.onRead(tenant -> {
            served.add(tenant);
            clock.advance(Duration.ofMillis(600));
        });
        queue(ACME, 1);
        queue(GLOBEX, 1);
        queue(INITECH, 1);

        IntegrationRound first = service.integratePending();

        assertThat(served).containsExactly(ACME, GLOBEX);
        assertThat(first.integrated()).isEqualTo(2);
        assertThat(first.backlogRemains()).as("initech was left waiting").isTrue();
        assertThat(sequencer.queued(INITECH)).isEqualTo(1);

        // More arrives for the first two; initech, which the last round could not reach, goes first now.
        queue(ACME, 1);
        queue(GLOBEX, 1);
        served.clear();
        IntegrationRound second = service.integratePending();

        assertThat(served).containsExactly(INITECH, ACME);
        assertThat(second.backlogRemains()).isTrue();
        assertThat(sequencer.queued(INITECH)).isZero();

        served.clear();
        IntegrationRound third = service.integratePending();
        assertThat(served).startsWith(GLOBEX);
        assertThat(third.backlogRemains()).isFalse();
        assertThat(List.of(ACME, GLOBEX, INITECH)).allSatisfy(t -> assertThat(sequencer.queued(t)).isZero());
    }

    @Test
    void aSlowFirstTenantIsStillServedEvenWhenItAloneExceedsTheBudget() {
        IntegrateEventsService service = sequencerWith(100, Duration.ofMillis(100));
        sequencer.onRead(tenant -> clock.advance(Duration.ofSeconds(5)));
        queue(ACME, 3);

        IntegrationRound round = service.integratePending();

        assertThat(round.integrated()).isEqualTo(3);
        assertThat(round.backlogRemains()).isFalse();
    }

    @Test
    void moreTenantsThanOneRoundTakesAreAllReachedInTurnAndNewWorkAtTheStartStarvesNoOne() {
        IntegrateEventsService service = sequencerWith(100, Duration.ofHours(1));
        sequencer.onRead(served::add);
        List<TenantId> tenants = new ArrayList<>();
        for (int t = 0; t < 2_500; t++) {
            TenantId tenant = TenantId.of(String.format("t%04d", t));
            tenants.add(tenant);
            queue(tenant, 1);
        }

        IntegrationRound first = service.integratePending();
        assertThat(served).isEqualTo(tenants.subList(0, 1_000));
        assertThat(first.backlogRemains()).as("more tenants are waiting than one round takes").isTrue();

        // The first tenants have new events again; the ones after the first thousand still go first.
        queue(tenants.get(0), 1);
        queue(tenants.get(1), 1);
        served.clear();
        service.integratePending();
        assertThat(served).isEqualTo(tenants.subList(1_000, 2_000));

        served.clear();
        IntegrationRound third = service.integratePending();
        List<TenantId> expected = new ArrayList<>(tenants.subList(2_000, 2_500));
        expected.addAll(tenants.subList(0, 2));
        assertThat(served).isEqualTo(expected);
        assertThat(third.backlogRemains()).isFalse();
        assertThat(tenants).allSatisfy(tenant -> assertThat(sequencer.queued(tenant)).isZero());
    }

    @Test
    void tenantsAreIntegratedInGroupsOfOneTransactionEach() {
        IntegrateEventsService service = sequencerWith(new SequencerLimits(100, Duration.ofHours(1), 1, 4));
        List<TenantId> tenants = new ArrayList<>();
        for (int t = 0; t < 10; t++) {
            TenantId tenant = TenantId.of("group-" + t);
            tenants.add(tenant);
            queue(tenant, t + 1);
        }

        IntegrationRound round = service.integratePending();

        assertThat(round.integrated()).isEqualTo(55);
        assertThat(transactions.committed()).as("the tenants due, then groups of 4, 4 and 2").isEqualTo(4);
        for (int t = 0; t < 10; t++) {
            TenantId tenant = tenants.get(t);
            long size = t + 1;
            assertThat(sequencer.queued(tenant)).isZero();
            assertThat(transactions.inTransaction(() -> log.latestCheckpoint(tenant)).orElseThrow().checkpoint()
                    .rootHash()).isEqualTo(log.root(tenant, size));
        }
    }

    /**
     * Two queued events each for acme, globex and initech; globex's log holds a leaf that no checkpoint covers, so
     * the sequencer must refuse to extend it.
     */
    private void twoEventsEachWithGlobexRefused() {
        queue(ACME, 2);
        queue(GLOBEX, 2);
        queue(INITECH, 2);
        transactions.inTransaction(() -> log.appendLeaf(GLOBEX, TestEvents.event(GLOBEX, "case.view", "X", NOW,
                random).id(), new Hash(new byte[32])));
    }

    @Test
    void aTenantRefusedInsideAGroupKeepsNothingAndTheOthersAreStillIntegrated() {
        IntegrateEventsService service = sequencerWith(new SequencerLimits(100, Duration.ofHours(1), 1, 3));
        twoEventsEachWithGlobexRefused();

        IntegrationRound round = service.integratePending();

        assertThat(round.refused()).containsOnlyKeys(GLOBEX);
        assertThat(round.integrated()).isEqualTo(4);
        assertThat(sequencer.queued(GLOBEX)).as("nothing of globex was taken").isEqualTo(2);
        assertThat(transactions.inTransaction(() -> log.latestCheckpoint(GLOBEX))).isEmpty();
        for (TenantId served : List.of(ACME, INITECH)) {
            assertThat(sequencer.queued(served)).isZero();
            assertThat(transactions.inTransaction(() -> log.latestCheckpoint(served)).orElseThrow().treeSize())
                    .isEqualTo(2);
        }
        assertThat(transactions.rolledBack()).as("the group, then globex alone").isEqualTo(2);
    }

    @Test
    void aTenantThatFailedLastRoundIsServedAloneSoItsNeighboursAreNotRolledBackAgain() {
        IntegrateEventsService service = sequencerWith(new SequencerLimits(100, Duration.ofHours(1), 1, 3));
        twoEventsEachWithGlobexRefused();
        service.integratePending();
        queue(ACME, 3);
        queue(INITECH, 3);
        int rolledBackBefore = transactions.rolledBack();

        IntegrationRound second = service.integratePending();

        assertThat(second.refused()).containsOnlyKeys(GLOBEX);
        assertThat(second.integrated()).isEqualTo(6);
        assertThat(transactions.rolledBack() - rolledBackBefore).as("globex alone, no group thrown away")
                .isEqualTo(1);
        for (TenantId served : List.of(ACME, INITECH)) {
            assertThat(transactions.inTransaction(() -> log.latestCheckpoint(served)).orElseThrow().treeSize())
                    .isEqualTo(5);
        }
    }

    @Test
    void limitsAreChecked() {
        assertThatThrownBy(() -> new SequencerLimits(1, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 2 leaves");
        assertThatThrownBy(() -> new SequencerLimits(10, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("positive");
        assertThatThrownBy(() -> new SequencerLimits(10, Duration.ofSeconds(1), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("workers");
        assertThatThrownBy(() -> new SequencerLimits(10, Duration.ofSeconds(1), 1, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tenants per transaction");
    }
}
