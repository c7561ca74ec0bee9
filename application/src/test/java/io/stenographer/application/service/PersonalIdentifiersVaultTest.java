package io.stenographer.application.service;

import static io.stenographer.application.service.fakes.TestDrafts.ACME;
import static io.stenographer.application.service.fakes.TestDrafts.writer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stenographer.application.port.in.RecordEventsCommand;
import io.stenographer.application.port.in.RecordEventsResult.Recorded;
import io.stenographer.application.port.in.RecordEventsResult.Replayed;
import io.stenographer.application.port.out.KeyManagementPort;
import io.stenographer.application.port.out.WrappedDataKey;
import io.stenographer.application.service.fakes.FakeTransactionRunner;
import io.stenographer.application.service.fakes.InMemoryEventStore;
import io.stenographer.application.service.fakes.InMemoryKeyManagement;
import io.stenographer.application.service.fakes.InMemoryPersonalData;
import io.stenographer.application.service.fakes.MutableClock;
import io.stenographer.domain.event.AuditEvent;
import io.stenographer.domain.event.EventDraft;
import io.stenographer.domain.event.PersonalField;
import io.stenographer.domain.event.Pseudonym;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.json.JsonString;
import io.stenographer.domain.privacy.DataKey;
import io.stenographer.domain.privacy.DataPolicy;
import io.stenographer.domain.privacy.PersonalValueState;
import io.stenographer.domain.privacy.PersonalValueState.Revealed;
import io.stenographer.domain.privacy.PersonalValueState.Unreadable;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Personal identifiers in the vault and at ingest: pseudonyms computed outside transactions, checked on reveal. */
class PersonalIdentifiersVaultTest {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00.123456Z");
    private static final DataPolicy IDENTIFIERS = DataPolicy.of(List.of("actor.id", "resource.id",
            "actor.displayName"), "actor.id");

    private final FakeTransactionRunner transactions = new FakeTransactionRunner();
    private final InMemoryEventStore events = new InMemoryEventStore(transactions);
    private final MutableClock clock = new MutableClock(NOW);
    private final InMemoryPersonalData personalData = new InMemoryPersonalData();
    private final InMemoryKeyManagement keyring = new InMemoryKeyManagement();
    /** Blind indexes computed while a transaction was open: with AWS KMS, a network call holding it open. */
    private final AtomicInteger indexesInTransactions = new AtomicInteger();
    private final KeyManagementPort keyManagement = new KeyManagementPort() {
        @Override
        public WrappedDataKey wrap(TenantId tenant, DataKey key) {
            return keyring.wrap(tenant, key);
        }

        @Override
        public DataKey unwrap(TenantId tenant, WrappedDataKey wrapped) {
            return keyring.unwrap(tenant, wrapped);
        }

        @Override
        public String currentKeyEncryptionKeyId(TenantId tenant) {
            return keyring.currentKeyEncryptionKeyId(tenant);
        }

        @Override
        public byte[] blindIndex(TenantId tenant, String purpose, String value) {
            if (transactions.current() != 0) {
                indexesInTransactions.incrementAndGet();
            }
            return keyring.blindIndex(tenant, purpose, value);
        }
    };
    private final PersonalDataVault vault = new PersonalDataVault(tenant -> IDENTIFIERS, keyManagement,
            personalData, new DataKeyCache<>(100, Duration.ofMinutes(5), clock), transactions, new SecureRandom(),
            clock);
    private final RecordEventsService service = new RecordEventsService(events, events, transactions, clock,
            new SplittableRandom(11), Duration.ofMinutes(5), vault, personalData);

    @Test
    void theLeafHoldsThePseudonymsAndAReaderGetsTheIdsBack() {
        EventDraft sent = RecordEventsPersonalDataTest.draft(ACME, "patient-7", "k-1");
        Recorded recorded = (Recorded) service.record(new RecordEventsCommand(writer("w", ACME), List.of(sent)))
                .items().get(0);
        AuditEvent event = events.committed().get(0);

        assertThat(event.content().actor().id()).isEqualTo(vault.storedForm(ACME, PersonalField.ACTOR_ID, "patient-7"))
                .matches(Pseudonym::isPseudonym);
        assertThat(recorded.receipt().pseudonyms()).containsEntry("actor.id", event.content().actor().id())
                .containsEntry("resource.id", event.content().resource().id());
        Map<PersonalField, PersonalValueState> shown = vault.reveal(List.of(event)).get(event.id());
        assertThat(shown.get(PersonalField.ACTOR_ID)).isInstanceOfSatisfying(Revealed.class,
                revealed -> assertThat(revealed.disclosure().value()).isEqualTo(new JsonString("patient-7")));
        assertThat(shown.get(PersonalField.RESOURCE_ID)).isInstanceOfSatisfying(Revealed.class,
                revealed -> assertThat(revealed.disclosure().value()).isEqualTo(new JsonString("C-1")));
        assertThat(indexesInTransactions).as("every pseudonym and subject index was computed before the transaction")
                .hasValue(0);
    }

