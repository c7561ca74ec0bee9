package io.stenographer.application.service;

import io.stenographer.domain.privacy.SubjectErasure;
import io.stenographer.domain.privacy.SubjectIndex;
import static io.stenographer.application.service.fakes.TestDrafts.ACME;
import static io.stenographer.application.service.fakes.TestDrafts.writer;
import static org.assertj.core.api.Assertions.assertThat;

import io.stenographer.application.port.in.RecordEventsCommand;
import io.stenographer.application.port.in.RecordEventsResult;
import io.stenographer.application.port.in.RecordEventsResult.Receipt;
import io.stenographer.application.port.in.RecordEventsResult.Recorded;
import io.stenographer.application.port.in.RecordEventsResult.Replayed;
import io.stenographer.application.port.out.StorePersonalDataPort;
import io.stenographer.application.port.out.StorePersonalDataPort.SealedPersonalValue;
import io.stenographer.application.port.out.WrappedDataKey;
import io.stenographer.application.service.fakes.FakeTransactionRunner;
import io.stenographer.application.service.fakes.InMemoryEventStore;
import io.stenographer.application.service.fakes.InMemoryKeyManagement;
import io.stenographer.application.service.fakes.InMemoryPersonalData;
import io.stenographer.application.service.fakes.MutableClock;
import io.stenographer.domain.access.Caller;
import io.stenographer.domain.event.Action;
import io.stenographer.domain.event.Actor;
import io.stenographer.domain.event.ActorType;
import io.stenographer.domain.event.AuditEvent;
import io.stenographer.domain.event.EventDraft;
import io.stenographer.domain.event.Outcome;
import io.stenographer.domain.event.ResourceRef;
import io.stenographer.domain.event.SealedEventFormat;
import io.stenographer.domain.event.Source;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.json.CanonicalJson;
import io.stenographer.domain.json.JsonObject;
import io.stenographer.domain.json.JsonString;
import io.stenographer.domain.merkle.Hash;
import io.stenographer.domain.event.Commitments;
import io.stenographer.domain.privacy.DataPolicy;
import io.stenographer.domain.privacy.Disclosure;
import io.stenographer.domain.event.PersonalField;
import io.stenographer.domain.privacy.PersonalValueState;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Ingest under {@link DataPolicy#DEFAULT}: v2 leaves without the values, receipts whose openings recompute the leaf,
 * nothing readable at rest, replays with the same openings, one unwrap per key per TTL, and a key erased between
 * reading it and storing values under it.
 */
class RecordEventsPersonalDataTest {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00.123456Z");
    private static final Instant EARLIER = Instant.parse("2026-03-01T11:59:00Z");
    private static final Duration TTL = Duration.ofMinutes(5);
    private static final String NAME = "Dana Doe";
    private static final String IP = "198.51.100.77";
    private static final String AGENT = "Mozilla/5.0 (X11; Dana's laptop)";

    private final FakeTransactionRunner transactions = new FakeTransactionRunner();
    private final InMemoryEventStore events = new InMemoryEventStore(transactions);
    private final MutableClock clock = new MutableClock(NOW);
    private final InMemoryPersonalData personalData = new InMemoryPersonalData();
    private final InMemoryKeyManagement keyManagement = new InMemoryKeyManagement();
    private final PersonalDataVault vault = new PersonalDataVault(tenant -> DataPolicy.DEFAULT, keyManagement,
            personalData, new DataKeyCache<>(100, TTL, clock), transactions, new SecureRandom(), clock);
    private final Caller writer = writer("writer-1", ACME);
    private final SplittableRandom random = new SplittableRandom(7);
    private final RecordEventsService service = service(personalData);

    private RecordEventsService service(StorePersonalDataPort store) {
        return new RecordEventsService(events, events, transactions, clock, random, Duration.ofMinutes(5), vault,
                store);
    }

    static EventDraft draft(TenantId tenant, String actorId, String clientEventId) {
        return new EventDraft(tenant, new Actor(actorId, ActorType.USER, NAME), Action.of("case.view"),
                new ResourceRef("case", "C-1"), "background check", Outcome.SUCCESS, EARLIER,
                new Source("portal", IP, AGENT), "corr-1", new JsonObject(Map.of("field", new JsonString("ssn"))),
                clientEventId);
    }

    private RecordEventsResult record(EventDraft... drafts) {
        return service.record(new RecordEventsCommand(writer, List.of(drafts)));
    }

    private static Receipt receipt(RecordEventsResult.ItemOutcome outcome) {
        if (outcome instanceof Recorded recorded) {
            return recorded.receipt();
        }
        return ((Replayed) outcome).receipt();
    }

    /** What a writer does with its receipt: rebuild the v2 leaf from what it sent and the returned openings. */
    static Hash leafFromReceipt(EventDraft sent, Receipt receipt) {
        EventDraft committed = sent;
        Map<PersonalField, Hash> commitments = new LinkedHashMap<>();
        for (Map.Entry<String, String> opening : receipt.openings().entrySet()) {
            PersonalField field = PersonalField.parse(opening.getKey());
            Disclosure disclosure = new Disclosure(field, field.valueIn(sent),
                    HexFormat.of().parseHex(opening.getValue()));
            commitments.put(field, disclosure.commitment());
            committed = field.committedIn(committed, receipt.pseudonyms().get(field.path()));
        }
        return AuditEvent.restore(receipt.id(), receipt.receivedAt(), receipt.submittedBy(), committed,
                Commitments.of(commitments)).leafHash();
    }

    static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    @Test
    void theStoredEventIsV2WithoutTheValuesAndTheReceiptsOpeningsRecomputeItsLeaf() {
        EventDraft sent = draft(ACME, "dana", "order-1");

        Receipt receipt = receipt(record(sent).items().get(0));

        assertThat(events.committed()).hasSize(1);
        AuditEvent stored = events.committed().get(0);
        assertThat(stored.format()).isEqualTo(SealedEventFormat.FORMAT_V2);
        assertThat(stored.content().actor().displayName()).isNull();
        assertThat(stored.content().source().ip()).isNull();
        assertThat(stored.content().source().userAgent()).isNull();
        assertThat(stored.content().actor().id()).isEqualTo("dana");
        assertThat(stored.content().reason()).isEqualTo("background check");
        assertThat(stored.personal().byField().keySet()).containsExactly(PersonalField.ACTOR_DISPLAY_NAME,
                PersonalField.SOURCE_IP, PersonalField.SOURCE_USER_AGENT);
        String leafInput = new String(stored.leafInput(), StandardCharsets.UTF_8);
        assertThat(leafInput).contains("\"format\":\"stenographer.event/v2\"").doesNotContain(NAME)
                .doesNotContain(IP).doesNotContain("Dana's laptop");

        assertThat(receipt.id()).isEqualTo(stored.id());
        assertThat(receipt.leafHash()).isEqualTo(stored.leafHash());
        assertThat(receipt.openings()).containsOnlyKeys("actor.displayName", "source.ip", "source.userAgent");
        assertThat(receipt.openings().values()).allMatch(hex -> hex.matches("[0-9a-f]{64}"));
        assertThat(leafFromReceipt(sent, receipt)).isEqualTo(stored.leafHash());

        // Each opening opens exactly its field's commitment, and no other field's.
        for (PersonalField field : stored.personal().byField().keySet()) {
            byte[] opening = HexFormat.of().parseHex(receipt.openings().get(field.path()));
            assertThat(new Disclosure(field, field.valueIn(sent), opening).matches(stored.personal().get(field)))
                    .as(field.path()).isTrue();
            assertThat(new Disclosure(field, new JsonString("someone else"), opening)
                    .matches(stored.personal().get(field))).as(field.path()).isFalse();
        }
        // A writer that recomputes with a different value gets a different leaf: the receipt pins the values.
        EventDraft other = new EventDraft(sent.tenant(), new Actor("dana", ActorType.USER, "Eve"), sent.action(),
                sent.resource(), sent.reason(), sent.outcome(), sent.occurredAt(), sent.source(),
                sent.correlationId(), sent.metadata(), sent.clientEventId());
        assertThat(leafFromReceipt(other, receipt)).isNotEqualTo(stored.leafHash());
    }

    @Test
    void noStoredSealedValueHoldsThePlaintextAndEachIsBoundToItsEventAndField() {
        record(draft(ACME, "dana", null), draft(ACME, "erin", null));

        List<SealedPersonalValue> stored = personalData.allValues();
        assertThat(stored).hasSize(6);
        assertThat(stored).extracting(SealedPersonalValue::field).containsOnly("actor.displayName", "source.ip",
                "source.userAgent");
        assertThat(stored).extracting(SealedPersonalValue::eventId)
                .containsOnly(events.committed().get(0).id().value(), events.committed().get(1).id().value());
        assertThat(stored.stream().map(SealedPersonalValue::keyId).distinct()).as("one key per subject").hasSize(2);
        for (SealedPersonalValue value : stored) {
            byte[] sealed = value.sealed();
            for (String plain : List.of(NAME, IP, AGENT, "Dana", "198.51.100", "X11")) {
                assertThat(contains(sealed, plain.getBytes(StandardCharsets.UTF_8)))
                        .as(value.field() + " holds '" + plain + "'").isFalse();
                assertThat(contains(sealed, CanonicalJson.canonicalBytes(new JsonString(plain)))).isFalse();
            }
        }
    }

    @Test
    void aReplayOfTheSameKeyAndContentReturnsTheSameOpenings() {
        EventDraft sent = draft(ACME, "dana", "order-42");
        Receipt original = receipt(record(sent).items().get(0));
        clock.advance(Duration.ofMinutes(3));

        RecordEventsResult retry = record(sent);

        assertThat(retry.items()).singleElement().isInstanceOf(Replayed.class);
        Receipt replayed = receipt(retry.items().get(0));
        assertThat(replayed).isEqualTo(original);
        assertThat(replayed.openings()).isEqualTo(original.openings()).hasSize(3);
        assertThat(leafFromReceipt(sent, replayed)).isEqualTo(events.committed().get(0).leafHash());
        assertThat(events.committed()).hasSize(1);
        assertThat(personalData.allValues()).as("the replay stores nothing").hasSize(3);
    }

    @Test
    void aKeyRepeatedInsideOneBatchRecordsOnceAndStoresOneSetOfValues() {
        EventDraft sent = draft(ACME, "dana", "order-7");

        RecordEventsResult result = record(sent, sent);

        assertThat(result.items().get(0)).isInstanceOf(Recorded.class);
        assertThat(result.items().get(1)).isInstanceOf(Replayed.class);
        assertThat(events.committed()).hasSize(1);
        assertThat(personalData.allValues()).hasSize(3);
        assertThat(leafFromReceipt(sent, receipt(result.items().get(0)))).isEqualTo(events.committed().get(0)
                .leafHash());
        // "Behaves like a retry of its first occurrence": a retry's receipt carries the openings, so this one must.
        assertThat(receipt(result.items().get(1))).isEqualTo(receipt(result.items().get(0)));
    }

    @Test
    void aDraftWithoutPersonalValuesStaysV1AndNeedsNoKey() {
        EventDraft bare = new EventDraft(ACME, new Actor("svc", ActorType.SERVICE, null), Action.of("case.view"),
                null, null, Outcome.SUCCESS, EARLIER, new Source("portal", null, null), null, JsonObject.EMPTY, null);

        Receipt receipt = receipt(record(bare).items().get(0));

        AuditEvent stored = events.committed().get(0);
        assertThat(stored.format()).isEqualTo(SealedEventFormat.FORMAT);
        assertThat(stored.content()).isEqualTo(bare);
        assertThat(receipt.openings()).isEmpty();
        assertThat(personalData.allValues()).isEmpty();
        assertThat(keyManagement.unwraps).hasValue(0);
        assertThat(personalData.liveKeys(ACME, List.of(vault.subjectIndex(ACME, "svc")))).isEmpty();
    }

    @Test
    void manyEventsOfOneSubjectAcrossBatchesCostOneUnwrapPerTtl() {
        for (int batch = 0; batch < 4; batch++) {
            record(draft(ACME, "dana", null), draft(ACME, "dana", null), draft(ACME, "dana", null));
            clock.advance(Duration.ofSeconds(30));
        }
        assertThat(events.committed()).hasSize(12);
        assertThat(personalData.allValues().stream().map(SealedPersonalValue::keyId).distinct()).hasSize(1);
        assertThat(keyManagement.unwraps).as("one unwrap within the TTL").hasValue(1);

        clock.advance(TTL);
        record(draft(ACME, "dana", null), draft(ACME, "dana", null));
        record(draft(ACME, "dana", null));

        assertThat(keyManagement.unwraps).as("one more once the TTL has passed").hasValue(2);
        assertThat(events.committed()).hasSize(15);
    }

    @Test
    void aKeyErasedBetweenReadingItAndStoringValuesGetsANewKeyAndTheEventsAreRecorded() {
        AtomicBoolean erasedMeanwhile = new AtomicBoolean();
        List<UUID> erasedKeys = new ArrayList<>();
        StorePersonalDataPort racing = new Delegating(personalData) {
            @Override
            public void storeValues(List<SealedPersonalValue> values) {
                if (erasedMeanwhile.compareAndSet(false, true)) {
                    // Another instance erases the subject after keysFor read its key, before this transaction wrote.
                    erasedKeys.addAll(values.stream().map(SealedPersonalValue::keyId).distinct().toList());
                    personalData.erase(UUID.randomUUID(), ACME, vault.subjectIndex(ACME, "dana"), "actor.id",
                            "dana", "dpo");
                }
                super.storeValues(values);
            }
        };
        EventDraft sent = draft(ACME, "dana", "order-9");

        RecordEventsResult result = service(racing).record(new RecordEventsCommand(writer, List.of(sent)));

        assertThat(erasedMeanwhile).isTrue();
        assertThat(result.items()).singleElement().isInstanceOf(Recorded.class);
        assertThat(events.committed()).hasSize(1);
        AuditEvent stored = events.committed().get(0);
        Receipt receipt = receipt(result.items().get(0));
        assertThat(receipt.id()).isEqualTo(stored.id());
        assertThat(leafFromReceipt(sent, receipt)).isEqualTo(stored.leafHash());
        assertThat(personalData.allValues()).hasSize(3).allSatisfy(value -> {
            assertThat(value.eventId()).isEqualTo(stored.id().value());
            assertThat(value.keyId()).isNotIn(erasedKeys);
        });
        assertThat(personalData.keys(erasedKeys).values()).allMatch(StorePersonalDataPort.StoredDataKey::erased);
        assertThat(vault.reveal(List.of(stored)).get(stored.id()).values())
                .allSatisfy(state -> assertThat(state).isInstanceOf(PersonalValueState.Revealed.class));
    }

    @Test
    void aSubjectsLiveKeyIsReadOnceAndLaterBatchesNeedNoReadUntilItsTtlPasses() {
        List<Collection<SubjectIndex>> reads = new ArrayList<>();
        StorePersonalDataPort counting = new Delegating(personalData) {
            @Override
            public Map<SubjectIndex, StoredDataKey> liveKeys(TenantId tenant, Collection<SubjectIndex> subjects) {
                reads.add(List.copyOf(subjects));
                return super.liveKeys(tenant, subjects);
            }
        };
        PersonalDataVault caching = new PersonalDataVault(tenant -> DataPolicy.DEFAULT, keyManagement, counting,
                new DataKeyCache<>(100, TTL, clock), transactions, new SecureRandom(), clock);
        RecordEventsService ingest = new RecordEventsService(events, events, transactions, clock, random,
                Duration.ofMinutes(5), caching, counting);

        ingest.record(new RecordEventsCommand(writer, List.of(draft(ACME, "dana", null))));
        int startedAfterFirst = transactions.started();
        ingest.record(new RecordEventsCommand(writer, List.of(draft(ACME, "dana", null), draft(ACME, "erin", null))));

        assertThat(reads).as("the second batch reads only the subject it has not seen").hasSize(2);
        assertThat(reads.get(1)).containsExactly(caching.subjectIndex(ACME, "erin"));
        ingest.record(new RecordEventsCommand(writer, List.of(draft(ACME, "dana", null), draft(ACME, "erin", null))));
        assertThat(reads).as("known subjects: no read, only the ingest's own transaction").hasSize(2);
        // The second batch: erin's read, her new key, the ingest; the third: the ingest alone.
        assertThat(transactions.started() - startedAfterFirst).isEqualTo(3 + 1);

        clock.advance(TTL);
        ingest.record(new RecordEventsCommand(writer, List.of(draft(ACME, "dana", null))));
        assertThat(reads).as("read again once the TTL has passed").hasSize(3);
        assertThat(events.committed()).hasSize(6);
    }

    @Test
    void aCachedKeyErasedByAnotherInstanceIsRefusedAndTheBatchIsRecordedUnderANewKey() {
        record(draft(ACME, "dana", null));
        UUID first = personalData.allValues().get(0).keyId();
        // Another instance erases dana; this one still holds her key as live.
        personalData.erase(UUID.randomUUID(), ACME, vault.subjectIndex(ACME, "dana"), "actor.id", "dana", "dpo");

        RecordEventsResult result = record(draft(ACME, "dana", null));

        assertThat(result.items()).singleElement().isInstanceOf(Recorded.class);
        AuditEvent stored = events.committed().get(1);
        assertThat(personalData.values(List.of(stored.id().value()))).isNotEmpty()
                .allSatisfy(value -> assertThat(value.keyId()).isNotEqualTo(first));
        assertThat(vault.reveal(List.of(stored)).get(stored.id()).values())
                .allSatisfy(state -> assertThat(state).isInstanceOf(PersonalValueState.Revealed.class));
    }

    /** A store that forwards every call, for a test to override one of them. */
    static class Delegating implements StorePersonalDataPort {
        private final StorePersonalDataPort inner;

        Delegating(StorePersonalDataPort inner) {
            this.inner = inner;
        }

        @Override
        public Map<SubjectIndex, StoredDataKey> liveKeys(TenantId tenant, Collection<SubjectIndex> subjects) {
            return inner.liveKeys(tenant, subjects);
        }

        @Override
        public Map<SubjectIndex, StoredDataKey> createKeys(TenantId tenant, List<StoredDataKey> candidates,
                Instant createdAt) {
            return inner.createKeys(tenant, candidates, createdAt);
        }

        @Override
        public Map<UUID, StoredDataKey> keys(Collection<UUID> ids) {
            return inner.keys(ids);
        }

        @Override
        public void storeValues(List<SealedPersonalValue> values) {
            inner.storeValues(values);
        }

        @Override
        public List<SealedPersonalValue> values(Collection<UUID> eventIds) {
            return inner.values(eventIds);
        }

        @Override
        public SubjectErasure erase(UUID erasureId, TenantId tenant, SubjectIndex subject, String subjectField,
                String subjectId, String requestedBy) {
            return inner.erase(erasureId, tenant, subject, subjectField, subjectId, requestedBy);
        }

        @Override
        public List<SubjectErasure> erasures(TenantId tenant, SubjectIndex subject) {
            return inner.erasures(tenant, subject);
        }

        @Override
        public Map<TenantId, Map<PersonalField, Boolean>> identifierForms() {
            return inner.identifierForms();
        }

        @Override
        public Map<PersonalField, Boolean> recordIdentifierForms(TenantId tenant, Map<PersonalField, Boolean> forms) {
            return inner.recordIdentifierForms(tenant, forms);
        }

        @Override
        public long sweepErasedValues(int limit) {
            return inner.sweepErasedValues(limit);
        }

        @Override
        public long deleteValuesOfDeletedSegment(String segmentKey) {
            return inner.deleteValuesOfDeletedSegment(segmentKey);
        }

        @Override
        public List<StoredDataKey> keysNotWrappedUnder(String currentKekId, int limit) {
            return inner.keysNotWrappedUnder(currentKekId, limit);
        }

        @Override
        public boolean rewrap(UUID keyId, WrappedDataKey wrapped) {
            return inner.rewrap(keyId, wrapped);
        }

        @Override
        public StoredDataKey reportKey(UUID reportId, StoredDataKey candidate, Instant createdAt) {
            return inner.reportKey(reportId, candidate, createdAt);
        }

        @Override
        public java.util.Optional<StoredDataKey> reportKeyOf(UUID reportId) {
            return inner.reportKeyOf(reportId);
        }

        @Override
        public Map<UUID, StoredDataKey> keysForReport(UUID reportId, Collection<UUID> ids) {
            return inner.keysForReport(reportId, ids);
        }
    }
}
