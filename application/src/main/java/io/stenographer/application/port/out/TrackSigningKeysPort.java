package io.stenographer.application.port.out;

import io.stenographer.domain.checkpoint.KeySet;
import io.stenographer.domain.checkpoint.NoteVerifier;
import io.stenographer.domain.event.TenantId;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which key signed each tenant's checkpoints, by tree size. The history only grows: a rotation closes the
 * current key's era at the handover size and opens the next key's era there.
 */
public interface TrackSigningKeysPort {

    /** The tenant's key history; empty for a log whose first key was never recorded. */
    Optional<KeySet> keySet(TenantId tenant);

    /** The key histories of many tenants in one read; a tenant without one is absent. */
    Map<TenantId, KeySet> keySets(Collection<TenantId> tenants);

    /** The key that signs a log from its start (a new log, or one older than the key history). */
    void recordFirstKey(TenantId tenant, NoteVerifier key);

    /**
     * Closes {@code from}'s era and opens {@code to}'s at {@code handoverSize}; the checkpoint of that size is
     * stored already, cosigned by both, and the log.key-rotated event announcing it is in the log.
     */
    void recordRotation(TenantId tenant, NoteVerifier from, NoteVerifier to, long handoverSize);

    /** Tenants whose open era belongs to one of {@code keys} (the retired ones: those tenants are due a rotation). */
    List<TenantId> tenantsSignedBy(List<NoteVerifier> keys, int max);
}
