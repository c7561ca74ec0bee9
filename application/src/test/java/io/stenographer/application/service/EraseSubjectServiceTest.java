package io.stenographer.application.service;

import static io.stenographer.application.service.fakes.TestDrafts.ACME;
import static io.stenographer.application.service.fakes.TestDrafts.GLOBEX;
import static io.stenographer.application.service.fakes.TestDrafts.caller;
import static io.stenographer.application.service.fakes.TestDrafts.writer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stenographer.application.port.in.EraseSubjectCommand;
import io.stenographer.application.port.in.EraseSubjectUseCase.ErasureOutcome;
import io.stenographer.application.port.in.RecordEventsCommand;
import io.stenographer.application.port.in.SubjectErasuresQuery;
import io.stenographer.application.port.in.SubjectUnderLegalHold;
import io.stenographer.application.port.out.StorePersonalDataPort.SealedPersonalValue;
import io.stenographer.application.port.out.StorePersonalDataPort.StoredDataKey;
import io.stenographer.application.service.fakes.FakeTransactionRunner;
import io.stenographer.application.service.fakes.InMemoryEventStore;
import io.stenographer.application.service.fakes.InMemoryKeyManagement;
import io.stenographer.application.service.fakes.InMemoryPersonalData;
import io.stenographer.application.service.fakes.MutableClock;
import io.stenographer.domain.access.Caller;
import io.stenographer.domain.access.Role;
import io.stenographer.domain.access.TenantAccessDenied;
import io.stenographer.domain.event.AuditEvent;
import io.stenographer.domain.event.EventDraft;
import io.stenographer.domain.event.EventId;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.json.JsonNumber;
import io.stenographer.domain.json.JsonString;
import io.stenographer.domain.privacy.DataPolicy;
import io.stenographer.domain.event.PersonalField;
import io.stenographer.domain.privacy.PersonalValueState;
import io.stenographer.domain.privacy.PersonalValueState.Erased;
import io.stenographer.domain.privacy.PersonalValueState.Revealed;
import io.stenographer.domain.privacy.PersonalValueState.Withheld;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Erasure by crypto-shredding and who sees personal values: only a compliance admin of the tenant erases, a legal
 * hold wins, a repeated request repeats the first answer, and only a personal-data reader of the tenant sees values,
 * which the tenant's log records.
 */
class EraseSubjectServiceTest {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00.123456Z");

    private final FakeTransactionRunner transactions = new FakeTransactionRunner();
    private final InMemoryEventStore events = new InMemoryEventStore(transactions);
    private final MutableClock clock = new MutableClock(NOW);
    private final InMemoryPersonalData personalData = new InMemoryPersonalData();
    private final InMemoryKeyManagement keyManagement = new InMemoryKeyManagement();
    private final PersonalDataVault vault = new PersonalDataVault(tenant -> DataPolicy.DEFAULT, keyManagement,
            personalData, new DataKeyCache<>(100, Duration.ofMinutes(5), clock), transactions, new SecureRandom(),
            clock);
    private final RecordEventsService recordEvents = new RecordEventsService(events, events, transactions, clock,
            new SplittableRandom(3), Duration.ofMinutes(5), vault, personalData);
    private final EraseSubjectService service = new EraseSubjectService(vault, personalData,
            new SelfAudit(events, clock, new SplittableRandom(5), StoredIdentifiers.AS_GIVEN), transactions);

    private final Caller admin = caller("dpo", Role.COMPLIANCE_ADMIN, ACME);
    private final Caller reader = Caller.withRolesOnTenants("privacy-officer",
            Set.of(Role.AUDITOR, Role.PERSONAL_DATA_READER), Set.of(ACME));

    private AuditEvent record(TenantId tenant, String subject) {
        EventDraft draft = RecordEventsPersonalDataTest.draft(tenant, subject, null);
        int before = events.committed().size();
        recordEvents.record(new RecordEventsCommand(writer("writer-1", ACME, GLOBEX), List.of(draft)));
        return events.committed().get(before);
    }

    private AuditEvent record(String subject) {
        return record(ACME, subject);
    }

    private ErasureOutcome erase(Caller caller, String subject) {
        return service.erase(new EraseSubjectCommand(caller, ACME, subject, "GDPR Art. 17 request 118"));
    }

    private List<AuditEvent> logged(String action) {
        return events.committed().stream().filter(e -> e.content().action().value().equals(action)).toList();
    }

