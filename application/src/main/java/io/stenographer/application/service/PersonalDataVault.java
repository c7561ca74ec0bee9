package io.stenographer.application.service;

import io.stenographer.application.port.out.KeyManagementPort;
import io.stenographer.application.port.out.KeyUnavailable;
import io.stenographer.application.port.out.StorePersonalDataPort;
import io.stenographer.application.port.out.StorePersonalDataPort.SealedPersonalValue;
import io.stenographer.application.port.out.StorePersonalDataPort.StoredDataKey;
import io.stenographer.domain.privacy.SubjectIndex;
import io.stenographer.application.port.out.TransactionRunner;
import io.stenographer.domain.event.AuditEvent;
import io.stenographer.domain.event.EventDraft;
import io.stenographer.domain.event.EventId;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.merkle.Hash;
import io.stenographer.domain.event.Commitment;
import io.stenographer.domain.privacy.DataKey;
import io.stenographer.domain.privacy.DataPolicy;
import io.stenographer.domain.privacy.DataPolicy.Separation;
import io.stenographer.domain.privacy.Disclosure;
import io.stenographer.domain.privacy.PersonalDataUnreadable;
import io.stenographer.domain.event.PersonalField;
import io.stenographer.domain.event.Pseudonym;
import io.stenographer.domain.json.JsonString;
import io.stenographer.domain.privacy.PersonalValueCipher;
import io.stenographer.domain.privacy.PersonalValueState;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * The one place personal values are encrypted and decrypted. At ingest it separates each draft by its tenant's data
 * policy and encrypts the values with their openings under the subject's data key; for a reader allowed to see
 * personal data it decrypts them and checks each against the leaf's commitment before showing it.
 */
public final class PersonalDataVault {

    /** The purpose string of subject blind indexes, so the same key never indexes two kinds of value alike. */
    public static final String SUBJECT_INDEX = "subject";
    /** The purpose string of the blind index a report's own key is stored under (never a data subject's). */
    public static final String REPORT_INDEX = "report";

    private final Function<TenantId, DataPolicy> policies;
    private final KeyManagementPort keyManagement;
    private final StorePersonalDataPort store;
    private final DataKeyCache<UUID> dataKeys;
    private final TransactionRunner transactions;
    private final SecureRandom random;
    private final Clock clock;
    /** The live key of each subject this instance read lately, bounded and for as long as unwrapped keys are kept. */
    private final LiveKeys liveKeys;

    public PersonalDataVault(Function<TenantId, DataPolicy> policies, KeyManagementPort keyManagement,
            StorePersonalDataPort store, DataKeyCache<UUID> dataKeys, TransactionRunner transactions,
            SecureRandom random, Clock clock) {
        this.policies = Objects.requireNonNull(policies);
        this.keyManagement = Objects.requireNonNull(keyManagement);
        this.store = Objects.requireNonNull(store);
        this.dataKeys = Objects.requireNonNull(dataKeys);
        this.transactions = Objects.requireNonNull(transactions);
        this.random = Objects.requireNonNull(random);
        this.clock = Objects.requireNonNull(clock);
        this.liveKeys = new LiveKeys(dataKeys.maxEntries(), dataKeys.ttl());
    }

    /** Subjects' live keys as last read, least recently used out first, each for {@code ttl} from its read. */
    private static final class LiveKeys {
        private record Slot(TenantId tenant, SubjectIndex subject) {
        }

        private record Read(StoredDataKey key, Instant expiresAt) {
        }

        private final Duration ttl;
        private final Map<Slot, Read> reads;

        LiveKeys(int maxEntries, Duration ttl) {
            this.ttl = ttl;
            this.reads = new LinkedHashMap<>(16, 0.75f, true) {
                private static final long serialVersionUID = 1L;

                @Override
                protected boolean removeEldestEntry(Map.Entry<Slot, Read> eldest) {
                    return size() > maxEntries;
                }
            };
        }

        synchronized StoredDataKey get(TenantId tenant, SubjectIndex subject, Instant now) {
            Slot slot = new Slot(tenant, subject);
            Read read = reads.get(slot);
            if (read == null || !now.isBefore(read.expiresAt())) {
                reads.remove(slot);
                return null;
            }
            return read.key();
        }