    @Test
    void aRetryIsAnsweredWithTheSamePseudonymsWithoutAKeyManagementCallInItsTransaction() {
        EventDraft sent = RecordEventsPersonalDataTest.draft(ACME, "patient-8", "k-2");
        Recorded first = (Recorded) service.record(new RecordEventsCommand(writer("w", ACME), List.of(sent)))
                .items().get(0);
        Replayed again = (Replayed) service.record(new RecordEventsCommand(writer("w", ACME), List.of(sent)))
                .items().get(0);

        assertThat(again.receipt().pseudonyms()).isEqualTo(first.receipt().pseudonyms()).hasSize(2);
        assertThat(again.receipt().leafHash()).isEqualTo(first.receipt().leafHash());
        assertThat(indexesInTransactions).hasValue(0);
    }

    @Test
    void anEventFiledUnderAnotherIdsPseudonymIsUnreadableNotRevealed() {
        service.record(new RecordEventsCommand(writer("w", ACME),
                List.of(RecordEventsPersonalDataTest.draft(ACME, "patient-9", null))));
        AuditEvent honest = events.committed().get(0);
        // The value and its commitment are intact; only the leaf's pseudonym names someone else.
        EventDraft misfiled = PersonalField.ACTOR_ID.committedIn(honest.content(),
                vault.storedForm(ACME, PersonalField.ACTOR_ID, "someone-else"));
        AuditEvent tampered = AuditEvent.restore(honest.id(), honest.receivedAt(), honest.submittedBy(), misfiled,
                honest.personal());

        Map<PersonalField, PersonalValueState> shown = vault.reveal(List.of(tampered)).get(tampered.id());

        assertThat(shown.get(PersonalField.ACTOR_ID)).isInstanceOfSatisfying(Unreadable.class,
                unreadable -> assertThat(unreadable.reason()).contains("pseudonym").doesNotContain("patient-9"));
        assertThat(shown.get(PersonalField.ACTOR_DISPLAY_NAME)).isInstanceOf(Revealed.class);
    }

    @Test
    void aSubjectIsNamedByItsIdOrByThePseudonymItsEventsHold() {
        String pseudonym = vault.storedForm(ACME, PersonalField.ACTOR_ID, "patient-10");

        assertThat(vault.namedSubject(ACME, pseudonym)).isEqualTo(vault.subjectIndex(ACME, "patient-10"));
        assertThat(vault.namedSubject(ACME, "patient-10")).isEqualTo(vault.subjectIndex(ACME, "patient-10"));
        assertThat(vault.storedForm(ACME, PersonalField.ACTOR_ID, pseudonym)).as("searched as itself")
                .isEqualTo(pseudonym);
    }

    @Test
    void whetherAnIdentifierIsPersonalCannotChangeOnceATenantHasEvents() {
        service.record(new RecordEventsCommand(writer("w", ACME),
                List.of(RecordEventsPersonalDataTest.draft(ACME, "patient-11", null))));
        assertThat(personalData.identifierForms().get(ACME)).containsEntry(PersonalField.ACTOR_ID, true)
                .containsEntry(PersonalField.RESOURCE_ID, true);
        vault.checkIdentifierForms(); // the policy in force agrees

        // The same store under a policy that no longer pseudonymises: refused at start and at ingest alike.
        PersonalDataVault changed = new PersonalDataVault(tenant -> DataPolicy.DEFAULT, keyManagement, personalData,
                new DataKeyCache<>(100, Duration.ofMinutes(5), clock), transactions, new SecureRandom(), clock);
        assertThatThrownBy(changed::checkIdentifierForms).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("tenant " + ACME).hasMessageContaining("actor.id")
                .hasMessageContaining("cannot change once a tenant has events");
        RecordEventsService changedIngest = new RecordEventsService(events, events, transactions, clock,
                new SplittableRandom(12), Duration.ofMinutes(5), changed, personalData);
        int stored = events.committed().size();
        assertThatThrownBy(() -> changedIngest.record(new RecordEventsCommand(writer("w", ACME),
                List.of(RecordEventsPersonalDataTest.draft(ACME, "patient-12", null)))))
                .isInstanceOf(IllegalStateException.class);
        assertThat(events.committed()).hasSize(stored);
    }

    @Test
    void aTenantWhoseFirstEventsAreTheServicesOwnHasItsFormFixedByThem() {
        SelfAudit selfAudit = new SelfAudit(events, clock, new SplittableRandom(13), vault.storedIdentifiers());
        transactions.inTransaction(() -> {
            selfAudit.record("auditor-7", ACME, "audit.query", null);
            return null;
        });
        AuditEvent query = events.committed().get(events.committed().size() - 1);
        assertThat(query.content().actor().id()).isEqualTo(vault.storedForm(ACME, PersonalField.ACTOR_ID, "auditor-7"))
                .startsWith(Pseudonym.PREFIX);
        assertThat(personalData.identifierForms().get(ACME)).containsEntry(PersonalField.ACTOR_ID, true)
                .containsEntry(PersonalField.RESOURCE_ID, true);

        PersonalDataVault changed = new PersonalDataVault(tenant -> DataPolicy.DEFAULT, keyManagement, personalData,
                new DataKeyCache<>(100, Duration.ofMinutes(5), clock), transactions, new SecureRandom(), clock);
        assertThatThrownBy(changed::checkIdentifierForms).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("tenant " + ACME).hasMessageContaining("actor.id");
    }
}
