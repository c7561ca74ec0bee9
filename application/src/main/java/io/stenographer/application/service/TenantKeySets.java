package io.stenographer.application.service;

import io.stenographer.application.port.out.SignCheckpointPort;
import io.stenographer.application.port.out.TrackSigningKeysPort;
import io.stenographer.domain.checkpoint.KeySet;
import io.stenographer.domain.event.TenantId;

/** The keys a tenant's checkpoints are checked by: its recorded key history, or the current key for a log without one. */
public final class TenantKeySets {

    private final SignCheckpointPort signer;
    private final TrackSigningKeysPort history;

    public TenantKeySets(SignCheckpointPort signer, TrackSigningKeysPort history) {
        this.signer = signer;
        this.history = history;
    }

    /** Reads the history; call it inside a transaction. */
    public KeySet of(TenantId tenant) {
        return history.keySet(tenant).orElseGet(() -> KeySet.single(signer.verifier()));
    }
}