        synchronized void put(TenantId tenant, SubjectIndex subject, StoredDataKey key, Instant readAt) {
            // A key found here keeps the expiry of its first read: this never extends how long a read is trusted.
            reads.putIfAbsent(new Slot(tenant, subject), new Read(key, readAt.plus(ttl)));
        }

        synchronized void clear() {
            reads.clear();
        }
    }

    public DataPolicy policy(TenantId tenant) {
        return policies.apply(tenant);
    }

    public SubjectIndex subjectIndex(TenantId tenant, String subjectId) {
        return new SubjectIndex(keyManagement.blindIndex(tenant, SUBJECT_INDEX, subjectId));
    }

    /**
     * The subject a caller names, by id or, where the tenant's policy pseudonymises identifiers, by the pseudonym its
     * events hold (copied from a listing): a pseudonym is the subject's index itself, never hashed again.
     */
    public SubjectIndex namedSubject(TenantId tenant, String subjectId) {
        DataPolicy policy = policy(tenant);
        boolean pseudonymising = policy.pseudonymises(PersonalField.ACTOR_ID)
                || policy.pseudonymises(PersonalField.RESOURCE_ID);
        if (pseudonymising && Pseudonym.isPseudonym(subjectId)) {
            return SubjectIndex.ofPseudonym(subjectId).orElseThrow();
        }
        return subjectIndex(tenant, subjectId);
    }

    /** The pseudonyms of a tenant's identifiers: their subject index, so an erasure finds the same subject. */
    private DataPolicy.Pseudonyms pseudonyms(TenantId tenant) {
        return identifier -> subjectIndex(tenant, identifier).pseudonym();
    }

    /**
     * An identifier as the tenant's events store it, for searching: its pseudonym where the tenant's policy makes
     * {@code field} personal, else itself (null stays null).
     */
    public String storedForm(TenantId tenant, PersonalField field, String identifier) {
        return policy(tenant).storedForm(field, identifier, pseudonyms(tenant));
    }

    /**
     * How this vault's tenants store identifiers, for the writer of Stenographer's own events ({@link SelfAudit}):
     * a tenant whose first events are the service's own (an auditor's searches) has its form fixed by them too.
     */
    public StoredIdentifiers storedIdentifiers() {
        return new StoredIdentifiers() {
            @Override
            public String of(TenantId tenant, PersonalField field, String identifier) {
                return storedForm(tenant, field, identifier);
            }

            @Override
            public void beforeEventsOf(TenantId tenant) {
                recordIdentifierForms(List.of(tenant));
            }
        };
    }

    /** The subject of a stored event: read from its pseudonym where the event commits to its subject identifier. */
    private SubjectIndex subjectIndexOf(AuditEvent event) {
        DataPolicy policy = policy(event.tenant());
        String subject = policy.subjectOf(event.content());
        if (event.personal().byField().containsKey(policy.subjectFieldOf(event.content()))) {
            return SubjectIndex.ofPseudonym(subject).orElseThrow(() -> new IllegalStateException(
                    "a committed subject identifier is not a pseudonym")); // AuditEvent refuses this at construction
        }
        return subjectIndex(event.tenant(), subject);
    }

    /** Tenants whose identifier forms this instance has seen recorded (and agreeing with their policy). */
    private final Set<TenantId> identifierFormsRecorded = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private static final List<PersonalField> IDENTIFIERS = List.of(PersonalField.ACTOR_ID, PersonalField.RESOURCE_ID);

    /** The tenant's policy's identifier forms: whether its events hold each identifier as a pseudonym. */
    private Map<PersonalField, Boolean> identifierForms(TenantId tenant) {
        Map<PersonalField, Boolean> forms = new LinkedHashMap<>();
        IDENTIFIERS.forEach(field -> forms.put(field, policy(tenant).pseudonymises(field)));
        return forms;
    }

    /**
     * Records, in the caller's (ingest) transaction, how these tenants' events hold their identifiers, for those not
     * recorded yet; call {@link #identifierFormsCommitted} once it commits.
     *
     * @throws IllegalStateException when a tenant's recorded forms disagree with its policy now
     */
    public void recordIdentifierForms(Collection<TenantId> tenants) {
        for (TenantId tenant : new LinkedHashSet<>(tenants)) {
            if (!identifierFormsRecorded.contains(tenant)) {
                refuseChangedForms(tenant, store.recordIdentifierForms(tenant, identifierForms(tenant)));
            }
        }
    }

