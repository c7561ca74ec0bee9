package io.stenographer.application.service;

import static io.stenographer.application.service.fakes.TestDrafts.ACME;
import static io.stenographer.application.service.fakes.TestDrafts.GLOBEX;
import static io.stenographer.application.service.fakes.TestDrafts.auditor;
import static io.stenographer.application.service.fakes.TestDrafts.draft;
import static io.stenographer.application.service.fakes.TestDrafts.writer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stenographer.application.port.in.RecordEventsCommand;
import io.stenographer.application.port.in.RecordEventsResult;
import io.stenographer.application.port.in.RecordEventsResult.Conflicting;
import io.stenographer.application.port.in.RecordEventsResult.Receipt;
import io.stenographer.application.port.in.RecordEventsResult.Recorded;
import io.stenographer.application.port.in.RecordEventsResult.Rejected;
import io.stenographer.application.port.in.RecordEventsResult.Replayed;
import io.stenographer.application.port.out.ClientEventIdTaken;
import io.stenographer.application.service.fakes.FakeTransactionRunner;
import io.stenographer.application.service.fakes.InMemoryEventStore;
import io.stenographer.application.service.fakes.MutableClock;
import io.stenographer.domain.access.Caller;
import io.stenographer.domain.access.Role;
import io.stenographer.domain.access.TenantAccessDenied;
import io.stenographer.domain.event.AuditEvent;
import io.stenographer.domain.event.EventDraft;
import io.stenographer.domain.event.EventId;
import io.stenographer.domain.event.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import io.stenographer.application.service.fakes.InMemoryKeyManagement;
import io.stenographer.application.service.fakes.InMemoryPersonalData;
import io.stenographer.domain.privacy.DataPolicy;
import org.junit.jupiter.api.Test;

class RecordEventsServiceTest {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00.123456789Z");
    private static final Instant NOW_MICROS = Instant.parse("2026-03-01T12:00:00.123456Z");
    private static final Instant EARLIER = Instant.parse("2026-03-01T11:59:00Z");
    private static final Duration SKEW = Duration.ofMinutes(5);

    private final FakeTransactionRunner transactions = new FakeTransactionRunner();
    private final InMemoryEventStore store = new InMemoryEventStore(transactions);
    private final MutableClock clock = new MutableClock(NOW);
    private final InMemoryPersonalData personalData = new InMemoryPersonalData();
    private final InMemoryKeyManagement keyManagement = new InMemoryKeyManagement();
    private final PersonalDataVault vault = new PersonalDataVault(tenant -> DataPolicy.NOTHING_PERSONAL,
            keyManagement, personalData, new DataKeyCache<>(100, Duration.ofMinutes(5), clock), transactions,
            new java.security.SecureRandom(), clock);
    private final RecordEventsService service = new RecordEventsService(store, store, transactions, clock,
            new SplittableRandom(7), SKEW, vault, personalData);

    private final Caller writer = writer("writer-1", ACME);

    @Test
    void sealsAndAppendsAnEventAndHandsBackItsReceipt() {
        EventDraft draft = draft(ACME, "case.view", EARLIER, null);

        RecordEventsResult result = record(writer, draft);

        assertThat(store.committed()).hasSize(1);
        AuditEvent stored = store.committed().get(0);
        assertThat(stored.content()).isEqualTo(draft);
        assertThat(stored.submittedBy()).isEqualTo("writer-1");
        assertThat(stored.receivedAt()).isEqualTo(NOW_MICROS);
        assertThat(stored.id().value().version()).isEqualTo(7);
        assertThat(result.items()).containsExactly(
                new Recorded(new Receipt(stored.id(), stored.leafHash(), NOW_MICROS, stored.submittedBy())));
    }

