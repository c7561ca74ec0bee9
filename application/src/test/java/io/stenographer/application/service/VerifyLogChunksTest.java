package io.stenographer.application.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.stenographer.application.port.in.VerificationAlreadyRunning;
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
import io.stenographer.domain.checkpoint.KeySet;
import io.stenographer.domain.checkpoint.NoteVerifier;
import io.stenographer.domain.checkpoint.SignedNote;
import io.stenographer.domain.event.AuditEvent;
import io.stenographer.domain.event.EventDraft;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.log.LogLeaf;
import io.stenographer.domain.log.LogOrigins;
import io.stenographer.domain.log.VerificationFinding.Kind;
import io.stenographer.domain.log.VerificationReport;
import io.stenographer.domain.merkle.Hash;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * A log longer than one chunk, its leaves hashed on all cores: every event is counted, and an altered one is
 * named once, at its own index, in index order with the rest.
 */
class VerifyLogChunksTest {

    private static final TenantId ACME = TenantId.of("acme");
    private static final Instant NOW = Instant.parse("2026-05-01T10:00:00Z");
    private static final int EVENTS = 10_000 + 300; // a second chunk that completes a tile above the leaves

    private final FakeTransactionRunner transactions = new FakeTransactionRunner();
    private final InMemoryLog log = new InMemoryLog(transactions);
    private final MutableClock clock = new MutableClock(NOW);
    private final SplittableRandom random = new SplittableRandom(11);
    private final List<LogLeaf> leaves = new ArrayList<>();

    private final SignCheckpointPort signing = new SignCheckpointPort() {
        @Override
        public SignedNote sign(Checkpoint checkpoint) {
            return log.signer().sign(checkpoint.body());
        }

        @Override
        public NoteVerifier verifier() {
            return log.signer().verifier();
        }
    };

    private final VerifyLogService service = new VerifyLogService(log, new ParallelLeafReads(log, 3, 4_000),
            new SelfAudit(new InMemoryEventStore(transactions), clock, random, StoredIdentifiers.AS_GIVEN), new InMemoryVerificationRuns(),
            new TenantKeySets(signing, new InMemorySigningKeys().with(ACME, KeySet.single(log.signer().verifier()))),
            transactions, clock, new LogOrigins("stenographer.test"), noArchive());

    private RetentionRecordsCheck noArchive() {
        EmptyArchiveCatalog catalog = new EmptyArchiveCatalog();
        return new RetentionRecordsCheck(catalog, new ArchivedEventReader(catalog, new InMemoryArchive(clock), log),
                (tenant, limit) -> List.of(), transactions);
    }

    private void appendAndPublish() {
        for (int i = 0; i < EVENTS; i++) {
            leaves.add(log.append(TestEvents.event(ACME, "case.view", "C-" + i, NOW, random)));
        }
        log.publishCheckpoint(ACME, NOW);
    }

    private VerificationReport verify() {
        return service.verify(new VerifyLogCommand(TestDrafts.auditor("auditor-1", ACME), ACME, List.of(), false));
    }

    private VerificationReport verifyFully() {
        return service.verify(new VerifyLogCommand(TestDrafts.auditor("auditor-1", ACME), ACME, List.of(), true));
    }