    /** The tenants' identifier forms are recorded for good: later batches need not record them again. */
    public void identifierFormsCommitted(Collection<TenantId> tenants) {
        identifierFormsRecorded.addAll(tenants);
    }

    /**
     * Refuses (at start-up) a policy that makes an identifier personal, or no longer personal, for a tenant whose
     * events already hold it the other way: holds, searches and erasures compare one form.
     */
    public void checkIdentifierForms() {
        Map<TenantId, Map<PersonalField, Boolean>> recorded = transactions.inTransaction(() -> store.identifierForms());
        recorded.forEach(this::refuseChangedForms);
        // Committed and agreeing: no writer of these tenants' events needs to record them again.
        identifierFormsCommitted(recorded.keySet());
    }

    private void refuseChangedForms(TenantId tenant, Map<PersonalField, Boolean> recorded) {
        Map<PersonalField, Boolean> wanted = identifierForms(tenant);
        // In a fixed order (actor.id first), so that the same disagreement is always reported the same way.
        for (PersonalField field : IDENTIFIERS) {
            Boolean pseudonymised = recorded.get(field);
            if (pseudonymised != null && !wanted.get(field).equals(pseudonymised)) {
                throw new IllegalStateException("the data policy of tenant " + tenant + " makes " + field + " "
                        + (wanted.get(field) ? "personal" : "not personal") + ", but its events already hold " + field
                        + (pseudonymised ? " as a pseudonym" : " as given") + ": holds, searches and erasures compare"
                        + " one form, so whether an identifier is personal cannot change once a tenant has events."
                        + " Restore the earlier policy for " + tenant + ", or give the new policy to a new tenant"
                        + " (docs/PRIVACY.md §1a)");
            }
        }
    }

    /** A live data key, unwrapped, with the id its values are stored under. */
    public record SubjectKey(UUID id, DataKey key) {
    }

    /** The keys of one batch's subjects, by tenant and subject id (in memory only; never stored by id). */
    public record BatchKeys(Map<TenantId, Map<String, SubjectKey>> bySubject) {

        SubjectKey of(TenantId tenant, String subjectId) {
            SubjectKey key = bySubject.getOrDefault(tenant, Map.of()).get(subjectId);
            if (key == null) {
                throw new IllegalStateException("no data key was prepared for a subject of this batch");
            }
            return key;
        }
    }

    /**
     * The live keys of every subject these drafts would store personal values for, creating the missing ones, each
     * in its own short transaction: a key must exist before a value refers to it, whether or not the batch commits.
     * Each subject's blind index is computed once per batch. Call outside the ingest transaction.
     */
    public BatchKeys keysFor(Collection<EventDraft> drafts) {
        Map<TenantId, Map<String, SubjectIndex>> wanted = new LinkedHashMap<>();
        for (EventDraft draft : drafts) {
            DataPolicy policy = policy(draft.tenant());
            if (policy.hasPersonalData(draft)) {
                wanted.computeIfAbsent(draft.tenant(), t -> new LinkedHashMap<>())
                        .computeIfAbsent(policy.subjectOf(draft), id -> subjectIndex(draft.tenant(), id));
            }
        }
        Map<TenantId, Map<String, SubjectKey>> keys = new HashMap<>();
        if (wanted.isEmpty()) {
            return new BatchKeys(keys);
        }
        // Subjects whose live key this instance read lately need no read: a batch of known subjects then costs no
        // transaction before the ingest's own (BENCHMARKS.md "Personal data", run 7: that read cost 8 points). A key
        // erased meanwhile elsewhere is refused by the database when values are stored under it, and the ingest
        // retries after forgetCachedKeys.
        Instant readAt = clock.instant();
        Map<TenantId, Map<SubjectIndex, StoredDataKey>> live = new HashMap<>();
        Map<TenantId, List<SubjectIndex>> unknown = new HashMap<>();
        wanted.forEach((tenant, subjects) -> {
            Map<SubjectIndex, StoredDataKey> known = new HashMap<>();
            for (SubjectIndex subject : subjects.values()) {
                StoredDataKey cached = liveKeys.get(tenant, subject, readAt);
                if (cached != null) {
                    known.put(subject, cached);
                } else {
                    unknown.computeIfAbsent(tenant, t -> new ArrayList<>()).add(subject);
                }
            }
            live.put(tenant, known);
        });
        // One read for every other subject of the batch, then one short transaction creating all the missing keys: a
        // commit per new subject would cost a disk flush each (1,000 new subjects, 1,000 flushes).
        if (!unknown.isEmpty()) {
            transactions.inTransaction(() -> {
                unknown.forEach((tenant, subjects) -> live.get(tenant).putAll(store.liveKeys(tenant, subjects)));
                return null;
            });
        }
        Map<TenantId, List<StoredDataKey>> missing = new HashMap<>();
        wanted.forEach((tenant, subjects) -> subjects.values().stream()
                .filter(subject -> !live.get(tenant).containsKey(subject))
                .forEach(subject -> missing.computeIfAbsent(tenant, t -> new ArrayList<>()).add(candidateKey(tenant, subject))));
        if (!missing.isEmpty()) {
            Instant now = clock.instant();
            transactions.inTransaction(() -> {
                missing.forEach((tenant, candidates) -> live.get(tenant).putAll(store.createKeys(tenant, candidates, now)));
                return null;
            });
        }
        wanted.forEach((tenant, subjects) -> {
            Map<String, SubjectKey> byTenant = new HashMap<>();
            subjects.forEach((subjectId, subject) -> {
                StoredDataKey stored = live.get(tenant).get(subject);
                if (stored == null) {
                    throw new IllegalStateException("a subject's new data key is neither stored nor live");
                }
                byTenant.put(subjectId, new SubjectKey(stored.id(), unwrap(stored)));
                liveKeys.put(tenant, subject, stored, readAt);
            });
            keys.put(tenant, byTenant);
        });
        return new BatchKeys(keys);
    }

