package io.stenographer.application.service.fakes;

import io.stenographer.domain.privacy.SubjectErasure;
import io.stenographer.domain.privacy.SubjectIndex;
import io.stenographer.application.port.out.StorePersonalDataPort;
import io.stenographer.domain.event.TenantId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/** The personal-data store in memory, with the database's rules: values only under live keys, erasure under holds. */
public final class InMemoryPersonalData implements StorePersonalDataPort {

    private final Map<UUID, StoredDataKey> keys = new HashMap<>();
    private final List<SealedPersonalValue> values = new ArrayList<>();
    private final List<SubjectErasure> erasures = new ArrayList<>();
    /** Each report's own key id. */
    private final Map<UUID, UUID> reportKeys = new HashMap<>();
    /** The subjects' keys each report decrypted values under. */
    private final Map<UUID, java.util.Set<UUID>> reportSubjectKeys = new HashMap<>();
    /** Subjects an active hold covers, by their id as the caller names them. */
    private final Map<String, String> heldSubjects = new HashMap<>();

    /** The events of a deleted segment, or a refusal, as stenographer_delete_values_of_deleted_segment judges. */
    private Function<String, List<UUID>> eventsOfDeletedSegment = key -> {
        throw new ValuesKept("no archive catalogue: segment " + key + " is not recorded as deleted", null);
    };

    /** Where {@link #deleteValuesOfDeletedSegment} learns a deleted segment's events (the archive catalogue). */
    public synchronized void lastCopiesIn(Function<String, List<UUID>> eventsOfDeletedSegment) {
        this.eventsOfDeletedSegment = eventsOfDeletedSegment;
    }

    public synchronized void hold(String subjectId, String holdId) {
        heldSubjects.put(subjectId, holdId);
    }

    public synchronized List<SealedPersonalValue> allValues() {
        return List.copyOf(values);
    }

    public synchronized void replaceValue(SealedPersonalValue old, SealedPersonalValue replacement) {
        values.set(values.indexOf(old), replacement);
    }

    @Override
    public synchronized Map<SubjectIndex, StoredDataKey> liveKeys(TenantId tenant, Collection<SubjectIndex> subjects) {
        Map<SubjectIndex, StoredDataKey> live = new HashMap<>();
        for (StoredDataKey key : keys.values()) {
            if (!key.erased() && key.tenant().equals(tenant) && subjects.contains(key.subject())) {
                live.put(key.subject(), key);
            }
        }
        return live;
    }

    @Override
    public synchronized Map<SubjectIndex, StoredDataKey> createKeys(TenantId tenant, List<StoredDataKey> candidates,
            Instant createdAt) {
        Map<SubjectIndex, StoredDataKey> live = new HashMap<>();
        for (StoredDataKey key : candidates) {
            StoredDataKey existing = liveKeys(tenant, List.of(key.subject())).get(key.subject());
            if (existing == null) {
                keys.put(key.id(), key);
            }
            live.put(key.subject(), existing == null ? key : existing);
        }
        return live;
    }

    @Override
    public synchronized Map<UUID, StoredDataKey> keys(Collection<UUID> ids) {
        Map<UUID, StoredDataKey> found = new HashMap<>();
        ids.forEach(id -> {
            if (keys.containsKey(id)) {
                found.put(id, keys.get(id));
            }
        });
        return found;
    }

    @Override
    public synchronized void storeValues(List<SealedPersonalValue> added) {
        for (SealedPersonalValue value : added) {
            StoredDataKey key = keys.get(value.keyId());
            if (key == null || key.erased()) {
                throw new DataKeyErased("personal data key erased", null);
            }
        }
        values.addAll(added);
    }

    @Override
    public synchronized List<SealedPersonalValue> values(Collection<UUID> eventIds) {
        return values.stream().filter(v -> eventIds.contains(v.eventId())).toList();
    }

