package io.stenographer.adapters.persistence;

import io.stenographer.domain.privacy.SubjectErasure;
import io.stenographer.domain.privacy.SubjectIndex;
import io.stenographer.application.port.out.StorePersonalDataPort;
import io.stenographer.application.port.out.WrappedDataKey;
import io.stenographer.domain.event.PersonalField;
import io.stenographer.domain.event.TenantId;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.hibernate.Session;
import org.postgresql.util.PSQLException;

/**
 * The personal-data store (V22): wrapped data keys, encrypted values and erasures. Values and keys are only ever
 * inserted here; they leave only through {@code stenographer_erase_subject} and, for values whose events' last copy
 * was deleted, {@code stenographer_delete_values_of_deleted_segment} (V24), both of which check legal holds (the
 * application role has no DELETE on either table, and their triggers refuse any other change).
 */
@ApplicationScoped
public class PostgresPersonalData implements StorePersonalDataPort {

    private static final String CHECK_VIOLATION = "23514";
    /**
     * Events whose values an erasure deletes before it answers; the rest are left to the sweep. Destroying the keys
     * is what makes them unreadable, and takes milliseconds; deleting 100k rows scattered over the table takes
     * seconds (BENCHMARKS.md, "Personal data").
     */
    static final int ERASE_NOW = 5_000;
    private static final String KEY_COLUMNS = "id, tenant, subject_index, kek_id, wrapped_key";

    private final Jdbc jdbc;

    PostgresPersonalData(Session session) {
        this.jdbc = new Jdbc(session);
    }

    @Override
    public Map<SubjectIndex, StoredDataKey> liveKeys(TenantId tenant, Collection<SubjectIndex> subjects) {
        Map<SubjectIndex, StoredDataKey> live = new HashMap<>();
        if (subjects.isEmpty()) {
            return live;
        }
        byte[][] indexes = subjects.stream().map(SubjectIndex::bytes).toArray(byte[][]::new);
        jdbc.query("SELECT " + KEY_COLUMNS + " FROM personal_data_key"
                + " WHERE tenant = ? AND subject_index = ANY (?) AND erased_at IS NULL", ps -> {
                    ps.setString(1, tenant.value());
                    ps.setArray(2, ps.getConnection().createArrayOf("bytea", indexes));
                }, PostgresPersonalData::key).forEach(key -> live.put(key.subject(), key));
        return live;
    }

    @Override
    public Map<SubjectIndex, StoredDataKey> createKeys(TenantId tenant, List<StoredDataKey> candidates,
            Instant createdAt) {
        if (candidates.stream().anyMatch(key -> !key.tenant().equals(tenant))) {
            throw new IllegalArgumentException("every candidate key belongs to " + tenant.value());
        }
        // One order for every writer, so that two batches creating keys for the same subjects wait, never deadlock.
        List<StoredDataKey> ordered = candidates.stream()
                .sorted(Comparator.comparing(key -> key.subject().bytes(), Arrays::compareUnsigned)).toList();
        jdbc.batch("INSERT INTO personal_data_key (id, tenant, subject_index, kek_id, wrapped_key, created_at)"
                + " VALUES (?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT (tenant, subject_index) WHERE erased_at IS NULL DO NOTHING", ordered, (ps, key) -> {
                    ps.setObject(1, key.id());
                    ps.setString(2, key.tenant().value());
                    ps.setBytes(3, key.subject().bytes());
                    ps.setString(4, key.wrapped().keyEncryptionKeyId());
                    ps.setBytes(5, key.wrapped().bytes());
                    ps.setTimestamp(6, Timestamp.from(createdAt));
                });
        Map<SubjectIndex, StoredDataKey> live = liveKeys(tenant, ordered.stream().map(StoredDataKey::subject).toList());
        if (live.size() != ordered.size()) {
            throw new IllegalStateException("a subject's new data key is neither stored nor live");
        }
        return live;
    }

