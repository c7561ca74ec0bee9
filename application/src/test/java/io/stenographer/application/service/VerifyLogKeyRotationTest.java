package io.stenographer.application.service;

import io.stenographer.application.port.in.VerifyLogCommand;
import io.stenographer.application.port.out.SignCheckpointPort;
import io.stenographer.application.service.fakes.EmptyArchiveCatalog;
import io.stenographer.application.service.fakes.FakeTransactionRunner;
import io.stenographer.application.service.fakes.InMemoryArchive;
import io.stenographer.application.service.fakes.InMemoryEventStore;
import io.stenographer.application.service.fakes.InMemoryLog;
import io.stenographer.application.service.fakes.InMemoryVerificationRuns;
import io.stenographer.application.service.fakes.InMemorySigningKeys;
import io.stenographer.application.service.fakes.MutableClock;
import io.stenographer.application.service.fakes.TestDrafts;
import io.stenographer.application.service.fakes.TestEvents;
import io.stenographer.domain.checkpoint.Checkpoint;
import io.stenographer.domain.checkpoint.Ed25519Keys;
import io.stenographer.domain.checkpoint.KeySet;
import io.stenographer.domain.checkpoint.NoteSigner;
import io.stenographer.domain.checkpoint.NoteVerifier;
import io.stenographer.domain.checkpoint.SignedNote;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.log.LogOrigins;
import io.stenographer.domain.log.VerificationFinding.Kind;
import io.stenographer.domain.log.VerificationReport;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import static org.assertj.core.api.Assertions.assertThat;

/** The service's log verification after the signing key was rotated mid-log (handover at size 3). */
class VerifyLogKeyRotationTest {

    private static final TenantId ACME = TenantId.of("acme");
    private static final Instant NOW = Instant.parse("2026-05-01T10:00:00Z");

    private final FakeTransactionRunner transactions = new FakeTransactionRunner();
    private final InMemoryLog log = new InMemoryLog(transactions);
    private final MutableClock clock = new MutableClock(NOW);
    private final SplittableRandom random = new SplittableRandom(9);
    private final NoteSigner oldKey = log.signer();
    private final NoteSigner newKey = new NoteSigner("stenographer.test/log", Ed25519Keys.generate().getPrivate());
    private final KeySet keys = KeySet.single(oldKey.verifier()).rotatedTo(newKey.verifier(), 3);

    private final SignCheckpointPort signing = new SignCheckpointPort() {
        @Override
        public SignedNote sign(Checkpoint checkpoint) {
            return newKey.sign(checkpoint.body());
        }

        @Override
        public NoteVerifier verifier() {
            return newKey.verifier();
        }
    };

    private final VerifyLogService service = new VerifyLogService(log, new ParallelLeafReads(log, 1, 1),
            new SelfAudit(new InMemoryEventStore(transactions), clock, random, StoredIdentifiers.AS_GIVEN), new InMemoryVerificationRuns(),
            new TenantKeySets(signing, new InMemorySigningKeys().with(ACME, keys)), transactions,
            clock, new LogOrigins("stenographer.test"), noArchive());

    /** Nothing archived and no retention changes: this test is about checkpoints. */
    private RetentionRecordsCheck noArchive() {
        EmptyArchiveCatalog catalog = new EmptyArchiveCatalog();
        return new RetentionRecordsCheck(catalog, new ArchivedEventReader(catalog, new InMemoryArchive(clock), log),
                (tenant, limit) -> List.of(), transactions);
    }

    private void append(int count) {
        for (int i = 0; i < count; i++) {
            log.append(TestEvents.event(ACME, "case.view", "C-" + i, NOW, random));
        }
    }

    private VerificationReport verify() {
        return service.verify(new VerifyLogCommand(TestDrafts.auditor("auditor-1", ACME), ACME, List.of(), false));
    }

    /** Size 2 by the old key, 3 cosigned (the handover), 5 by the new key. */
    private void rotatedLog() {
        append(2);
        log.publishCheckpoint(ACME, NOW, oldKey);
        append(1);
        log.publishCheckpoint(ACME, NOW, oldKey, newKey);
        append(2);
        log.publishCheckpoint(ACME, NOW, newKey);
    }

    @Test
    void oldHandoverAndNewCheckpointsAllVerify() {
        rotatedLog();
        VerificationReport report = verify();
        assertThat(report.findings()).isEmpty();
        assertThat(report.checkpointsChecked()).isEqualTo(3);
        assertThat(report.treeSize()).isEqualTo(5);
    }

    @Test
    void withOnlyTheCurrentKeyThePastCheckpointFails() {
        // What the service did before key sets: the old checkpoint cannot be checked.
        rotatedLog();
        VerifyLogService currentKeyOnly = new VerifyLogService(log, new ParallelLeafReads(log, 1, 1),
                new SelfAudit(new InMemoryEventStore(transactions), clock, random, StoredIdentifiers.AS_GIVEN), new InMemoryVerificationRuns(),
                new TenantKeySets(signing, new InMemorySigningKeys()), transactions, clock,
                new LogOrigins("stenographer.test"), noArchive());
        VerificationReport report = currentKeyOnly.verify(
                new VerifyLogCommand(TestDrafts.auditor("auditor-1", ACME), ACME, List.of(), false));
        assertThat(report.findings()).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo(Kind.CHECKPOINT_SIGNATURE);
            assertThat(f.message()).startsWith("stored checkpoint at size 2: signature does not verify");
        });
    }

    @Test
    void aCheckpointTheNewKeySignedBeforeTheRotationIsAFinding() {
        append(2);
        log.publishCheckpoint(ACME, NOW, newKey);
        append(1);
        log.publishCheckpoint(ACME, NOW, oldKey, newKey);
        assertThat(verify().findings()).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo(Kind.CHECKPOINT_SIGNATURE);
            assertThat(f.message()).contains("size 2").contains("valid only for sizes 3..");
        });
    }

    @Test
    void aCheckpointByAnUnknownKeyIsAFinding() {
        rotatedLog();
        append(1);
        NoteSigner stranger = new NoteSigner("stenographer.test/log", Ed25519Keys.generate().getPrivate());
        log.publishCheckpoint(ACME, NOW, stranger);
        assertThat(verify().findings()).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo(Kind.CHECKPOINT_SIGNATURE);
            assertThat(f.message()).contains("size 6").contains("no signature by a key in the key set");
        });
    }
    @Test
    void aHandoverCheckpointWithoutTheOldKeysSignatureIsAFinding() {
        // An era forged in the key history (rotated "to" a key an insider holds) has no cosigned handover.
        append(2);
        log.publishCheckpoint(ACME, NOW, oldKey);
        append(1);
        log.publishCheckpoint(ACME, NOW, newKey);
        assertThat(verify().findings()).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo(Kind.CHECKPOINT_SIGNATURE);
            assertThat(f.message()).contains("size 3").contains("key handover");
        });
    }
}
