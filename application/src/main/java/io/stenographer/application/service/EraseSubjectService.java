package io.stenographer.application.service;

import io.stenographer.application.port.in.EraseSubjectCommand;
import io.stenographer.application.port.in.EraseSubjectUseCase;
import io.stenographer.application.port.in.RevealPersonalDataUseCase;
import io.stenographer.application.port.in.SubjectErasuresQuery;
import io.stenographer.application.port.in.SubjectUnderLegalHold;
import io.stenographer.application.port.in.SweepErasedValuesUseCase;
import io.stenographer.application.port.out.StorePersonalDataPort;
import io.stenographer.domain.privacy.SubjectErasure;
import io.stenographer.application.port.out.StorePersonalDataPort.SubjectHeld;
import io.stenographer.domain.privacy.SubjectIndex;
import io.stenographer.application.port.out.TransactionRunner;
import io.stenographer.domain.access.Caller;
import io.stenographer.domain.access.Role;
import io.stenographer.domain.access.TenantAccessDenied;
import io.stenographer.domain.event.AuditEvent;
import io.stenographer.domain.event.EventId;
import io.stenographer.domain.event.ResourceRef;
import io.stenographer.domain.json.JsonObject;
import io.stenographer.domain.json.JsonString;
import io.stenographer.domain.json.JsonValue;
import io.stenographer.domain.privacy.DataPolicy;
import io.stenographer.domain.event.PersonalField;
import io.stenographer.domain.privacy.PersonalValueState;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Erasure by crypto-shredding, and who may see personal values. The {@code subject.erased} event names the subject
 * by its blind index only, so the log never gains the id it is erasing; it is appended in the erasure's transaction,
 * before the database function that checks holds and destroys the keys, which refuses to run without it.
 */
public final class EraseSubjectService
        implements EraseSubjectUseCase, RevealPersonalDataUseCase, SweepErasedValuesUseCase {

    private static final int SWEEP_BATCH = 5_000;

    public static final String SUBJECT_ERASED = "subject.erased";
    public static final String SUBJECT_RESOURCE_TYPE = "data-subject";
    public static final String PERSONAL_DATA_REVEALED = "audit.personal-data.revealed";

    private final PersonalDataVault vault;
    private final StorePersonalDataPort store;
    private final SelfAudit selfAudit;
    private final TransactionRunner transactions;

    public EraseSubjectService(PersonalDataVault vault, StorePersonalDataPort store, SelfAudit selfAudit,
            TransactionRunner transactions) {
        this.vault = Objects.requireNonNull(vault);
        this.store = Objects.requireNonNull(store);
        this.selfAudit = Objects.requireNonNull(selfAudit);
        this.transactions = Objects.requireNonNull(transactions);
    }

    @Override
    public ErasureOutcome erase(EraseSubjectCommand command) {
        Caller caller = command.caller();
        caller.require(Role.COMPLIANCE_ADMIN, command.tenant());
        DataPolicy policy = vault.policy(command.tenant());
        SubjectIndex subject = vault.namedSubject(command.tenant(), command.subjectId());
        // The hold check compares the subject as the events and holds store it: its pseudonym where the policy makes
        // the subject field personal.
        String storedSubject = vault.storedForm(command.tenant(), PersonalField.parse(policy.subjectField().path()),
                command.subjectId());
        try {
            ErasureOutcome outcome = transactions.inTransaction(() -> {
                List<SubjectErasure> earlier = store.erasures(command.tenant(), subject);
                if (!earlier.isEmpty() && store.liveKeys(command.tenant(), List.of(subject)).isEmpty()) {
                    // Nothing new to erase: the same request again is answered with what it did the first time.
                    return new ErasureOutcome(earlier.get(earlier.size() - 1), false);
                }
                UUID erasureId = UUID.randomUUID();
                Map<String, JsonValue> metadata = new LinkedHashMap<>();
                metadata.put("erasureId", new JsonString(erasureId.toString()));
                metadata.put("subjectField", new JsonString(policy.subjectField().path()));
                if (command.reason() != null) {
                    metadata.put("reason", new JsonString(command.reason()));
                }
                selfAudit.record(caller, command.tenant(), SUBJECT_ERASED,
                        new ResourceRef(SUBJECT_RESOURCE_TYPE, subject.hex()), new JsonObject(metadata));
                return new ErasureOutcome(store.erase(erasureId, command.tenant(), subject,
                        policy.subjectField().path(), storedSubject, caller.subject()), true);
            });
            // This instance's cached keys of the subject are useless now; drop them rather than wait for the TTL.
            vault.forgetCachedKeys();
            return outcome;
        } catch (SubjectHeld held) {
            throw new SubjectUnderLegalHold(held.holdId());
        }
    }

    @Override
    public long sweep(long maxValues) {
        long deleted = 0;
        while (deleted < maxValues) {
            int batch = (int) Math.min(SWEEP_BATCH, maxValues - deleted);
            long swept = transactions.inTransaction(() -> store.sweepErasedValues(batch));
            deleted += swept;
            if (swept < batch) {
                break;
            }
        }
        return deleted;
    }

    @Override
    public List<SubjectErasure> erasures(SubjectErasuresQuery query) {
        if (!query.caller().mayReadGovernance(query.tenant())) {
            throw new TenantAccessDenied(query.caller().subject(), Role.AUDITOR, query.tenant());
        }
        SubjectIndex subject = vault.namedSubject(query.tenant(), query.subjectId());
        return transactions.inTransaction(() -> store.erasures(query.tenant(), subject));
    }

    @Override
    public Map<EventId, Map<PersonalField, PersonalValueState>> reveal(Caller caller, List<AuditEvent> events) {
        List<AuditEvent> permitted = events.stream()
                .filter(e -> caller.may(Role.PERSONAL_DATA_READER, e.tenant())).toList();
        Map<EventId, Map<PersonalField, PersonalValueState>> shown = new LinkedHashMap<>();
        permitted.stream().filter(e -> !e.personal().isEmpty()).map(AuditEvent::tenant).distinct()
                .forEach(tenant -> shown.putAll(transactions.inTransaction(() -> {
                    List<AuditEvent> ofTenant = permitted.stream().filter(e -> e.tenant().equals(tenant)).toList();
                    Map<EventId, Map<PersonalField, PersonalValueState>> revealed = vault.reveal(ofTenant);
                    // Who saw personal values, and of how many events, is itself in the tenant's log (never the values).
                    selfAudit.record(caller, tenant, PERSONAL_DATA_REVEALED, new JsonObject(Map.of(
                            "events", new io.stenographer.domain.json.JsonNumber(revealed.size()))));
                    return revealed;
                })));
        for (AuditEvent event : events) {
            if (!event.personal().isEmpty() && !shown.containsKey(event.id())) {
                Map<PersonalField, PersonalValueState> withheld = new LinkedHashMap<>();
                event.personal().byField().keySet().forEach(f -> withheld.put(f, new PersonalValueState.Withheld()));
                shown.put(event.id(), withheld);
            }
        }
        return shown;
    }
}