    private StoredDataKey candidateKey(TenantId tenant, SubjectIndex subject) {
        return new StoredDataKey(UUID.randomUUID(), tenant, subject,
                keyManagement.wrap(tenant, DataKey.generate(random)));
    }

    private DataKey unwrap(StoredDataKey stored) {
        // At most one key-management call per key per cache TTL, however many events use it.
        return dataKeys.get(stored.id(), id -> keyManagement.unwrap(stored.tenant(), stored.wrapped()));
    }

    /** Forgets cached keys, e.g. after another instance erased one this instance still held. */
    public void forgetCachedKeys() {
        liveKeys.clear();
        dataKeys.evictAll();
    }

    /** The pseudonyms of one batch's personal identifiers, computed before its transaction (in memory only). */
    public record BatchPseudonyms(Map<TenantId, Map<String, String>> byIdentifier) {

        /** The tenant's pseudonyms as a data policy takes them; an identifier not prepared is a bug, not a call. */
        public DataPolicy.Pseudonyms of(TenantId tenant) {
            Map<String, String> ofTenant = byIdentifier.getOrDefault(tenant, Map.of());
            return identifier -> {
                String pseudonym = ofTenant.get(identifier);
                if (pseudonym == null) {
                    throw new IllegalStateException("a pseudonym was not prepared before the batch's transaction");
                }
                return pseudonym;
            };
        }
    }

    /**
     * The pseudonyms of every personal identifier of these drafts, so that no key-management call (AWS KMS
     * GenerateMac) is made inside the ingest transaction. Call outside it.
     */
    public BatchPseudonyms pseudonymsFor(Collection<EventDraft> drafts) {
        Map<TenantId, Map<String, String>> pseudonyms = new HashMap<>();
        for (EventDraft draft : drafts) {
            DataPolicy policy = policy(draft.tenant());
            for (PersonalField field : IDENTIFIERS) {
                if (policy.pseudonymises(field) && field.valueIn(draft) instanceof JsonString id) {
                    pseudonyms.computeIfAbsent(draft.tenant(), t -> new HashMap<>())
                            .computeIfAbsent(id.value(), value -> storedForm(draft.tenant(), field, value));
                }
            }
        }
        return new BatchPseudonyms(pseudonyms);
    }

    /** The draft split by its tenant's policy, each value under a fresh random opening. */
    public Separation separate(EventDraft draft, BatchPseudonyms pseudonyms) {
        return policy(draft.tenant()).separate(draft, () -> {
            byte[] opening = new byte[Commitment.OPENING_LENGTH];
            random.nextBytes(opening);
            return opening;
        }, pseudonyms.of(draft.tenant()));
    }

