package io.stenographer.application.service;

import static io.stenographer.application.service.fakes.TestDrafts.ACME;
import static io.stenographer.application.service.fakes.TestDrafts.GLOBEX;
import static org.assertj.core.api.Assertions.assertThat;

import io.stenographer.application.port.in.IntegrateEventsUseCase.IntegrationRound;
import io.stenographer.application.port.out.SignCheckpointPort;
import io.stenographer.application.service.fakes.FakeTransactionRunner;
import io.stenographer.application.service.fakes.InMemoryEventStore;
import io.stenographer.application.service.fakes.InMemoryLog;
import io.stenographer.application.service.fakes.InMemorySequencer;
import io.stenographer.application.service.fakes.InMemorySigningKeys;
import io.stenographer.application.service.fakes.MutableClock;
import io.stenographer.application.service.fakes.TestEvents;
import io.stenographer.domain.checkpoint.Checkpoint;
import io.stenographer.domain.checkpoint.Ed25519Keys;
import io.stenographer.domain.checkpoint.KeySet;
import io.stenographer.domain.checkpoint.NoteSigner;
import io.stenographer.domain.checkpoint.NoteVerifier;
import io.stenographer.domain.checkpoint.SignedNote;
import io.stenographer.domain.event.AuditEvent;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.json.JsonString;
import io.stenographer.domain.log.LogOrigins;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The sequencer's side of a key rotation: announce, cosign the handover, record the new era; refuse unknown keys. */
class KeyRotationTest {

    private static final Instant NOW = Instant.parse("2026-07-01T09:00:00Z");

    private final FakeTransactionRunner transactions = new FakeTransactionRunner();
    private final InMemoryLog log = new InMemoryLog(transactions);
    private final InMemoryEventStore events = new InMemoryEventStore(transactions);
    private final InMemorySigningKeys history = new InMemorySigningKeys();
    private final MutableClock clock = new MutableClock(NOW);
    private final SplittableRandom random = new SplittableRandom(3);
    private final NoteSigner keyA = signer();
    private final NoteSigner keyB = signer();
    private final NoteSigner keyC = signer();
    private final InMemorySequencer sequencer = new InMemorySequencer(log);

    private static NoteSigner signer() {
        return new NoteSigner("stenographer.test", Ed25519Keys.generate().getPrivate());
    }

    /** Signs with {@code current}; holds {@code retired} for handovers, as FileSigningKey does. */
    private static SignCheckpointPort keys(NoteSigner current, NoteSigner... retired) {
        return new SignCheckpointPort() {
            @Override
            public SignedNote sign(Checkpoint checkpoint) {
                return checkpoint.sign(current);
            }

            @Override
            public NoteVerifier verifier() {
                return current.verifier();
            }

            @Override
            public List<NoteVerifier> retiredKeys() {
                return List.of(retired).stream().map(NoteSigner::verifier).toList();
            }

            @Override
            public SignedNote cosign(Checkpoint checkpoint, NoteVerifier key) {
                NoteSigner old = List.of(retired).stream().filter(r -> r.verifier().equals(key)).findFirst()
                        .orElseThrow();
                return checkpoint.sign(old).withSignature(current.signature(checkpoint.body()));
            }
        };
    }

    private IntegrationRound round(SignCheckpointPort signing) {
        return round(signing, history);
    }

    private IntegrationRound round(SignCheckpointPort signing, InMemorySigningKeys keyHistory) {
        return new IntegrateEventsService(sequencer, log, sequencer, signing, keyHistory,
                new SelfAudit(events, clock, random, StoredIdentifiers.AS_GIVEN), transactions, clock, new LogOrigins("stenographer.test"),
                new SequencerLimits(100, Duration.ofSeconds(1))).integratePending();
    }

    private void queue(TenantId tenant, int count) {
        for (int i = 0; i < count; i++) {
            sequencer.queue(TestEvents.event(tenant, "case.view", "C-" + i, NOW, random));
        }
    }

    private SignedNote latestNote(TenantId tenant) {
        return SignedNote.parse(transactions.inTransaction(() -> log.latestCheckpoint(tenant)).orElseThrow()
                .signedNote());
    }