    /** A clock whose first reading, once armed, waits until released: a run held at its start. */
    private static final class HoldingClock extends Clock {
        final AtomicBoolean armed = new AtomicBoolean();
        final CountDownLatch holding = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public Instant instant() {
            if (armed.compareAndSet(true, false)) {
                holding.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return NOW;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    @Test
    void aSecondRunOfALogWhileOneRunsIsRefusedAndTheScheduleSkipsThatLog() throws Exception {
        leaves.add(log.append(TestEvents.event(ACME, "case.view", "C-1", NOW, random)));
        log.publishCheckpoint(ACME, NOW);
        HoldingClock held = new HoldingClock();
        VerifyLogService guarded = new VerifyLogService(log, new ParallelLeafReads(log, 3, 4_000),
                new SelfAudit(new InMemoryEventStore(transactions), clock, random, StoredIdentifiers.AS_GIVEN),
                new InMemoryVerificationRuns(), new TenantKeySets(signing, new InMemorySigningKeys().with(ACME,
                        KeySet.single(log.signer().verifier()))), transactions, held, new LogOrigins("stenographer.test"),
                noArchive());
        VerifyLogCommand request = new VerifyLogCommand(TestDrafts.auditor("auditor-1", ACME), ACME, List.of(), true);

        held.armed.set(true);
        CompletableFuture<VerificationReport> first = CompletableFuture.supplyAsync(() -> guarded.verify(request));
        assertThat(held.holding.await(30, TimeUnit.SECONDS)).as("the first run started").isTrue();

        assertThatThrownBy(() -> guarded.verify(request)).isInstanceOf(VerificationAlreadyRunning.class)
                .hasMessageContaining("already running");
        assertThat(guarded.verifyAll(false)).as("the schedule skips the log being verified").isEmpty();
        held.release.countDown();
        assertThat(first.get(30, TimeUnit.SECONDS).ok()).isTrue();
        assertThat(guarded.verify(request).ok()).as("free again once the run ended").isTrue();
    }

    @Test
    void everyEventOfEveryChunkIsChecked() {
        appendAndPublish();
        VerificationReport report = verify();
        assertThat(report.findings()).isEmpty();
        assertThat(report.eventsChecked()).isEqualTo(EVENTS);
        assertThat(report.treeSize()).isEqualTo(EVENTS);
    }

    @Test
    void alteredEventsInBothChunksAreNamedInIndexOrder() {
        appendAndPublish();
        alterReason(10_123, "edited");
        alterReason(17, "edited too");
        VerificationReport report = verify();
        // Each chunk: its leaves in order, then the stored tiles above them it completed (leaves [0, 256) and
        // [9984, 10240)); the checkpoint's root is compared when the rebuild reaches its size.
        assertThat(report.findings()).extracting(f -> f.kind(), f -> f.index()).containsExactly(
                tuple(Kind.LEAF_MISMATCH, 17L),
                tuple(Kind.SUBTREE_MISMATCH, 0L),
                tuple(Kind.LEAF_MISMATCH, 10_123L),
                tuple(Kind.CHECKPOINT_ROOT_MISMATCH, (long) EVENTS - 1),
                tuple(Kind.SUBTREE_MISMATCH, 9_984L));
        assertThat(report.findings().get(2).message()).isEqualTo("index 10123: event " + leaves.get(10_123).eventId()
                + " no longer hashes to its leaf (content or position changed)");
        assertThat(report.eventsChecked()).isEqualTo(EVENTS);
    }

    @Test
    void leavesAndCheckpointsAreCheckedIncrementallyFromTheLastSoundRunUnlessAFullRunIsAskedFor() {
        appendAndPublish();
        VerificationReport first = verify();
        assertThat(first.anchoredAtSize()).isZero();
        assertThat(first.full()).as("no earlier run to continue").isTrue();
        assertThat(first.checkpointsChecked()).isEqualTo(1);

        appendAndPublish();
        VerificationReport second = verify();
        assertThat(second.findings()).isEmpty();
        assertThat(second.anchoredAtSize()).as("the first run's checkpoint, checked again").isEqualTo(EVENTS);
        assertThat(second.leavesCheckedFrom()).isEqualTo(EVENTS);
        assertThat(second.checkpointsChecked()).isEqualTo(2);
        assertThat(second.eventsChecked()).as("only the leaves appended since").isEqualTo(EVENTS);

        VerificationReport all = verifyFully();
        assertThat(all.anchoredAtSize()).isZero();
        assertThat(all.full()).isTrue();
        assertThat(all.checkpointsChecked()).isEqualTo(2);
        assertThat(all.eventsChecked()).isEqualTo(2L * EVENTS);

        alterReason(5, "edited");
        assertThat(verify().ok()).as("below the anchor: beyond an incremental run").isTrue();
        assertThat(verifyFully().findings()).extracting(f -> f.kind()).contains(Kind.LEAF_MISMATCH);
        VerificationReport afterFindings = verify();
        assertThat(afterFindings.anchoredAtSize()).as("a run with findings leaves no anchor").isZero();
        assertThat(afterFindings.full()).isTrue();
        assertThat(afterFindings.findings()).extracting(f -> f.kind()).contains(Kind.LEAF_MISMATCH);
    }

    @Test
    void aTileRewrittenBelowTheAnchorIsFoundByTheNextIncrementalRunWhichThenChecksEveryLeaf() {
        appendAndPublish();
        assertThat(verify().ok()).isTrue();
        appendAndPublish();
        // The level-8 hash of leaves [0, 256) lies on the stored tree's edge at the anchor (size 10,300).
        log.overwriteTileHash(ACME, 8, 0, new Hash(new byte[32]));

        VerificationReport report = verify();

        assertThat(report.findings()).extracting(f -> f.kind()).contains(Kind.SUBTREE_MISMATCH);
        assertThat(report.findings().get(0).message()).contains("10300 leaves below");
        assertThat(report.full()).isTrue();
        assertThat(report.eventsChecked()).isEqualTo(2L * EVENTS);
    }

    private void alterReason(int index, String reason) {
        AuditEvent event = log.hotEvent(leaves.get(index).eventId()).orElseThrow();
        EventDraft c = event.content();
        log.replaceHotEvent(event.id(), AuditEvent.restore(event.id(), event.receivedAt(), event.submittedBy(),
                new EventDraft(c.tenant(), c.actor(), c.action(), c.resource(), reason, c.outcome(), c.occurredAt(),
                        c.source(), c.correlationId(), c.metadata(), c.clientEventId())));
    }
}