    @Test
    void erasureDestroysTheSubjectsKeysAndValuesAndLeavesOthersReadable() {
        AuditEvent dana1 = record("dana");
        AuditEvent dana2 = record("dana");
        AuditEvent erin = record("erin");

        ErasureOutcome outcome = erase(admin, "dana");

        assertThat(outcome.created()).isTrue();
        assertThat(outcome.erasure().keysDestroyed()).isEqualTo(1);
        assertThat(outcome.erasure().eventsCleared()).isEqualTo(2);
        assertThat(outcome.erasure().requestedBy()).isEqualTo("dpo");
        assertThat(outcome.erasure().subject()).isEqualTo(vault.subjectIndex(ACME, "dana"));
        Map<EventId, Map<PersonalField, PersonalValueState>> shown = service.reveal(reader, List.of(dana1, dana2,
                erin));
        for (AuditEvent erased : List.of(dana1, dana2)) {
            assertThat(shown.get(erased.id())).hasSize(3).allSatisfy((field, state) ->
                    assertThat(state).as(field.path()).isInstanceOf(Erased.class));
        }
        assertThat(shown.get(erin.id()).values()).allMatch(Revealed.class::isInstance);
        assertThat(personalData.allValues()).extracting(SealedPersonalValue::eventId)
                .containsOnly(erin.id().value());

        // The log records the erasure, naming the subject by its blind index only.
        AuditEvent erasedEvent = logged(EraseSubjectService.SUBJECT_ERASED).get(0);
        assertThat(erasedEvent.tenant()).isEqualTo(ACME);
        assertThat(erasedEvent.content().actor().id()).isEqualTo("dpo");
        assertThat(erasedEvent.content().resource().type()).isEqualTo(EraseSubjectService.SUBJECT_RESOURCE_TYPE);
        assertThat(erasedEvent.content().resource().id()).isEqualTo(vault.subjectIndex(ACME, "dana").hex());
        assertThat(erasedEvent.content().metadata().get("erasureId"))
                .isEqualTo(new JsonString(outcome.erasure().id().toString()));
        assertThat(new String(erasedEvent.leafInput(), StandardCharsets.UTF_8)).doesNotContain("\"dana\"");
        // The leaves did not change: the commitments stay.
        assertThat(events.committed()).contains(dana1, dana2);

        // A later event of the subject starts a new key and is readable.
        AuditEvent after = record("dana");
        assertThat(service.reveal(reader, List.of(after)).get(after.id()).values())
                .allMatch(Revealed.class::isInstance);
        assertThat(service.reveal(reader, List.of(dana1)).get(dana1.id()).values()).allMatch(Erased.class::isInstance);
    }

    @Test
    void aRetryAfterErasureRecordsNothingAgainAndGivesNoOpenings() {
        EventDraft draft = RecordEventsPersonalDataTest.draft(ACME, "dana", "order-1");
        Caller writer = writer("writer-1", ACME);
        recordEvents.record(new RecordEventsCommand(writer, List.of(draft)));
        AuditEvent original = events.committed().get(0);
        erase(admin, "dana");
        int committed = events.committed().size();

        var retry = recordEvents.record(new RecordEventsCommand(writer, List.of(draft)));

        // Either answer keeps the invariant: the key stays with the original event and no opening comes back.
        assertThat(retry.items()).singleElement().satisfies(item -> {
            if (item instanceof io.stenographer.application.port.in.RecordEventsResult.Replayed replayed) {
                assertThat(replayed.receipt().id()).isEqualTo(original.id());
                assertThat(replayed.receipt().openings()).isEmpty();
            } else {
                assertThat(item).isInstanceOfSatisfying(
                        io.stenographer.application.port.in.RecordEventsResult.Conflicting.class,
                        conflict -> assertThat(conflict.existingId()).isEqualTo(original.id()));
            }
        });
        assertThat(events.committed()).hasSize(committed);
        assertThat(personalData.allValues()).isEmpty();
    }

    @Test
    void aLegalHoldBlocksTheErasureAndNothingIsErasedOrLogged() {
        AuditEvent dana = record("dana");
        personalData.hold("dana", "hold-7");
        int committedBefore = events.committed().size();

        assertThatThrownBy(() -> erase(admin, "dana")).isInstanceOfSatisfying(SubjectUnderLegalHold.class,
                held -> assertThat(held.holdId()).isEqualTo("hold-7"));

        assertThat(personalData.allValues()).hasSize(3);
        assertThat(personalData.erasures(ACME, vault.subjectIndex(ACME, "dana"))).isEmpty();
        assertThat(personalData.liveKeys(ACME, List.of(vault.subjectIndex(ACME, "dana")))).hasSize(1);
        assertThat(logged(EraseSubjectService.SUBJECT_ERASED)).as("the erasure's event rolled back").isEmpty();
        assertThat(events.committed()).hasSize(committedBefore);
        assertThat(service.reveal(reader, List.of(dana)).get(dana.id()).values())
                .allMatch(Revealed.class::isInstance);
        // A hold on someone else does not block.
        assertThat(erase(admin, "erin").created()).isTrue();
    }

    @Test
    void erasingTwiceAnswersTheSecondTimeWithTheFirstErasure() {
        record("dana");
        ErasureOutcome first = erase(admin, "dana");

        ErasureOutcome second = erase(admin, "dana");

        assertThat(first.created()).isTrue();
        assertThat(second.created()).isFalse();
        assertThat(second.erasure()).isEqualTo(first.erasure());
        assertThat(logged(EraseSubjectService.SUBJECT_ERASED)).hasSize(1);
        assertThat(personalData.erasures(ACME, vault.subjectIndex(ACME, "dana"))).hasSize(1);
        assertThat(service.erasures(new SubjectErasuresQuery(admin, ACME, "dana"))).containsExactly(first.erasure());

        // After a new event of the subject there is something again: a new erasure.
        record("dana");
        ErasureOutcome third = erase(admin, "dana");
        assertThat(third.created()).isTrue();
        assertThat(third.erasure().id()).isNotEqualTo(first.erasure().id());
        assertThat(third.erasure().eventsCleared()).isEqualTo(1);
    }

