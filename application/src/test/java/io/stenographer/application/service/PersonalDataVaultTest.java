package io.stenographer.application.service;

import static io.stenographer.application.service.fakes.TestDrafts.ACME;
import static io.stenographer.application.service.fakes.TestDrafts.GLOBEX;
import static io.stenographer.application.service.fakes.TestDrafts.writer;
import static org.assertj.core.api.Assertions.assertThat;

import io.stenographer.application.port.in.RecordEventsCommand;
import io.stenographer.application.port.in.RecordEventsResult.Receipt;
import io.stenographer.application.port.in.RecordEventsResult.Recorded;
import io.stenographer.application.port.out.StorePersonalDataPort.SealedPersonalValue;
import io.stenographer.application.service.fakes.FakeTransactionRunner;
import io.stenographer.application.service.fakes.InMemoryEventStore;
import io.stenographer.application.service.fakes.InMemoryKeyManagement;
import io.stenographer.application.service.fakes.InMemoryPersonalData;
import io.stenographer.application.service.fakes.MutableClock;
import io.stenographer.domain.event.AuditEvent;
import io.stenographer.domain.event.EventDraft;
import io.stenographer.domain.event.EventId;
import io.stenographer.domain.json.JsonString;
import io.stenographer.domain.privacy.DataPolicy;
import io.stenographer.domain.event.PersonalField;
import io.stenographer.domain.privacy.PersonalValueState;
import io.stenographer.domain.privacy.PersonalValueState.Revealed;
import io.stenographer.domain.privacy.PersonalValueState.Unreadable;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Reading personal values back: a value shows only when it decrypts under its subject's key, with its binding to
 * tenant, event and field, and opens the leaf's commitment; anything else is Unreadable, never someone's data.
 */
class PersonalDataVaultTest {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00.123456Z");
    private static final Duration TTL = Duration.ofMinutes(5);

    private final FakeTransactionRunner transactions = new FakeTransactionRunner();
    private final InMemoryEventStore events = new InMemoryEventStore(transactions);
    private final MutableClock clock = new MutableClock(NOW);
    private final InMemoryPersonalData personalData = new InMemoryPersonalData();
    private final InMemoryKeyManagement keyManagement = new InMemoryKeyManagement();
    private final PersonalDataVault vault = new PersonalDataVault(tenant -> DataPolicy.DEFAULT, keyManagement,
            personalData, new DataKeyCache<>(100, TTL, clock), transactions, new SecureRandom(), clock);
    private final RecordEventsService service = new RecordEventsService(events, events, transactions, clock,
            new SplittableRandom(11), Duration.ofMinutes(5), vault, personalData);

    /** Records the drafts and returns the stored events with their receipts' openings. */
    private List<AuditEvent> record(EventDraft... drafts) {
        int before = events.committed().size();
        service.record(new RecordEventsCommand(writer("writer-1", ACME, GLOBEX), List.of(drafts)));
        return events.committed().subList(before, events.committed().size());
    }

    private SealedPersonalValue stored(AuditEvent event, PersonalField field) {
        return personalData.allValues().stream()
                .filter(v -> v.eventId().equals(event.id().value()) && v.field().equals(field.path()))
                .findFirst().orElseThrow();
    }

    private Map<PersonalField, PersonalValueState> reveal(AuditEvent event) {
        return vault.reveal(List.of(event)).get(event.id());
    }

    private static void assertUnreadable(PersonalValueState state) {
        assertThat(state).isInstanceOfSatisfying(Unreadable.class,
                unreadable -> assertThat(unreadable.reason()).doesNotContain("Dana").doesNotContain("198.51.100"));
    }

    @Test
    void eachValueIsRevealedWithTheOpeningTheReceiptGaveAndItOpensTheLeafsCommitment() {
        EventDraft sent = RecordEventsPersonalDataTest.draft(ACME, "dana", "k-1");
        Receipt receipt = ((Recorded) service.record(new RecordEventsCommand(writer("writer-1", ACME),
                List.of(sent))).items().get(0)).receipt();
        AuditEvent event = events.committed().get(0);

        Map<PersonalField, PersonalValueState> shown = reveal(event);

        assertThat(shown).containsOnlyKeys(PersonalField.ACTOR_DISPLAY_NAME, PersonalField.SOURCE_IP,
                PersonalField.SOURCE_USER_AGENT);
        shown.forEach((field, state) -> assertThat(state).as(field.path()).isInstanceOfSatisfying(Revealed.class,
                revealed -> {
                    assertThat(revealed.disclosure().field()).isEqualTo(field);
                    assertThat(revealed.disclosure().value()).isEqualTo(field.valueIn(sent));
                    assertThat(HexFormat.of().formatHex(revealed.disclosure().opening()))
                            .isEqualTo(receipt.openings().get(field.path()));
                    assertThat(revealed.disclosure().matches(event.personal().get(field))).isTrue();
                }));
        assertThat(((Revealed) shown.get(PersonalField.ACTOR_DISPLAY_NAME)).disclosure().value())
                .isEqualTo(new JsonString("Dana Doe"));
    }