    @Test
    void aWriterMayOnlyWriteItsOwnTenantAndAForeignItemRefusesTheWholeBatch() {
        List<EventDraft> drafts = List.of(draft(ACME, "case.view", EARLIER, null),
                draft(GLOBEX, "case.view", EARLIER, null));

        assertThatThrownBy(() -> service.record(new RecordEventsCommand(writer, drafts)))
                .isInstanceOfSatisfying(TenantAccessDenied.class, denied -> {
                    assertThat(denied.tenant()).isEqualTo(GLOBEX);
                    assertThat(denied.role()).isEqualTo(Role.AUDIT_WRITER);
                    assertThat(denied.subject()).isEqualTo("writer-1");
                });
        assertThat(store.committed()).isEmpty();
        assertThat(store.appends()).isEmpty();
        assertThat(transactions.started()).isZero();
    }

    @Test
    void anAuditorOfTheTenantIsNotAWriter() {
        assertThatThrownBy(() -> record(auditor("auditor-1", ACME), draft(ACME, "case.view", EARLIER, null)))
                .isInstanceOf(TenantAccessDenied.class);
        assertThat(store.appends()).isEmpty();
    }

    @Test
    void aWriterOfSeveralTenantsRecordsIntoEachAndLooksUpKeysPerTenant() {
        Caller both = writer("writer-2", ACME, GLOBEX);

        RecordEventsResult result = record(both, draft(ACME, "case.view", EARLIER, "k-1"),
                draft(GLOBEX, "case.view", EARLIER, "k-1"));

        assertThat(result.items()).allMatch(Recorded.class::isInstance);
        assertThat(store.committed()).extracting(AuditEvent::tenant).containsExactly(ACME, GLOBEX);
        assertThat(store.lookups()).extracting(InMemoryEventStore.Lookup::tenant)
                .containsExactlyInAnyOrder(ACME, GLOBEX);
    }

    @Test
    void anOccurredAtBeyondTheSkewIsRejectedPerItemAndTheRestIsRecorded() {
        Instant limit = NOW_MICROS.plus(SKEW);
        EventDraft past = draft(ACME, "case.view", EARLIER, null);
        EventDraft tooFar = draft(ACME, "case.edit", limit.plusNanos(1_000), null);
        EventDraft atTheLimit = draft(ACME, "case.export", limit, null);

        RecordEventsResult result = record(writer, past, tooFar, atTheLimit);

        assertThat(result.items()).hasSize(3);
        assertThat(result.items().get(0)).isInstanceOf(Recorded.class);
        assertThat(result.items().get(1)).isInstanceOfSatisfying(Rejected.class,
                rejected -> assertThat(rejected.violation().field()).isEqualTo("occurredAt"));
        assertThat(result.items().get(2)).isInstanceOf(Recorded.class);
        assertThat(store.committed()).extracting(e -> e.content().action().value())
                .containsExactly("case.view", "case.export");
    }

    @Test
    void aBatchOfOnlyRejectedItemsAppendsNothing() {
        RecordEventsResult result = record(writer, draft(ACME, "case.view", NOW_MICROS.plus(Duration.ofHours(1)), null));

        assertThat(result.items()).singleElement().isInstanceOf(Rejected.class);
        assertThat(store.appends()).isEmpty();
        assertThat(transactions.started()).isEqualTo(1);
    }

    @Test
    void aRetryWithTheSameKeyAndContentReplaysTheOriginalReceipt() {
        EventDraft draft = draft(ACME, "case.view", EARLIER, "order-42");
        Receipt original = ((Recorded) record(writer, draft).items().get(0)).receipt();
        clock.advance(Duration.ofMinutes(3));

        RecordEventsResult retry = record(writer, draft);

        assertThat(retry.items()).containsExactly(new Replayed(original));
        assertThat(original.receivedAt()).isEqualTo(NOW_MICROS);
        assertThat(store.committed()).hasSize(1);
        assertThat(store.appends()).hasSize(1);
    }

    @Test
    void aKeyOfAPurgedEventConflictsWithoutNamingItForAnyone() {
        EventId purged = EventId.newTimeOrdered(EARLIER, new java.util.SplittableRandom(3));
        store.purgedKey(ACME, "order-7", purged);

        RecordEventsResult result = record(writer, draft(ACME, "case.view", EARLIER, "order-7"));

        // Its content is gone, so a retry cannot be told from another event; its submitter is not at hand either.
        assertThat(result.items()).containsExactly(new Conflicting("order-7", null));
        assertThat(store.committed()).isEmpty();
    }