    @Test
    void onlyAComplianceAdminOfTheTenantMayErase() {
        AuditEvent dana = record("dana");
        int transactionsBefore = transactions.started();
        List<Caller> refused = List.of(
                caller("auditor-1", Role.AUDITOR, ACME),
                caller("writer-1", Role.AUDIT_WRITER, ACME),
                caller("reader-1", Role.PERSONAL_DATA_READER, ACME),
                caller("dpo-globex", Role.COMPLIANCE_ADMIN, GLOBEX));
        for (Caller caller : refused) {
            assertThatThrownBy(() -> erase(caller, "dana")).as(caller.subject())
                    .isInstanceOfSatisfying(TenantAccessDenied.class, denied -> {
                        assertThat(denied.tenant()).isEqualTo(ACME);
                        assertThat(denied.role()).isEqualTo(Role.COMPLIANCE_ADMIN);
                    });
        }
        assertThat(personalData.allValues()).hasSize(3);
        assertThat(logged(EraseSubjectService.SUBJECT_ERASED)).isEmpty();
        assertThat(transactions.started()).as("refused before any transaction").isEqualTo(transactionsBefore);
        assertThat(service.reveal(reader, List.of(dana)).get(dana.id()).values())
                .allMatch(Revealed.class::isInstance);
    }

    @Test
    void callersWithoutPersonalDataReaderOnTheTenantSeeOnlyWithheldAndNothingIsLogged() {
        AuditEvent dana = record("dana");
        int unwraps = keyManagement.unwraps.get();
        List<Caller> withheld = List.of(
                caller("auditor-1", Role.AUDITOR, ACME),
                caller("dpo", Role.COMPLIANCE_ADMIN, ACME),
                Caller.withRolesOnTenants("reader-globex", Set.of(Role.AUDITOR, Role.PERSONAL_DATA_READER),
                        Set.of(GLOBEX)));
        for (Caller caller : withheld) {
            Map<EventId, Map<PersonalField, PersonalValueState>> shown = service.reveal(caller, List.of(dana));
            assertThat(shown.get(dana.id())).as(caller.subject()).hasSize(3)
                    .allSatisfy((field, state) -> assertThat(state).isInstanceOf(Withheld.class));
        }
        assertThat(logged(EraseSubjectService.PERSONAL_DATA_REVEALED)).isEmpty();
        assertThat(keyManagement.unwraps.get()).as("nothing decrypted").isEqualTo(unwraps);
    }

    @Test
    void aReaderSeesValuesOfItsTenantOnlyAndEachRevealIsLoggedInThatTenant() {
        AuditEvent acme1 = record("dana");
        AuditEvent acme2 = record("erin");
        AuditEvent globex = record(GLOBEX, "dana");

        Map<EventId, Map<PersonalField, PersonalValueState>> shown = service.reveal(reader, List.of(acme1, acme2,
                globex));

        assertThat(shown.get(acme1.id()).get(PersonalField.ACTOR_DISPLAY_NAME)).isInstanceOfSatisfying(
                Revealed.class, revealed -> assertThat(revealed.disclosure().value())
                        .isEqualTo(new JsonString("Dana Doe")));
        assertThat(shown.get(acme2.id()).values()).allMatch(Revealed.class::isInstance);
        assertThat(shown.get(globex.id()).values()).allMatch(Withheld.class::isInstance);
        List<AuditEvent> revealedEvents = logged(EraseSubjectService.PERSONAL_DATA_REVEALED);
        assertThat(revealedEvents).singleElement().satisfies(event -> {
            assertThat(event.tenant()).isEqualTo(ACME);
            assertThat(event.content().actor().id()).isEqualTo("privacy-officer");
            assertThat(event.content().metadata().get("events")).isEqualTo(new JsonNumber(2));
            assertThat(new String(event.leafInput(), StandardCharsets.UTF_8)).doesNotContain("Dana Doe");
        });
    }

    @Test
    void aReaderOfV1EventsOnlyLogsNothing() {
        EventDraft bare = new EventDraft(ACME, new io.stenographer.domain.event.Actor("svc",
                io.stenographer.domain.event.ActorType.SERVICE, null),
                io.stenographer.domain.event.Action.of("case.view"), null, null,
                io.stenographer.domain.event.Outcome.SUCCESS, NOW.minusSeconds(60),
                new io.stenographer.domain.event.Source("portal", null, null), null,
                io.stenographer.domain.json.JsonObject.EMPTY, null);
        recordEvents.record(new RecordEventsCommand(writer("writer-1", ACME), List.of(bare)));
        AuditEvent v1 = events.committed().get(0);

        assertThat(service.reveal(reader, List.of(v1))).isEmpty();
        assertThat(logged(EraseSubjectService.PERSONAL_DATA_REVEALED)).isEmpty();
    }
}
