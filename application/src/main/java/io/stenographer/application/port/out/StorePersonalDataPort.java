package io.stenographer.application.port.out;

import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.privacy.SubjectErasure;
import io.stenographer.domain.privacy.SubjectIndex;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Where personal values live once the leaf holds only commitments to them: encrypted values, the subjects' wrapped
 * data keys, and the record of erasures. Subjects are named by their blind index only.
 */
public interface StorePersonalDataPort {

    /** A subject's data key as stored: wrapped, or, once erased, with no key at all. */
    record StoredDataKey(UUID id, TenantId tenant, SubjectIndex subject, WrappedDataKey wrapped) {

        public boolean erased() {
            return wrapped == null;
        }
    }


    /** One encrypted personal value: AES-256-GCM of opening and value, bound to tenant, event and field. */
    record SealedPersonalValue(UUID eventId, String field, UUID keyId, byte[] sealed) {

        public SealedPersonalValue {
            sealed = sealed.clone();
        }

        @Override
        public byte[] sealed() {
            return sealed.clone();
        }
    }


    /** The subjects' live (not erased) keys, by subject. */
    Map<SubjectIndex, StoredDataKey> liveKeys(TenantId tenant, Collection<SubjectIndex> subjects);

    /**
     * Stores each candidate as its subject's new live key unless one exists already (a concurrent writer won), and
     * returns every candidate subject's live key either way. The candidates all belong to {@code tenant}.
     */
    Map<SubjectIndex, StoredDataKey> createKeys(TenantId tenant, List<StoredDataKey> candidates, Instant createdAt);

    /** Keys by id, live or erased. */
    Map<UUID, StoredDataKey> keys(Collection<UUID> ids);

    /**
     * Stores values in the caller's transaction.
     *
     * @throws DataKeyErased when one of their keys was erased meanwhile
     */
    void storeValues(List<SealedPersonalValue> values);

    /** The stored values of these events. */
    List<SealedPersonalValue> values(Collection<UUID> eventIds);

    /**
     * Destroys the subject's live keys and deletes their values (those left over then follow by {@link
     * #sweepErasedValues}), in the caller's transaction, through the one database function that checks legal holds;
     * the {@code subject.erased} event must already be in the log.
     *
     * @throws SubjectHeld when an active legal hold covers the subject
     */
    SubjectErasure erase(UUID erasureId, TenantId tenant, SubjectIndex subject, String subjectField,
            String subjectId, String requestedBy);

    /** Deletes up to {@code limit} values left over by erasures (their keys are destroyed); returns how many. */
    long sweepErasedValues(int limit);

    /**
     * Deletes the values of the events of an archive segment whose deletion is recorded (the events' last copy is
     * gone), in the caller's transaction, through the database function that checks legal holds; returns how many
     * events' values it deleted.
     *
     * @throws ValuesKept when the segment's deletion is not recorded, one of its events is still in the hot store,
     *         or an active legal hold covers one of its events
     */
    long deleteValuesOfDeletedSegment(String segmentKey);

    /** The subject's erasures, oldest first. */
    List<SubjectErasure> erasures(TenantId tenant, SubjectIndex subject);

    /**
     * Whether each tenant's events hold {@code actor.id} / {@code resource.id} as a pseudonym, as recorded at the
     * tenant's first write (docs/PRIVACY.md §1a); tenants with nothing recorded are absent.
     */
    Map<TenantId, Map<io.stenographer.domain.event.PersonalField, Boolean>> identifierForms();

    /**
     * Records how a tenant's events hold its identifiers, unless something is recorded already (never changed), and
     * returns what is recorded. In the caller's transaction.
     */
    Map<io.stenographer.domain.event.PersonalField, Boolean> recordIdentifierForms(TenantId tenant,
            Map<io.stenographer.domain.event.PersonalField, Boolean> forms);

    /**
     * The report's own data key, which encrypts its stored file: {@code candidate} is stored as that key unless the
     * report has one already (an earlier attempt), and the report's key is returned either way, erased or not.
     */
    StoredDataKey reportKey(UUID reportId, StoredDataKey candidate, Instant createdAt);

    /** The report's own data key, erased or not; empty when its file holds no personal values. */
    java.util.Optional<StoredDataKey> reportKeyOf(UUID reportId);

    /**
     * Keys by id, like {@link #keys}, for a report about to hold values decrypted under them: each live one is locked
     * against erasure until the caller's transaction ends, and recorded as used by the report, so that erasing its
     * subject later also destroys the report's own key.
     */
    Map<UUID, StoredDataKey> keysForReport(UUID reportId, Collection<UUID> ids);

    /** Live keys wrapped under another key-encryption key than {@code currentKekId}, at most {@code limit}. */
    List<StoredDataKey> keysNotWrappedUnder(String currentKekId, int limit);

    /** Replaces a live key's wrap; false when the key was erased meanwhile. */
    boolean rewrap(UUID keyId, WrappedDataKey wrapped);

    /** Thrown by {@link #storeValues} when a key was erased by another instance after this one read it. */
    final class DataKeyErased extends RuntimeException {
        public DataKeyErased(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Thrown by {@link #deleteValuesOfDeletedSegment} when the values must stay; nothing was deleted. */
    final class ValuesKept extends RuntimeException {
        public ValuesKept(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Thrown by {@link #erase} when an active legal hold covers the subject. */
    final class SubjectHeld extends RuntimeException {
        private final String holdId;

        public SubjectHeld(String holdId) {
            super("legal hold " + holdId + " covers this data subject");
            this.holdId = holdId;
        }

        public String holdId() {
            return holdId;
        }
    }
}