    @Test
    void aBatchOfManyNewSubjectsCreatesTheirKeysInOneTransactionNotOneEach() {
        List<EventDraft> drafts = java.util.stream.IntStream.range(0, 300)
                .mapToObj(i -> RecordEventsPersonalDataTest.draft(i % 2 == 0 ? ACME : GLOBEX, "subject-" + i, null))
                .toList();
        int before = transactions.started();

        PersonalDataVault.BatchKeys keys = vault.keysFor(drafts);

        assertThat(transactions.started() - before).as("one read and one create, each a commit, for 300 subjects")
                .isEqualTo(2);
        assertThat(keys.bySubject().get(ACME)).hasSize(150);
        assertThat(keys.bySubject().get(GLOBEX)).hasSize(150);
        assertThat(vault.keysFor(drafts).bySubject()).as("the same keys come back, now only read")
                .isEqualTo(keys.bySubject());
        assertThat(transactions.started() - before).isEqualTo(3);
    }

    @Test
    void eventsOfSeveralSubjectsAndTenantsAreRevealedEachUnderItsOwnKey() {
        List<AuditEvent> recorded = record(RecordEventsPersonalDataTest.draft(ACME, "dana", null),
                RecordEventsPersonalDataTest.draft(ACME, "erin", null),
                RecordEventsPersonalDataTest.draft(GLOBEX, "dana", null));
        assertThat(personalData.allValues().stream().map(SealedPersonalValue::keyId).distinct())
                .as("a key per (tenant, subject)").hasSize(3);

        Map<EventId, Map<PersonalField, PersonalValueState>> shown = vault.reveal(recorded);

        assertThat(shown).containsOnlyKeys(recorded.stream().map(AuditEvent::id).toList());
        assertThat(shown.values()).allSatisfy(fields -> assertThat(fields.values())
                .allSatisfy(state -> assertThat(state).isInstanceOf(Revealed.class)));
    }

    @Test
    void aFlippedCiphertextByteIsUnreadableNeverWrongData() {
        AuditEvent event = record(RecordEventsPersonalDataTest.draft(ACME, "dana", null)).get(0);
        for (int position : new int[] {0, 5, 20, -1}) {
            SealedPersonalValue original = stored(event, PersonalField.SOURCE_IP);
            byte[] sealed = original.sealed();
            int at = position < 0 ? sealed.length - 1 : position;
            sealed[at] ^= 0x01;
            personalData.replaceValue(original, new SealedPersonalValue(original.eventId(), original.field(),
                    original.keyId(), sealed));

            Map<PersonalField, PersonalValueState> shown = reveal(event);

            assertUnreadable(shown.get(PersonalField.SOURCE_IP));
            assertThat(shown.get(PersonalField.ACTOR_DISPLAY_NAME)).as("the other fields are untouched")
                    .isInstanceOf(Revealed.class);
            SealedPersonalValue flipped = stored(event, PersonalField.SOURCE_IP);
            personalData.replaceValue(flipped, original);
            assertThat(reveal(event).get(PersonalField.SOURCE_IP)).as("restored byte " + at)
                    .isInstanceOf(Revealed.class);
        }
    }

    @Test
    void aValueMovedToAnotherEventOrFieldIsUnreadable() {
        List<AuditEvent> recorded = record(RecordEventsPersonalDataTest.draft(ACME, "dana", null),
                RecordEventsPersonalDataTest.draft(ACME, "dana", null));
        AuditEvent first = recorded.get(0);
        AuditEvent second = recorded.get(1);
        SealedPersonalValue firstIp = stored(first, PersonalField.SOURCE_IP);

        // Same subject, same key: only the binding to the event tells them apart.
        SealedPersonalValue secondIp = stored(second, PersonalField.SOURCE_IP);
        assertThat(secondIp.keyId()).isEqualTo(firstIp.keyId());
        personalData.replaceValue(secondIp, new SealedPersonalValue(second.id().value(), "source.ip",
                firstIp.keyId(), firstIp.sealed()));
        assertUnreadable(reveal(second).get(PersonalField.SOURCE_IP));

        // Within one event, into another field.
        SealedPersonalValue firstAgent = stored(first, PersonalField.SOURCE_USER_AGENT);
        personalData.replaceValue(firstAgent, new SealedPersonalValue(first.id().value(), "source.userAgent",
                firstIp.keyId(), firstIp.sealed()));
        Map<PersonalField, PersonalValueState> shown = reveal(first);
        assertUnreadable(shown.get(PersonalField.SOURCE_USER_AGENT));
        assertThat(shown.get(PersonalField.SOURCE_IP)).isInstanceOf(Revealed.class);
    }

