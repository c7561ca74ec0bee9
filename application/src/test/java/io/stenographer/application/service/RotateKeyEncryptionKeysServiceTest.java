package io.stenographer.application.service;

import static io.stenographer.application.service.fakes.TestDrafts.ACME;
import static io.stenographer.application.service.fakes.TestDrafts.writer;
import static org.assertj.core.api.Assertions.assertThat;

import io.stenographer.application.port.in.RecordEventsCommand;
import io.stenographer.application.port.in.RotateKeyEncryptionKeysUseCase.RotationRun;
import io.stenographer.application.port.out.RotateKeyEncryptionKeysPort;
import io.stenographer.application.service.fakes.FakeTransactionRunner;
import io.stenographer.application.service.fakes.InMemoryEventStore;
import io.stenographer.application.service.fakes.InMemoryJobLocks;
import io.stenographer.application.service.fakes.InMemoryKeyManagement;
import io.stenographer.application.service.fakes.InMemoryPersonalData;
import io.stenographer.application.service.fakes.MutableClock;
import io.stenographer.domain.event.AuditEvent;
import io.stenographer.domain.privacy.DataPolicy;
import io.stenographer.domain.privacy.PersonalValueState;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The key-encryption key schedule, driven by the clock: rotate, rewrap, destroy only what no live key needs. */
class RotateKeyEncryptionKeysServiceTest {

    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    private static final Duration ROTATE_EVERY = Duration.ofDays(90);
    private static final Duration KEEP_RETIRED_FOR = Duration.ofDays(35);

    private final FakeTransactionRunner transactions = new FakeTransactionRunner();
    private final InMemoryEventStore events = new InMemoryEventStore(transactions);
    private final MutableClock clock = new MutableClock(START);
    private final InMemoryPersonalData personalData = new InMemoryPersonalData();
    private final InMemoryKeyManagement keyManagement = new InMemoryKeyManagement();
    private final Generations generations = new Generations();
    private final InMemoryJobLocks locks = new InMemoryJobLocks();
    private final PersonalDataVault vault = new PersonalDataVault(tenant -> DataPolicy.DEFAULT, keyManagement,
            personalData, new DataKeyCache<>(100, Duration.ofMinutes(5), clock), transactions, new SecureRandom(),
            clock);
    private final RecordEventsService ingest = new RecordEventsService(events, events, transactions, clock,
            new SplittableRandom(3), Duration.ofMinutes(5), vault, personalData);
    private final RotateKeyEncryptionKeysService schedule = new RotateKeyEncryptionKeysService(generations,
            new RewrapDataKeysService(keyManagement, personalData, transactions, 2), locks, clock, ROTATE_EVERY,
            KEEP_RETIRED_FOR);

    /** The fake keyring's generations, with the times the clock gave them. */
    private final class Generations implements RotateKeyEncryptionKeysPort {
        private final List<Generation> all = new ArrayList<>(
                List.of(new Generation(keyManagement.currentKeyEncryptionKeyId(ACME), START, null, false)));

        @Override
        public List<Generation> generations() {
            return List.copyOf(all);
        }

        @Override
        public void rotate() {
            Instant now = clock.instant();
            Generation last = all.remove(all.size() - 1);
            all.add(new Generation(last.id(), last.createdAt(), now, last.destroyed()));
            all.add(new Generation(keyManagement.rotate(), now, null, false));
        }

        @Override
        public void destroy(String id) {
            keyManagement.destroy(id);
            all.replaceAll(g -> g.id().equals(id) ? new Generation(id, g.createdAt(), g.retiredAt(), true) : g);
        }
    }

    private List<AuditEvent> recordFor(String... actors) {
        int before = events.committed().size();
        List<io.stenographer.domain.event.EventDraft> drafts = new ArrayList<>();
        for (String actor : actors) {
            drafts.add(RecordEventsPersonalDataTest.draft(ACME, actor, null));
        }
        ingest.record(new RecordEventsCommand(writer("writer-1", ACME), drafts));
        return events.committed().subList(before, events.committed().size());
    }

    private void assertEverythingDecrypts(List<AuditEvent> recorded) {
        vault.forgetCachedKeys();
        vault.reveal(recorded).values().forEach(fields -> assertThat(fields.values())
                .allMatch(state -> state instanceof PersonalValueState.Revealed));
    }

    @Test
    void rotatesWhenDueRewrapsEveryLiveKeyAndDestroysARetiredGenerationOnlyAfterItsBackupsExpired() {
        List<AuditEvent> recorded = new ArrayList<>(recordFor("dana", "erin", "finn"));
        String first = keyManagement.currentKeyEncryptionKeyId(ACME);

        clock.advance(Duration.ofDays(10));
        RotationRun early = schedule.run();
        assertThat(early.rotated()).isFalse();
        assertThat(early.destroyed()).isEmpty();

        clock.advance(Duration.ofDays(80));
        RotationRun due = schedule.run();
        assertThat(due.rotated()).isTrue();
        assertThat(due.rewrapped()).isEqualTo(3);
        assertThat(due.rewrapComplete()).isTrue();
        assertThat(due.destroyed()).as("its backups have not expired yet").isEmpty();
        recorded.addAll(recordFor("gwen"));

        clock.advance(KEEP_RETIRED_FOR.minusDays(1));
        assertThat(schedule.run().destroyed()).isEmpty();
        clock.advance(Duration.ofDays(1));
        RotationRun expired = schedule.run();
        assertThat(expired.rotated()).isFalse();
        assertThat(expired.destroyed()).containsExactly(first);

        // Nothing needed the destroyed generation: everything still decrypts.
        assertEverythingDecrypts(recorded);
        assertThat(personalData.keysNotWrappedUnder(keyManagement.currentKeyEncryptionKeyId(ACME), 10)).isEmpty();
    }

    @Test
    void anotherInstanceHoldingTheJobMeansThisRunSkips() {
        locks.holdElsewhere(RotateKeyEncryptionKeysService.JOB);
        clock.advance(ROTATE_EVERY);
        RotationRun run = schedule.run();
        assertThat(run.skipped()).isTrue();
        assertThat(run.rotated()).isFalse();
        assertThat(generations.generations()).hasSize(1);
    }
}