    @Override
    public Map<UUID, StoredDataKey> keys(Collection<UUID> ids) {
        Map<UUID, StoredDataKey> found = new HashMap<>();
        if (ids.isEmpty()) {
            return found;
        }
        jdbc.query("SELECT " + KEY_COLUMNS + " FROM personal_data_key WHERE id = ANY (?)",
                ps -> ps.setArray(1, ps.getConnection().createArrayOf("uuid", ids.toArray())),
                PostgresPersonalData::key).forEach(key -> found.put(key.id(), key));
        return found;
    }

    @Override
    public void storeValues(List<SealedPersonalValue> values) {
        try {
            Map<UUID, List<SealedPersonalValue>> byEvent = new java.util.LinkedHashMap<>();
            for (SealedPersonalValue value : values) {
                byEvent.computeIfAbsent(value.eventId(), id -> new java.util.ArrayList<>()).add(value);
            }
            jdbc.batch("INSERT INTO personal_value (event_id, key_id, sealed) VALUES (?, ?, ?)",
                    List.copyOf(byEvent.values()), (ps, ofEvent) -> {
                        UUID keyId = ofEvent.get(0).keyId();
                        if (ofEvent.stream().anyMatch(v -> !v.keyId().equals(keyId))) {
                            throw new IllegalArgumentException("the values of one event belong to one subject");
                        }
                        ps.setObject(1, ofEvent.get(0).eventId());
                        ps.setObject(2, keyId);
                        ps.setBytes(3, PackedPersonalValues.pack(ofEvent));
                    });
        } catch (RuntimeException e) {
            SQLException refused = checkViolation(e);
            if (refused != null && String.valueOf(refused.getMessage()).contains("personal data key erased")) {
                throw new DataKeyErased("a personal data key was erased while values were written under it", e);
            }
            throw e;
        }
    }

    @Override
    public List<SealedPersonalValue> values(Collection<UUID> eventIds) {
        if (eventIds.isEmpty()) {
            return List.of();
        }
        List<SealedPersonalValue> values = new java.util.ArrayList<>();
        jdbc.query("SELECT event_id, key_id, sealed FROM personal_value WHERE event_id = ANY (?)",
                ps -> ps.setArray(1, ps.getConnection().createArrayOf("uuid", eventIds.toArray())),
                rs -> PackedPersonalValues.unpack(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
                        rs.getBytes(3))).forEach(values::addAll);
        return values;
    }

    @Override
    public SubjectErasure erase(UUID erasureId, TenantId tenant, SubjectIndex subject, String subjectField,
            String subjectId, String requestedBy) {
        try {
            jdbc.call("SELECT * FROM stenographer_erase_subject(?, ?, ?, ?, ?, ?, ?)", ps -> {
                ps.setObject(1, erasureId);
                ps.setString(2, tenant.value());
                ps.setBytes(3, subject.bytes());
                ps.setString(4, subjectField);
                ps.setString(5, subjectId);
                ps.setString(6, requestedBy);
                ps.setInt(7, ERASE_NOW);
            });
        } catch (RuntimeException e) {
            SQLException refused = checkViolation(e);
            if (refused instanceof PSQLException psql && psql.getServerErrorMessage() != null
                    && String.valueOf(psql.getServerErrorMessage().getHint()).startsWith("stenographer.subject-held:")) {
                throw new SubjectHeld(psql.getServerErrorMessage().getHint()
                        .substring("stenographer.subject-held:".length()));
            }
            throw e;
        }
        return jdbc.first(ERASURES + " WHERE id = ?", ps -> ps.setObject(1, erasureId), PostgresPersonalData::erasure)
                .orElseThrow(() -> new IllegalStateException("the erasure was not recorded"));
    }

    private static final String ERASURES = "SELECT id, tenant, subject_index, requested_by, erased_at, keys_destroyed,"
            + " events_cleared, values_pending, report_keys_destroyed FROM subject_erasure";

    @Override
    public long sweepErasedValues(int limit) {
        return jdbc.first("SELECT stenographer_sweep_erased_values(?)", ps -> ps.setInt(1, limit),
                rs -> rs.getLong(1)).orElse(0L);
    }