    @Test
    void anIdenticalEventOfAnotherSubmitterUnderTheSameKeyIsAConflictNotADuplicate() {
        EventDraft same = draft(ACME, "case.view", EARLIER, "order-42");
        record(writer, same);

        RecordEventsResult result = record(writer("writer-2", ACME), same);

        assertThat(result.items()).containsExactly(new Conflicting("order-42", null));
        assertThat(store.committed()).hasSize(1);
    }

    @Test
    void aKeyTakenByAnotherSubmitterConflictsWithoutNamingItsEvent() {
        record(writer, draft(ACME, "case.view", EARLIER, "order-42"));
        Caller otherApplication = writer("writer-2", ACME);

        RecordEventsResult result = record(otherApplication, draft(ACME, "case.delete", EARLIER, "order-42"));

        // Its id would let the other application fetch that event's proofs; keys are often guessable.
        assertThat(result.items()).containsExactly(new Conflicting("order-42", null));
        assertThat(store.committed()).hasSize(1);
    }

    @Test
    void theSameKeyWithDifferentContentConflictsAndStoresNothing() {
        EventDraft first = draft(ACME, "case.view", EARLIER, "order-42");
        EventId firstId = ((Recorded) record(writer, first).items().get(0)).receipt().id();
        EventDraft different = draft(ACME, "case.delete", EARLIER, "order-42");

        RecordEventsResult result = record(writer, different);

        assertThat(result.items()).containsExactly(new Conflicting("order-42", firstId));
        assertThat(store.committed()).hasSize(1);
        assertThat(store.appends()).hasSize(1);
    }

    @Test
    void keysAreScopedToTheTenant() {
        Caller both = writer("writer-2", ACME, GLOBEX);
        record(both, draft(ACME, "case.view", EARLIER, "order-42"));

        RecordEventsResult other = record(both, draft(GLOBEX, "case.delete", EARLIER, "order-42"));

        assertThat(other.items()).singleElement().isInstanceOf(Recorded.class);
        assertThat(store.committed()).hasSize(2);
    }

    @Test
    void aKeyRepeatedInsideOneBatchIsAReplayOfItsFirstOccurrence() {
        EventDraft draft = draft(ACME, "case.view", EARLIER, "dup");

        RecordEventsResult result = record(writer, draft, draft);

        Receipt first = ((Recorded) result.items().get(0)).receipt();
        assertThat(result.items().get(1)).isEqualTo(new Replayed(first));
        assertThat(store.committed()).hasSize(1);
    }

    @Test
    void aKeyRepeatedInsideOneBatchWithOtherContentConflictsWithItsFirstOccurrence() {
        RecordEventsResult result = record(writer, draft(ACME, "case.view", EARLIER, "dup"),
                draft(ACME, "case.edit", EARLIER, "dup"));

        EventId first = ((Recorded) result.items().get(0)).receipt().id();
        assertThat(result.items().get(1)).isEqualTo(new Conflicting("dup", first));
        assertThat(store.committed()).singleElement().satisfies(e -> assertThat(e.id()).isEqualTo(first));
    }

