package io.stenographer.application.service;

import io.stenographer.application.port.in.RecordEventsCommand;
import io.stenographer.application.port.in.RecordEventsResult;
import io.stenographer.application.port.in.RecordEventsResult.Conflicting;
import io.stenographer.application.port.in.RecordEventsResult.ItemOutcome;
import io.stenographer.application.port.in.RecordEventsResult.Receipt;
import io.stenographer.application.port.in.RecordEventsResult.Recorded;
import io.stenographer.application.port.in.RecordEventsResult.Rejected;
import io.stenographer.application.port.in.RecordEventsResult.Replayed;
import io.stenographer.application.port.in.RecordEventsUseCase;
import io.stenographer.application.port.out.AppendEventsPort;
import io.stenographer.application.port.out.ClientEventIdTaken;
import io.stenographer.application.port.out.LoadEventsPort;
import io.stenographer.application.port.out.LoadEventsPort.IdempotencyRecord;
import io.stenographer.application.port.out.StorePersonalDataPort;
import io.stenographer.application.port.out.StorePersonalDataPort.DataKeyErased;
import io.stenographer.application.port.out.StorePersonalDataPort.SealedPersonalValue;
import io.stenographer.domain.privacy.SubjectIndex;
import io.stenographer.domain.json.JsonString;
import io.stenographer.application.port.out.TransactionRunner;
import io.stenographer.domain.access.Role;
import io.stenographer.domain.event.AuditEvent;
import io.stenographer.domain.event.EventDraft;
import io.stenographer.domain.event.EventId;
import io.stenographer.domain.event.FieldViolation;
import io.stenographer.domain.event.SealedEvent;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.privacy.DataPolicy;
import io.stenographer.domain.privacy.DataPolicy.Separation;
import io.stenographer.domain.event.PersonalField;
import io.stenographer.domain.privacy.Disclosure;
import io.stenographer.domain.privacy.PersonalValueState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * Seals drafts into events and appends them in one transaction. Idempotency keys are checked in the
 * same transaction; if a concurrent request wins the race for a key, the whole use case runs once
 * more and then sees that request's event.
 */
public final class RecordEventsService implements RecordEventsUseCase {

    private final AppendEventsPort appendEvents;
    private final LoadEventsPort loadEvents;
    private final TransactionRunner transactions;
    private final Clock clock;
    private final RandomGenerator random;
    private final Duration maxFutureSkew;
    private final PersonalDataVault vault;
    private final StorePersonalDataPort personalData;

    public RecordEventsService(AppendEventsPort appendEvents, LoadEventsPort loadEvents,
            TransactionRunner transactions, Clock clock, RandomGenerator random, Duration maxFutureSkew,
            PersonalDataVault vault, StorePersonalDataPort personalData) {
        this.appendEvents = Objects.requireNonNull(appendEvents);
        this.loadEvents = Objects.requireNonNull(loadEvents);
        this.transactions = Objects.requireNonNull(transactions);
        this.clock = Objects.requireNonNull(clock);
        this.random = Objects.requireNonNull(random);
        this.maxFutureSkew = Objects.requireNonNull(maxFutureSkew);
        this.vault = Objects.requireNonNull(vault);
        this.personalData = Objects.requireNonNull(personalData);
    }

    @Override
    public RecordEventsResult record(RecordEventsCommand command) {
        // A writer touching a foreign tenant is refused whole, before anything is stored.
        for (EventDraft draft : command.drafts()) {
            command.caller().require(Role.AUDIT_WRITER, draft.tenant());
        }
        var pseudonyms = vault.pseudonymsFor(command.drafts());
        var keys = vault.keysFor(needingKeys(command.drafts()));
        List<TenantId> tenants = command.drafts().stream().map(EventDraft::tenant).distinct().toList();
        RecordEventsResult result;
        try {
            result = transactions.inTransaction(() -> recordOnce(command, keys, pseudonyms));
        } catch (ClientEventIdTaken lostRace) {
            result = transactions.inTransaction(() -> recordOnce(command, keys, pseudonyms));
        } catch (DataKeyErased erasedMeanwhile) {
            // Another instance erased a subject whose key this one had just read: new values get a new key.
            vault.forgetCachedKeys();
            var freshKeys = vault.keysFor(needingKeys(command.drafts()));
            result = transactions.inTransaction(() -> recordOnce(command, freshKeys, pseudonyms));
        }
        vault.identifierFormsCommitted(tenants);
        return result;
    }

