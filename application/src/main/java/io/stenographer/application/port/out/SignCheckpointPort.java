package io.stenographer.application.port.out;

import io.stenographer.domain.checkpoint.Checkpoint;
import io.stenographer.domain.checkpoint.KeySet;
import io.stenographer.domain.checkpoint.NoteVerifier;
import io.stenographer.domain.checkpoint.SignedNote;
import io.stenographer.domain.event.TenantId;

/** The log's signing key. Only signatures leave it; the private key never does. */
public interface SignCheckpointPort {

    SignedNote sign(Checkpoint checkpoint);

    NoteVerifier verifier();

    /**
     * Every key the tenant's log has been signed with, each with the tree sizes it was valid for,
     * so past checkpoints are checked by the key of their era. Without a key history, the current key alone.
     */
    default KeySet keySet(TenantId tenant) {
        return KeySet.single(verifier());
    }
}