    @Override
    public synchronized SubjectErasure erase(UUID erasureId, TenantId tenant, SubjectIndex subject,
            String subjectField, String subjectId, String requestedBy) {
        if (heldSubjects.containsKey(subjectId)) {
            throw new SubjectHeld(heldSubjects.get(subjectId));
        }
        List<UUID> live = keys.values().stream()
                .filter(k -> !k.erased() && k.tenant().equals(tenant) && k.subject().equals(subject))
                .map(StoredDataKey::id).toList();
        long events = values.stream().filter(v -> live.contains(v.keyId())).map(SealedPersonalValue::eventId)
                .distinct().count();
        values.removeIf(v -> live.contains(v.keyId()));
        List<UUID> reportsKeys = reportSubjectKeys.entrySet().stream()
                .filter(e -> e.getValue().stream().anyMatch(id -> keys.get(id).subject().equals(subject)
                        && keys.get(id).tenant().equals(tenant)))
                .map(e -> reportKeys.get(e.getKey())).filter(id -> !keys.get(id).erased()).toList();
        for (UUID id : concat(live, reportsKeys)) {
            StoredDataKey key = keys.get(id);
            keys.put(id, new StoredDataKey(id, key.tenant(), key.subject(), null));
        }
        SubjectErasure erasure = new SubjectErasure(erasureId, tenant, subject, requestedBy, Instant.now(),
                live.size(), events, false, reportsKeys.size());
        erasures.add(erasure);
        return erasure;
    }

    private static List<UUID> concat(List<UUID> a, List<UUID> b) {
        List<UUID> both = new ArrayList<>(a);
        both.addAll(b);
        return both;
    }

    @Override
    public synchronized StoredDataKey reportKey(UUID reportId, StoredDataKey candidate, Instant createdAt) {
        UUID id = reportKeys.computeIfAbsent(reportId, r -> {
            keys.put(candidate.id(), candidate);
            return candidate.id();
        });
        return keys.get(id);
    }

    @Override
    public synchronized java.util.Optional<StoredDataKey> reportKeyOf(UUID reportId) {
        return java.util.Optional.ofNullable(reportKeys.get(reportId)).map(keys::get);
    }

    @Override
    public synchronized Map<UUID, StoredDataKey> keysForReport(UUID reportId, Collection<UUID> ids) {
        Map<UUID, StoredDataKey> found = keys(ids);
        found.values().stream().filter(key -> !key.erased()).forEach(key -> reportSubjectKeys
                .computeIfAbsent(reportId, r -> new java.util.HashSet<>()).add(key.id()));
        return found;
    }

    @Override
    public synchronized long deleteValuesOfDeletedSegment(String segmentKey) {
        List<UUID> events = eventsOfDeletedSegment.apply(segmentKey);
        long deleted = values.stream().map(SealedPersonalValue::eventId).filter(events::contains).distinct().count();
        values.removeIf(v -> events.contains(v.eventId()));
        return deleted;
    }

    @Override
    public synchronized long sweepErasedValues(int limit) {
        return 0; // erase deletes every value at once here
    }

    @Override
    public synchronized List<SubjectErasure> erasures(TenantId tenant, SubjectIndex subject) {
        return erasures.stream().filter(e -> e.tenant().equals(tenant) && e.subject().equals(subject)).toList();
    }

    private final Map<TenantId, Map<io.stenographer.domain.event.PersonalField, Boolean>> identifierForms =
            new HashMap<>();

    @Override
    public synchronized Map<TenantId, Map<io.stenographer.domain.event.PersonalField, Boolean>> identifierForms() {
        Map<TenantId, Map<io.stenographer.domain.event.PersonalField, Boolean>> copy = new HashMap<>();
        identifierForms.forEach((tenant, forms) -> copy.put(tenant, Map.copyOf(forms)));
        return copy;
    }

    @Override
    public synchronized Map<io.stenographer.domain.event.PersonalField, Boolean> recordIdentifierForms(
            TenantId tenant, Map<io.stenographer.domain.event.PersonalField, Boolean> forms) {
        Map<io.stenographer.domain.event.PersonalField, Boolean> recorded =
                identifierForms.computeIfAbsent(tenant, t -> new HashMap<>());
        forms.forEach(recorded::putIfAbsent);
        return Map.copyOf(recorded);
    }

    @Override
    public synchronized List<StoredDataKey> keysNotWrappedUnder(String currentKekId, int limit) {
        return keys.values().stream()
                .filter(k -> !k.erased() && !k.wrapped().keyEncryptionKeyId().equals(currentKekId))
                .limit(limit).toList();
    }

    @Override
    public synchronized boolean rewrap(UUID keyId, io.stenographer.application.port.out.WrappedDataKey wrapped) {
        StoredDataKey key = keys.get(keyId);
        if (key == null || key.erased()) {
            return false;
        }
        keys.put(keyId, new StoredDataKey(keyId, key.tenant(), key.subject(), wrapped));
        return true;
    }
}