    /**
     * The drafts with personal values that may be sealed now: not refused as impersonation, and not retries of a
     * key already taken.
     * Only their subjects get a data key, so a retry after an erasure does not give the erased subject a new key.
     * (A key taken by a concurrent request meanwhile only means one key created that is not used yet.)
     */
    private List<EventDraft> needingKeys(List<EventDraft> drafts) {
        List<EventDraft> candidates = drafts.stream()
                .filter(d -> vault.policy(d.tenant()).hasPersonalData(d) && SelfAudit.impersonates(d).isEmpty()
                        && vault.policy(d.tenant()).refusal(d).isEmpty())
                .toList();
        if (candidates.stream().noneMatch(d -> d.clientEventId() != null)) {
            return candidates;
        }
        Map<TenantId, Map<String, IdempotencyRecord>> known = transactions.inTransaction(
                () -> lookUpKnownKeys(candidates));
        return candidates.stream()
                .filter(d -> d.clientEventId() == null || !known.get(d.tenant()).containsKey(d.clientEventId()))
                .toList();
    }

    private RecordEventsResult recordOnce(RecordEventsCommand command,
            PersonalDataVault.BatchKeys keys, PersonalDataVault.BatchPseudonyms pseudonyms) {
        // How these tenants' events hold their identifiers is recorded with their first events, and checked after.
        vault.recordIdentifierForms(command.drafts().stream().map(EventDraft::tenant).toList());
        Instant now = clock.instant();
        Instant latestAllowed = now.plus(maxFutureSkew);
        Map<TenantId, Map<String, IdempotencyRecord>> known = lookUpKnownKeys(command.drafts());
        List<ItemOutcome> outcomes = new ArrayList<>(command.drafts().size());
        List<SealedEvent> toAppend = new ArrayList<>();
        List<SealedPersonalValue> personalValues = new ArrayList<>();
        Map<EventId, Map<PersonalField, byte[]>> openingsInBatch = new HashMap<>();
        for (EventDraft draft : command.drafts()) {
            Optional<FieldViolation> refused = SelfAudit.impersonates(draft)
                    .or(() -> vault.policy(draft.tenant()).refusal(draft));
            if (refused.isPresent()) {
                outcomes.add(new Rejected(refused.get()));
                continue;
            }
            if (draft.occurredAt().isAfter(latestAllowed)) {
                outcomes.add(new Rejected(new FieldViolation("occurredAt",
                        "is more than " + maxFutureSkew + " in the future")));
                continue;
            }
            String key = draft.clientEventId();
            IdempotencyRecord earlier = key == null ? null : known.get(draft.tenant()).get(key);
            if (earlier != null) {
                Map<PersonalField, byte[]> earlierOpenings = openingsInBatch.containsKey(earlier.id())
                        ? openingsInBatch.get(earlier.id()) : storedOpenings(draft.tenant(), earlier.id());
                // Only the submitter of the event that holds the key is shown it: another application of the tenant
                // (or anyone, once the event was purged and its submitter is no longer at hand) learns no event id,
                // and an identical event of another submitter is not folded into the first one's.
                boolean sameSubmitter = command.caller().submitter().equals(earlier.submittedBy());
                outcomes.add(sameSubmitter && earlier.sameContentAs(retryDigest(draft, earlierOpenings, pseudonyms))
                        ? new Replayed(new Receipt(earlier.id(), earlier.leafHash(), earlier.receivedAt(),
                                earlier.submittedBy(), hex(earlierOpenings),
                                pseudonymsOf(draft, earlierOpenings, pseudonyms)))
                        : new Conflicting(key, sameSubmitter ? earlier.id() : null));
                continue;
            }
            Separation separation = vault.separate(draft, pseudonyms);
            SealedEvent sealed = SealedEvent.of(AuditEvent.record(EventId.newTimeOrdered(now, random), now,
                    command.caller().submitter(), separation.committedDraft(), separation.commitments()));
            AuditEvent event = sealed.event();
            personalValues.addAll(vault.encrypt(event, separation, keys));
            Receipt receipt = new Receipt(event.id(), sealed.leafHash(), event.receivedAt(), event.submittedBy(),
                    openings(separation), paths(separation.pseudonyms()));
            if (key != null) {
                // A key repeated inside one batch behaves like a retry of its first occurrence.
                known.get(draft.tenant()).put(key,
                        new IdempotencyRecord(event.id(), receipt.leafHash(), event.receivedAt(),
                                event.submittedBy(), event.committedContentDigest()));
                Map<PersonalField, byte[]> sealedWith = new HashMap<>();
                separation.disclosures().forEach(d -> sealedWith.put(d.field(), d.opening()));
                openingsInBatch.put(event.id(), sealedWith);
            }
            toAppend.add(sealed);
            outcomes.add(new Recorded(receipt));
        }
        if (!toAppend.isEmpty()) {
            appendEvents.append(toAppend);
        }
        if (!personalValues.isEmpty()) {
            personalData.storeValues(personalValues);
        }
        return new RecordEventsResult(outcomes);
    }