    @Test
    void aValueOfAnotherTenantIsUnreadable() {
        List<AuditEvent> recorded = record(RecordEventsPersonalDataTest.draft(ACME, "dana", null),
                RecordEventsPersonalDataTest.draft(GLOBEX, "dana", null));
        AuditEvent acme = recorded.get(0);
        AuditEvent globex = recorded.get(1);
        SealedPersonalValue globexIp = stored(globex, PersonalField.SOURCE_IP);
        SealedPersonalValue acmeIp = stored(acme, PersonalField.SOURCE_IP);

        personalData.replaceValue(acmeIp, new SealedPersonalValue(acme.id().value(), "source.ip", globexIp.keyId(),
                globexIp.sealed()));

        assertUnreadable(reveal(acme).get(PersonalField.SOURCE_IP));
        // A retry's receipt reads the stored values the same way: moved is Unreadable, not Erased.
        Map<PersonalField, PersonalValueState> stored = vault.revealStored(ACME, acme.id());
        assertUnreadable(stored.get(PersonalField.SOURCE_IP));
        assertThat(stored.get(PersonalField.ACTOR_DISPLAY_NAME)).isInstanceOf(Revealed.class);
    }

    @Test
    void revealStoredGivesTheOpeningsOfAnEventAndErasedOnceItsSubjectIsErased() {
        AuditEvent event = record(RecordEventsPersonalDataTest.draft(ACME, "dana", null)).get(0);

        Map<PersonalField, PersonalValueState> stored = vault.revealStored(ACME, event.id());

        assertThat(stored).hasSize(3).allSatisfy((field, state) -> assertThat(state).isInstanceOfSatisfying(
                Revealed.class, revealed -> assertThat(revealed.disclosure().matches(event.personal().get(field)))
                        .isTrue()));
        personalData.erase(UUID.randomUUID(), ACME, vault.subjectIndex(ACME, "dana"), "actor.id", "dana", "dpo");
        assertThat(vault.revealStored(ACME, event.id())).isEmpty();
        assertThat(reveal(event).values()).allMatch(PersonalValueState.Erased.class::isInstance);
    }

    @Test
    void aMissingValueWithoutARecordedErasureIsUnreadable() {
        AuditEvent event = record(RecordEventsPersonalDataTest.draft(ACME, "dana", null)).get(0);
        // Simulate a lost row: the value now belongs to an event nobody reads.
        SealedPersonalValue ip = stored(event, PersonalField.SOURCE_IP);
        personalData.replaceValue(ip, new SealedPersonalValue(UUID.randomUUID(), ip.field(), ip.keyId(),
                ip.sealed()));

        assertUnreadable(reveal(event).get(PersonalField.SOURCE_IP));
    }

    @Test
    void aDestroyedKekGenerationMakesTheValuesUnreadableOnceTheCachedKeyExpires() {
        String generation = keyManagement.currentKeyEncryptionKeyId(ACME);
        AuditEvent event = record(RecordEventsPersonalDataTest.draft(ACME, "dana", null)).get(0);
        keyManagement.rotate();
        keyManagement.destroy(generation);

        clock.advance(TTL);
        Map<PersonalField, PersonalValueState> shown = reveal(event);

        assertThat(shown).hasSize(3);
        shown.values().forEach(PersonalDataVaultTest::assertUnreadable);
        // Dropping the cache explicitly has the same effect.
        vault.forgetCachedKeys();
        reveal(event).values().forEach(PersonalDataVaultTest::assertUnreadable);
    }

    @Test
    void aDestroyedKekGenerationIsUnreadableForRetryReceiptsToo() {
        String generation = keyManagement.currentKeyEncryptionKeyId(ACME);
        AuditEvent event = record(RecordEventsPersonalDataTest.draft(ACME, "dana", null)).get(0);
        keyManagement.rotate();
        keyManagement.destroy(generation);
        vault.forgetCachedKeys();

        assertThat(vault.revealStored(ACME, event.id()).values())
                .allSatisfy(PersonalDataVaultTest::assertUnreadable);
    }

    @Test
    void readingAPageOfOneSubjectsEventsUnwrapsItsKeyOncePerTtl() {
        List<AuditEvent> recorded = record(RecordEventsPersonalDataTest.draft(ACME, "dana", null),
                RecordEventsPersonalDataTest.draft(ACME, "dana", null),
                RecordEventsPersonalDataTest.draft(ACME, "dana", null));
        vault.forgetCachedKeys();
        int before = keyManagement.unwraps.get();

        vault.reveal(recorded);
        vault.reveal(recorded);

        assertThat(keyManagement.unwraps.get() - before).isEqualTo(1);
        clock.advance(TTL);
        vault.reveal(recorded);
        assertThat(keyManagement.unwraps.get() - before).isEqualTo(2);
    }

    @Test
    void v1EventsHaveNothingToReveal() {
        EventDraft bare = new EventDraft(ACME, new io.stenographer.domain.event.Actor("svc",
                io.stenographer.domain.event.ActorType.SERVICE, null),
                io.stenographer.domain.event.Action.of("case.view"), null, null,
                io.stenographer.domain.event.Outcome.SUCCESS, NOW.minusSeconds(60),
                new io.stenographer.domain.event.Source("portal", null, null), null,
                io.stenographer.domain.json.JsonObject.EMPTY, null);
        AuditEvent v1 = record(bare).get(0);

        assertThat(vault.reveal(List.of(v1))).isEmpty();
        assertThat(keyManagement.unwraps).hasValue(0);
    }
}