    @Test
    void aLostRaceIsRetriedOnceInANewTransactionAndThenSeesTheWinner() {
        EventDraft keyed = draft(ACME, "case.view", EARLIER, "raced");
        EventDraft unkeyed = draft(ACME, "case.edit", EARLIER, null);
        // The same application's concurrent retry of the same event won.
        AuditEvent winner = AuditEvent.record(EventId.newTimeOrdered(EARLIER, new SplittableRandom(1)), EARLIER,
                writer.submitter(), keyed);
        store.loseNextAppendTo(winner);

        RecordEventsResult result = record(writer, keyed, unkeyed);

        assertThat(store.racesThrown()).isEqualTo(1);
        assertThat(transactions.started()).isEqualTo(2);
        assertThat(transactions.rolledBack()).isEqualTo(1);
        assertThat(transactions.committed()).isEqualTo(1);
        assertThat(result.items().get(0)).isEqualTo(
                new Replayed(new Receipt(winner.id(), winner.leafHash(), winner.receivedAt(),
                        winner.submittedBy())));
        assertThat(result.items().get(1)).isInstanceOf(Recorded.class);
        // The first attempt's writes were rolled back; the retry appended only what was still new.
        assertThat(store.appends()).extracting(InMemoryEventStore.Append::transaction).containsExactly(1, 2);
        assertThat(store.appends().get(1).events()).extracting(AuditEvent::content).containsExactly(unkeyed);
        assertThat(store.committed()).extracting(AuditEvent::content).containsExactly(keyed, unkeyed);
        assertThat(store.committed().get(0)).isEqualTo(winner);
    }

    @Test
    void aRaceLostTwiceIsNotRetriedAgain() {
        EventDraft keyed = draft(ACME, "case.view", EARLIER, "raced");
        store.loseNextAppendTo(AuditEvent.record(EventId.newTimeOrdered(EARLIER, new SplittableRandom(1)),
                EARLIER, "writer-9", draft(ACME, "case.view", EARLIER, "other-1")));
        store.loseNextAppendTo(AuditEvent.record(EventId.newTimeOrdered(EARLIER, new SplittableRandom(2)),
                EARLIER, "writer-9", draft(ACME, "case.view", EARLIER, "other-2")));

        assertThatThrownBy(() -> record(writer, keyed)).isInstanceOf(ClientEventIdTaken.class);
        assertThat(transactions.started()).isEqualTo(2);
        assertThat(store.racesThrown()).isEqualTo(2);
        assertThat(store.committed()).noneMatch(e -> e.content().equals(keyed));
    }

    @Test
    void aWholeBatchRunsInOneTransactionWithOneLookupAndOneAppend() {
        EventDraft[] drafts = new EventDraft[50];
        for (int i = 0; i < drafts.length; i++) {
            drafts[i] = draft(ACME, "case.view", EARLIER.plusSeconds(i), "key-" + i);
        }

        RecordEventsResult result = record(writer, drafts);

        assertThat(result.items()).hasSize(50).allMatch(Recorded.class::isInstance);
        assertThat(transactions.started()).isEqualTo(1);
        assertThat(transactions.committed()).isEqualTo(1);
        assertThat(store.lookups()).singleElement().satisfies(lookup -> {
            assertThat(lookup.transaction()).isEqualTo(1);
            assertThat(lookup.clientEventIds()).hasSize(50);
        });
        assertThat(store.appends()).singleElement().satisfies(append -> {
            assertThat(append.transaction()).isEqualTo(1);
            assertThat(append.events()).hasSize(50);
        });
        assertThat(store.committed()).extracting(AuditEvent::id).doesNotHaveDuplicates();
        assertThat(result.items()).extracting(item -> ((Recorded) item).receipt().id())
                .containsExactlyElementsOf(store.committed().stream().map(AuditEvent::id).toList());
    }

    @Test
    void outcomesFollowCommandOrder() {
        EventDraft seeded = draft(ACME, "case.view", EARLIER, "old");
        record(writer, seeded);

        RecordEventsResult result = record(writer, draft(ACME, "case.new", EARLIER, null), seeded,
                draft(ACME, "case.later", NOW_MICROS.plus(Duration.ofDays(1)), null),
                draft(ACME, "case.view", EARLIER, "old").withClientEventId("old2"));

        assertThat(result.items()).hasExactlyElementsOfTypes(Recorded.class, Replayed.class, Rejected.class,
                Recorded.class);
        assertThat(store.committed()).hasSize(3);
        assertThat(store.committed()).allMatch(e -> e.content().outcome() == Outcome.SUCCESS);
    }

    private RecordEventsResult record(Caller caller, EventDraft... drafts) {
        return service.record(new RecordEventsCommand(caller, List.of(drafts)));
    }
}
