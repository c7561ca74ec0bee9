package io.stenographer.adapters.persistence;

import io.stenographer.application.port.out.TrackSigningKeysPort;
import io.stenographer.domain.checkpoint.KeySet;
import io.stenographer.domain.checkpoint.NoteVerifier;
import io.stenographer.domain.event.TenantId;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hibernate.Session;

/** The key history in {@code log_signing_key}, written only through its two database functions (V9). */
@ApplicationScoped
public class PostgresSigningKeys implements TrackSigningKeysPort {

    private final Jdbc jdbc;

    PostgresSigningKeys(Session session) {
        this.jdbc = new Jdbc(session);
    }

    @Override
    public Optional<KeySet> keySet(TenantId tenant) {
        List<KeySet.Era> eras = jdbc.query("""
                SELECT verifier_key, first_size, last_size FROM log_signing_key
                WHERE tenant = ? ORDER BY first_size, last_size NULLS LAST""",
                ps -> ps.setString(1, tenant.value()),
                rs -> {
                    NoteVerifier key = NoteVerifier.parse(rs.getString(1));
                    long first = rs.getLong(2);
                    long last = rs.getLong(3);
                    return new KeySet.Era(key, first, rs.wasNull() ? Optional.empty() : Optional.of(last));
                });
        return eras.isEmpty() ? Optional.empty() : Optional.of(new KeySet(eras));
    }

    @Override
    public Map<TenantId, KeySet> keySets(Collection<TenantId> tenants) {
        Map<TenantId, List<KeySet.Era>> eras = new LinkedHashMap<>();
        jdbc.query("""
                SELECT tenant, verifier_key, first_size, last_size FROM log_signing_key
                WHERE tenant = ANY (?) ORDER BY tenant, first_size, last_size NULLS LAST""",
                ps -> ps.setArray(1, PostgresMerkleLog.textArray(ps, tenants)),
                rs -> {
                    NoteVerifier key = NoteVerifier.parse(rs.getString(2));
                    long first = rs.getLong(3);
                    long last = rs.getLong(4);
                    Optional<Long> closedAt = rs.wasNull() ? Optional.empty() : Optional.of(last);
                    return eras.computeIfAbsent(new TenantId(rs.getString(1)), tenant -> new ArrayList<>())
                            .add(new KeySet.Era(key, first, closedAt));
                });
        Map<TenantId, KeySet> keySets = new HashMap<>();
        eras.forEach((tenant, history) -> keySets.put(tenant, new KeySet(history)));
        return keySets;
    }

    @Override
    public void recordFirstKey(TenantId tenant, NoteVerifier key) {
        jdbc.call("SELECT stenographer_record_first_signing_key(?, ?)", ps -> {
            ps.setString(1, tenant.value());
            ps.setString(2, key.toVerifierKey());
        });
    }

    @Override
    public void recordRotation(TenantId tenant, NoteVerifier from, NoteVerifier to, long handoverSize) {
        jdbc.call("SELECT stenographer_record_signing_key_rotation(?, ?, ?, ?)", ps -> {
            ps.setString(1, tenant.value());
            ps.setString(2, from.toVerifierKey());
            ps.setString(3, to.toVerifierKey());
            ps.setLong(4, handoverSize);
        });
    }

    @Override
    public List<TenantId> tenantsSignedBy(List<NoteVerifier> keys, int max) {
        if (keys.isEmpty()) {
            return List.of();
        }
        String[] verifierKeys = keys.stream().map(NoteVerifier::toVerifierKey).toArray(String[]::new);
        return jdbc.query("""
                SELECT tenant FROM log_signing_key
                WHERE last_size IS NULL AND verifier_key = ANY (?) ORDER BY tenant LIMIT ?""",
                ps -> {
                    ps.setArray(1, ps.getConnection().createArrayOf("text", verifierKeys));
                    ps.setInt(2, max);
                },
                rs -> new TenantId(rs.getString(1)));
    }
}