    /** The separated values of one sealed event, encrypted under its subject's key from {@link #keysFor}. */
    public List<SealedPersonalValue> encrypt(AuditEvent event, Separation separation, BatchKeys keys) {
        if (!separation.hasPersonalData()) {
            return List.of();
        }
        TenantId tenant = event.tenant();
        SubjectKey key = keys.of(tenant, separation.subjectId());
        List<SealedPersonalValue> values = new ArrayList<>(separation.disclosures().size());
        for (Disclosure disclosure : separation.disclosures()) {
            byte[] bound = PersonalValueCipher.associatedData(tenant.value(), event.id().value(),
                    disclosure.field().path());
            values.add(new SealedPersonalValue(event.id().value(), disclosure.field().path(), key.id(),
                    PersonalValueCipher.seal(key.key(), bound, disclosure.plaintext(), random)));
        }
        return values;
    }

    /**
     * Every committed value of these events, decrypted and checked against its commitment. A value that is gone
     * because its subject was erased is {@link PersonalValueState.Erased}; one that fails to decrypt or to open its
     * commitment is {@link PersonalValueState.Unreadable}, never shown.
     */
    public Map<EventId, Map<PersonalField, PersonalValueState>> reveal(List<AuditEvent> events) {
        return reveal(events, store::keys);
    }

    /**
     * As {@link #reveal(List)}, for a report that will hold the values: in the caller's transaction, the keys used are
     * locked against erasure until it ends and recorded as used by the report, so that erasing a subject whose
     * values the report holds also destroys the report's own key.
     */
    public Map<EventId, Map<PersonalField, PersonalValueState>> revealForReport(UUID reportId,
            List<AuditEvent> events) {
        return reveal(events, ids -> store.keysForReport(reportId, ids));
    }

    private Map<EventId, Map<PersonalField, PersonalValueState>> reveal(List<AuditEvent> events,
            Function<Set<UUID>, Map<UUID, StoredDataKey>> keyLoader) {
        List<AuditEvent> committed = events.stream().filter(e -> !e.personal().isEmpty()).toList();
        Map<EventId, Map<PersonalField, PersonalValueState>> result = new LinkedHashMap<>();
        if (committed.isEmpty()) {
            return result;
        }
        List<SealedPersonalValue> stored = store.values(committed.stream().map(e -> e.id().value()).toList());
        Map<UUID, StoredDataKey> keys = keyLoader.apply(stored.stream().map(SealedPersonalValue::keyId)
                .collect(java.util.stream.Collectors.toSet()));
        Map<UUID, Map<String, SealedPersonalValue>> byEvent = new HashMap<>();
        for (SealedPersonalValue value : stored) {
            byEvent.computeIfAbsent(value.eventId(), id -> new HashMap<>()).put(value.field(), value);
        }
        for (AuditEvent event : committed) {
            Map<PersonalField, PersonalValueState> fields = new LinkedHashMap<>();
            Map<String, SealedPersonalValue> values = byEvent.getOrDefault(event.id().value(), Map.of());
            event.personal().byField().forEach((field, commitment) -> fields.put(field,
                    open(event, field, commitment, values.get(field.path()), keys)));
            result.put(event.id(), fields);
        }
        return result;
    }