    /** What the writer needs to recompute a v2 leaf from what it sent: the opening of each commitment. */
    private static Map<String, String> openings(Separation separation) {
        Map<String, String> openings = new LinkedHashMap<>();
        for (Disclosure disclosure : separation.disclosures()) {
            openings.put(disclosure.field().path(), HexFormat.of().formatHex(disclosure.opening()));
        }
        return openings;
    }

    /**
     * The openings an event recorded earlier was sealed with, read back from the personal-data store. After its
     * subject was erased there are none: a retry with personal values then cannot be shown to be the same event and
     * is answered as a conflict, and its writer is told which event holds the key.
     */
    private Map<PersonalField, byte[]> storedOpenings(TenantId tenant, EventId id) {
        Map<PersonalField, byte[]> openings = new HashMap<>();
        vault.revealStored(tenant, id).forEach((field, state) -> {
            if (state instanceof PersonalValueState.Revealed revealed) {
                openings.put(field, revealed.disclosure().opening());
            }
        });
        return openings;
    }

    /** The retry's digest as its first occurrence's was taken: its personal values committed under those openings. */
    private String retryDigest(EventDraft draft, Map<PersonalField, byte[]> openings,
            PersonalDataVault.BatchPseudonyms pseudonyms) {
        DataPolicy policy = vault.policy(draft.tenant());
        if (!policy.hasPersonalData(draft)) {
            return draft.contentDigest();
        }
        for (PersonalField field : policy.personalFields()) {
            if (field.valueIn(draft) != null && !openings.containsKey(field)) {
                return null; // a value the first occurrence did not carry, or whose opening was erased
            }
        }
        Separation committed = policy.separate(draft, openings::get, pseudonyms.of(draft.tenant()));
        return AuditEvent.contentDigest(committed.committedDraft(), committed.commitments());
    }

    /** The pseudonyms a retry's first occurrence holds: those of the identifiers it committed to. */
    private static Map<String, String> pseudonymsOf(EventDraft draft, Map<PersonalField, byte[]> openings,
            PersonalDataVault.BatchPseudonyms pseudonyms) {
        Map<PersonalField, String> byField = new HashMap<>();
        openings.keySet().stream().filter(PersonalField::isIdentifier).forEach(field -> byField.put(field,
                pseudonyms.of(draft.tenant()).of(((JsonString) field.valueIn(draft)).value())));
        return paths(byField);
    }

    private static Map<String, String> paths(Map<PersonalField, String> byField) {
        Map<String, String> byPath = new java.util.TreeMap<>();
        byField.forEach((field, value) -> byPath.put(field.path(), value));
        return byPath;
    }

    private static Map<String, String> hex(Map<PersonalField, byte[]> openings) {
        Map<String, String> hex = new java.util.TreeMap<>();
        openings.forEach((field, opening) -> hex.put(field.path(), HexFormat.of().formatHex(opening)));
        return hex;
    }

    private Map<TenantId, Map<String, IdempotencyRecord>> lookUpKnownKeys(List<EventDraft> drafts) {
        Map<TenantId, Set<String>> keysByTenant = new HashMap<>();
        for (EventDraft draft : drafts) {
            keysByTenant.computeIfAbsent(draft.tenant(), t -> new LinkedHashSet<>());
            if (draft.clientEventId() != null) {
                keysByTenant.get(draft.tenant()).add(draft.clientEventId());
            }
        }
        Map<TenantId, Map<String, IdempotencyRecord>> known = new HashMap<>();
        keysByTenant.forEach((tenant, keys) -> known.put(tenant,
                keys.isEmpty() ? new HashMap<>() : new HashMap<>(loadEvents.findByClientEventIds(tenant, keys))));
        return known;
    }
}