    @Override
    public long deleteValuesOfDeletedSegment(String segmentKey) {
        try {
            // Refused unless the segment's deletion is recorded, none of its events is hot and no hold covers
            // one (V24).
            return jdbc.first("SELECT stenographer_delete_values_of_deleted_segment(?)",
                    ps -> ps.setString(1, segmentKey), rs -> rs.getLong(1)).orElse(0L);
        } catch (RuntimeException e) {
            SQLException refused = checkViolation(e);
            if (refused != null) {
                throw new ValuesKept(String.valueOf(refused.getMessage()), e);
            }
            throw e;
        }
    }

    @Override
    public List<SubjectErasure> erasures(TenantId tenant, SubjectIndex subject) {
        return jdbc.query(ERASURES + " WHERE tenant = ? AND subject_index = ? ORDER BY erased_at, id", ps -> {
            ps.setString(1, tenant.value());
            ps.setBytes(2, subject.bytes());
        }, PostgresPersonalData::erasure);
    }

    private record IdentifierForm(TenantId tenant, PersonalField field, boolean pseudonymised) {
    }

    private static final String IDENTIFIER_FORMS = "SELECT tenant, field, pseudonymised FROM tenant_identifier_form";

    private static IdentifierForm identifierForm(ResultSet rs) throws SQLException {
        return new IdentifierForm(TenantId.of(rs.getString(1)), PersonalField.parse(rs.getString(2)), rs.getBoolean(3));
    }

    @Override
    public Map<TenantId, Map<PersonalField, Boolean>> identifierForms() {
        Map<TenantId, Map<PersonalField, Boolean>> forms = new HashMap<>();
        for (IdentifierForm form : jdbc.query(IDENTIFIER_FORMS, ps -> { }, PostgresPersonalData::identifierForm)) {
            forms.computeIfAbsent(form.tenant(), t -> new HashMap<>()).put(form.field(), form.pseudonymised());
        }
        return forms;
    }

    @Override
    public Map<PersonalField, Boolean> recordIdentifierForms(TenantId tenant, Map<PersonalField, Boolean> forms) {
        jdbc.batch("INSERT INTO tenant_identifier_form (tenant, field, pseudonymised) VALUES (?, ?, ?)"
                + " ON CONFLICT (tenant, field) DO NOTHING", List.copyOf(forms.entrySet()), (ps, form) -> {
                    ps.setString(1, tenant.value());
                    ps.setString(2, form.getKey().path());
                    ps.setBoolean(3, form.getValue());
                });
        Map<PersonalField, Boolean> recorded = new HashMap<>();
        for (IdentifierForm form : jdbc.query(IDENTIFIER_FORMS + " WHERE tenant = ?",
                ps -> ps.setString(1, tenant.value()), PostgresPersonalData::identifierForm)) {
            recorded.put(form.field(), form.pseudonymised());
        }
        return recorded;
    }

    private static final String REPORT_KEY = "SELECT k.id, k.tenant, k.subject_index, k.kek_id, k.wrapped_key"
            + " FROM report_personal_data r JOIN personal_data_key k ON k.id = r.key_id WHERE r.report_id = ?";

    @Override
    public StoredDataKey reportKey(UUID reportId, StoredDataKey candidate, Instant createdAt) {
        Optional<StoredDataKey> existing = reportKeyOf(reportId);
        if (existing.isPresent()) {
            return existing.get();
        }
        // A concurrent attempt at the same report inserts the same subject index: the first key wins, and both
        // attempts link the report to it.
        jdbc.update("INSERT INTO personal_data_key (id, tenant, subject_index, kek_id, wrapped_key, created_at)"
                + " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (tenant, subject_index) WHERE erased_at IS NULL DO NOTHING",
                ps -> {
                    ps.setObject(1, candidate.id());
                    ps.setString(2, candidate.tenant().value());
                    ps.setBytes(3, candidate.subject().bytes());
                    ps.setString(4, candidate.wrapped().keyEncryptionKeyId());
                    ps.setBytes(5, candidate.wrapped().bytes());
                    ps.setTimestamp(6, Timestamp.from(createdAt));
                });
        jdbc.update("INSERT INTO report_personal_data (report_id, key_id) SELECT ?, id FROM personal_data_key"
                + " WHERE tenant = ? AND subject_index = ? AND erased_at IS NULL ON CONFLICT (report_id) DO NOTHING",
                ps -> {
                    ps.setObject(1, reportId);
                    ps.setString(2, candidate.tenant().value());
                    ps.setBytes(3, candidate.subject().bytes());
                });
        return reportKeyOf(reportId).orElseThrow(() -> new IllegalStateException("the key of report " + reportId
                + " is neither stored nor found"));
    }

