package io.stenographer.application.service.fakes;

import io.stenographer.application.port.out.TrackSigningKeysPort;
import io.stenographer.domain.checkpoint.KeySet;
import io.stenographer.domain.checkpoint.NoteVerifier;
import io.stenographer.domain.event.TenantId;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Tenants' key histories in memory, with the same rules as the database functions: first key once, rotations from the open era. */
public final class InMemorySigningKeys implements TrackSigningKeysPort {

    private final Map<TenantId, KeySet> histories = new HashMap<>();

    public InMemorySigningKeys with(TenantId tenant, KeySet keys) {
        histories.put(tenant, keys);
        return this;
    }

    @Override
    public Map<TenantId, KeySet> keySets(Collection<TenantId> tenants) {
        Map<TenantId, KeySet> found = new HashMap<>();
        tenants.forEach(tenant -> keySet(tenant).ifPresent(keys -> found.put(tenant, keys)));
        return found;
    }

    @Override
    public Optional<KeySet> keySet(TenantId tenant) {
        return Optional.ofNullable(histories.get(tenant));
    }

    @Override
    public void recordFirstKey(TenantId tenant, NoteVerifier key) {
        histories.putIfAbsent(tenant, KeySet.single(key));
    }

    @Override
    public void recordRotation(TenantId tenant, NoteVerifier from, NoteVerifier to, long handoverSize) {
        KeySet keys = histories.get(tenant);
        if (keys == null || !keys.current().key().equals(from)) {
            throw new IllegalStateException("the log of " + tenant + " is not signed by " + from.toVerifierKey());
        }
        histories.put(tenant, keys.rotatedTo(to, handoverSize));
    }

    @Override
    public List<TenantId> tenantsSignedBy(List<NoteVerifier> keys, int max) {
        return histories.entrySet().stream().filter(e -> keys.contains(e.getValue().current().key()))
                .map(Map.Entry::getKey).sorted((a, b) -> a.value().compareTo(b.value())).limit(max).toList();
    }
}