    @Test
    void aNewLogStartsItsKeyHistoryWithTheCurrentKey() {
        queue(ACME, 3);
        round(keys(keyA));
        assertThat(history.keySet(ACME)).contains(KeySet.single(keyA.verifier()));
        assertThat(latestNote(ACME).signatures()).hasSize(1);
    }

    @Test
    void rotationAnnouncesItselfAndCosignsTheHandoverCheckpoint() {
        queue(ACME, 3);
        round(keys(keyA));
        queue(ACME, 2);

        IntegrationRound handover = round(keys(keyB, keyA));

        assertThat(handover.failed()).isEmpty();
        assertThat(handover.integrated()).as("two events and the announcement").isEqualTo(3);
        KeySet keySet = history.keySet(ACME).orElseThrow();
        assertThat(keySet).isEqualTo(KeySet.single(keyA.verifier()).rotatedTo(keyB.verifier(), 6));
        SignedNote cosigned = latestNote(ACME);
        assertThat(cosigned.signatures()).hasSize(2);
        assertThat(keySet.verify(cosigned).treeSize()).isEqualTo(6);
        AuditEvent announcement = events.committed().stream().filter(e -> e.content().action().value().equals("log.key-rotated"))
                .findFirst().orElseThrow();
        assertThat(announcement.content().metadata().get("previousKey")).isEqualTo(new JsonString(keyA.verifier().toVerifierKey()));
        assertThat(announcement.content().metadata().get("newKey")).isEqualTo(new JsonString(keyB.verifier().toVerifierKey()));
        assertThat(transactions.inTransaction(() -> log.leafOfEvent(announcement.id())).orElseThrow().index())
                .as("the announcement is inside the handover checkpoint").isLessThan(6);

        queue(ACME, 1);
        round(keys(keyB));
        assertThat(latestNote(ACME).signatures()).as("after the handover the new key alone signs").hasSize(1);
        assertThat(keySet.verify(latestNote(ACME)).treeSize()).isEqualTo(7);
    }

    @Test
    void aQuietTenantIsRotatedWithoutWaitingForItsNextEvent() {
        queue(GLOBEX, 2);
        round(keys(keyA));

        IntegrationRound handover = round(keys(keyB, keyA));

        assertThat(handover.integrated()).as("the announcement alone").isEqualTo(1);
        assertThat(history.keySet(GLOBEX).orElseThrow().current().key()).isEqualTo(keyB.verifier());
        assertThat(round(keys(keyB, keyA)).integrated()).as("rotated once, not every round").isZero();
    }

    @Test
    void aLogSignedByAKeyThatIsNeitherCurrentNorRetiredIsNeverSignedOver() {
        queue(ACME, 2);
        round(keys(keyA));
        queue(ACME, 2);

        IntegrationRound refused = round(keys(keyC, keyB));

        assertThat(refused.failed()).containsOnlyKeys(ACME);
        assertThat(refused.failed().get(ACME)).contains(keyA.verifier().toVerifierKey()).contains("retired");
        assertThat(transactions.inTransaction(() -> log.treeSize(ACME))).isEqualTo(2);
        assertThat(history.keySet(ACME)).contains(KeySet.single(keyA.verifier()));
    }

    @Test
    void aLogOlderThanTheKeyHistoryStartsWithTheKeyThatSignedItsLatestCheckpoint() {
        // Checkpoints written before the key history existed, by key A; the operator rotated to B at the upgrade.
        queue(ACME, 2);
        round(keys(keyA));
        InMemorySigningKeys none = new InMemorySigningKeys();
        queue(ACME, 1);
        IntegrationRound round = round(keys(keyB, keyA), none);

        assertThat(round.failed()).isEmpty();
        assertThat(none.keySet(ACME)).contains(KeySet.single(keyA.verifier()).rotatedTo(keyB.verifier(), 4));
        assertThat(latestNote(ACME).signatures()).hasSize(2);
    }

    @Test
    void aRoundAlwaysLeavesRoomForTheAnnouncement() {
        queue(ACME, 1);
        round(keys(keyA));
        queue(ACME, 150);
        IntegrationRound round = round(keys(keyB, keyA));
        assertThat(round.integrated()).as("99 queued events and the announcement").isEqualTo(100);
        assertThat(history.keySet(ACME).orElseThrow().current()).isEqualTo(
                new KeySet.Era(keyB.verifier(), 101, Optional.empty()));
    }
}