    @Override
    public Optional<StoredDataKey> reportKeyOf(UUID reportId) {
        return jdbc.first(REPORT_KEY, ps -> ps.setObject(1, reportId), PostgresPersonalData::key);
    }

    @Override
    public Map<UUID, StoredDataKey> keysForReport(UUID reportId, Collection<UUID> ids) {
        Map<UUID, StoredDataKey> found = new HashMap<>();
        if (ids.isEmpty()) {
            return found;
        }
        // FOR SHARE: an erasure of one of these subjects (FOR UPDATE) waits until the links below are committed, and
        // then sees them; one that came first has already stamped the key erased, and nothing is decrypted under it.
        UUID[] sorted = ids.stream().sorted().toArray(UUID[]::new);
        jdbc.query("SELECT " + KEY_COLUMNS + " FROM personal_data_key WHERE id = ANY (?) ORDER BY id FOR SHARE",
                ps -> ps.setArray(1, ps.getConnection().createArrayOf("uuid", sorted)),
                PostgresPersonalData::key).forEach(key -> found.put(key.id(), key));
        UUID[] live = found.values().stream().filter(key -> !key.erased()).map(StoredDataKey::id).sorted()
                .toArray(UUID[]::new);
        if (live.length > 0) {
            jdbc.update("INSERT INTO report_subject_key (data_key_id, report_id) SELECT unnest(?::uuid[]), ?"
                    + " ON CONFLICT DO NOTHING", ps -> {
                        ps.setArray(1, ps.getConnection().createArrayOf("uuid", live));
                        ps.setObject(2, reportId);
                    });
        }
        return found;
    }

    @Override
    public List<StoredDataKey> keysNotWrappedUnder(String currentKekId, int limit) {
        return jdbc.query("SELECT " + KEY_COLUMNS + " FROM personal_data_key"
                + " WHERE erased_at IS NULL AND kek_id <> ? ORDER BY created_at, id LIMIT ?", ps -> {
                    ps.setString(1, currentKekId);
                    ps.setInt(2, limit);
                }, PostgresPersonalData::key);
    }

    @Override
    public boolean rewrap(UUID keyId, WrappedDataKey wrapped) {
        return jdbc.update("UPDATE personal_data_key SET kek_id = ?, wrapped_key = ?"
                + " WHERE id = ? AND erased_at IS NULL", ps -> {
                    ps.setString(1, wrapped.keyEncryptionKeyId());
                    ps.setBytes(2, wrapped.bytes());
                    ps.setObject(3, keyId);
                }) == 1;
    }

    private static StoredDataKey key(ResultSet rs) throws SQLException {
        byte[] wrapped = rs.getBytes(5);
        return new StoredDataKey(rs.getObject(1, UUID.class), new TenantId(rs.getString(2)),
                new SubjectIndex(rs.getBytes(3)), wrapped == null ? null : new WrappedDataKey(rs.getString(4), wrapped));
    }

    private static SubjectErasure erasure(ResultSet rs) throws SQLException {
        return new SubjectErasure(rs.getObject(1, UUID.class), new TenantId(rs.getString(2)),
                new SubjectIndex(rs.getBytes(3)), rs.getString(4), rs.getTimestamp(5).toInstant(), rs.getInt(6),
                rs.getLong(7), rs.getBoolean(8), rs.getInt(9));
    }

    private static SQLException checkViolation(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof SQLException sql && CHECK_VIOLATION.equals(sql.getSQLState())) {
                return sql;
            }
            if (cause instanceof java.sql.BatchUpdateException batch && batch.getNextException() != null
                    && CHECK_VIOLATION.equals(batch.getNextException().getSQLState())) {
                return batch.getNextException();
            }
        }
        return null;
    }
}