    /** The report's file key could not be given: erasing one of its subjects destroyed it. */
    public static final class ReportKeyErased extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ReportKeyErased(UUID reportId) {
            super("the file of report " + reportId + " held personal values of a data subject who has since been"
                    + " erased; its key was destroyed with the subject's, so the file can no longer be read."
                    + " Request the report again for what the log holds now");
        }
    }

    /**
     * The report's own data key, created on first use (in its own transaction): the key its stored file is encrypted
     * under. Another attempt at the same report gets the same key.
     *
     * @throws ReportKeyErased when a subject of the report was erased meanwhile
     */
    public DataKey reportKey(TenantId tenant, UUID reportId) {
        StoredDataKey candidate = new StoredDataKey(UUID.randomUUID(), tenant,
                new SubjectIndex(keyManagement.blindIndex(tenant, REPORT_INDEX, reportId.toString())),
                keyManagement.wrap(tenant, DataKey.generate(random)));
        StoredDataKey stored = transactions.inTransaction(() -> store.reportKey(reportId, candidate, clock.instant()));
        return reportDataKey(tenant, reportId, stored);
    }

    /**
     * The key a report's stored file is encrypted under; empty when the file is not encrypted (the report holds no
     * personal values). In the caller's transaction.
     *
     * @throws ReportKeyErased when a subject of the report was erased
     */
    public Optional<DataKey> storedReportKey(TenantId tenant, UUID reportId) {
        return store.reportKeyOf(reportId).map(stored -> reportDataKey(tenant, reportId, stored));
    }

    /** The keys of stored report files, as the report file store reads them. */
    public ReportFiles.FileKeys reportFileKeys() {
        return new ReportFiles.FileKeys() {
            @Override
            public Optional<DataKey> keyOf(TenantId tenant, UUID reportId) {
                return storedReportKey(tenant, reportId);
            }

            @Override
            public boolean erased(UUID reportId) {
                return reportKeyErased(reportId);
            }
        };
    }

    /** Whether the report had its own key, which an erasure destroyed. In the caller's transaction. */
    public boolean reportKeyErased(UUID reportId) {
        return store.reportKeyOf(reportId).map(StoredDataKey::erased).orElse(false);
    }

    private DataKey reportDataKey(TenantId tenant, UUID reportId, StoredDataKey stored) {
        if (!stored.tenant().equals(tenant)) {
            throw new IllegalStateException("the key of report " + reportId + " belongs to another tenant");
        }
        if (stored.erased()) {
            throw new ReportKeyErased(reportId);
        }
        return unwrap(stored);
    }

    /**
     * The stored values of one event, decrypted but not checked against a commitment (the caller has none): for a
     * retry's receipt, whose writer checks them itself by recomputing the leaf.
     */
    public Map<PersonalField, PersonalValueState> revealStored(TenantId tenant, EventId id) {
        List<SealedPersonalValue> stored = store.values(List.of(id.value()));
        if (stored.isEmpty()) {
            return Map.of();
        }
        Map<UUID, StoredDataKey> keys = store.keys(stored.stream().map(SealedPersonalValue::keyId)
                .collect(java.util.stream.Collectors.toSet()));
        Map<PersonalField, PersonalValueState> fields = new LinkedHashMap<>();
        for (SealedPersonalValue value : stored) {
            PersonalField field = PersonalField.parse(value.field());
            fields.put(field, decrypt(tenant, id, field, value, keys.get(value.keyId())));
        }
        return fields;
    }

    private PersonalValueState open(AuditEvent event, PersonalField field, Hash commitment,
            SealedPersonalValue value, Map<UUID, StoredDataKey> keys) {
        if (value == null) {
            return store.erasures(event.tenant(), subjectIndexOf(event)).isEmpty()
                    ? new PersonalValueState.Unreadable("the value is missing and no erasure of its subject is recorded")
                    : new PersonalValueState.Erased();
        }
        PersonalValueState state = decrypt(event.tenant(), event.id(), field, value, keys.get(value.keyId()));
        if (state instanceof PersonalValueState.Revealed revealed && !revealed.disclosure().matches(commitment)) {
            return new PersonalValueState.Unreadable("the stored value does not open the leaf's commitment");
        }
        // A writer cannot check a keyed pseudonym, so the reader does: the leaf must hold the revealed id's own.
        if (state instanceof PersonalValueState.Revealed revealed && field.isIdentifier()
                && !pseudonyms(event.tenant()).of(((JsonString) revealed.disclosure().value()).value())
                        .equals(((JsonString) field.valueIn(event.content())).value())) {
            return new PersonalValueState.Unreadable("the leaf's pseudonym is not the pseudonym of the committed id");
        }
        return state;
    }

    /**
     * One stored value decrypted, for the event and field its associated data binds it to; not checked against a
     * commitment. A value under another tenant's key was moved, not erased.
     */
    private PersonalValueState decrypt(TenantId tenant, EventId id, PersonalField field, SealedPersonalValue value,
            StoredDataKey key) {
        if (key != null && !key.tenant().equals(tenant)) {
            return new PersonalValueState.Unreadable("the value is stored under another tenant's key");
        }
        if (key == null || key.erased()) {
            return new PersonalValueState.Erased();
        }
        try {
            byte[] plain = PersonalValueCipher.open(unwrap(key), PersonalValueCipher.associatedData(tenant.value(),
                    id.value(), field.path()), value.sealed());
            return new PersonalValueState.Revealed(Disclosure.fromPlaintext(field, plain));
        } catch (PersonalDataUnreadable | KeyUnavailable e) {
            return new PersonalValueState.Unreadable(e.getMessage());
        }
    }
}
