package io.stenographer.application.port.out;

import io.stenographer.domain.checkpoint.Checkpoint;
import io.stenographer.domain.checkpoint.NoteVerifier;
import io.stenographer.domain.checkpoint.SignedNote;
import java.util.List;

/** The log's signing keys. Only signatures leave them; a private key never does. */
public interface SignCheckpointPort {

    /** Signs with the current key. */
    SignedNote sign(Checkpoint checkpoint);

    /** The current key's verifier. */
    NoteVerifier verifier();

    /** Keys a rotation retired whose private half is still configured, so a handover can be cosigned. */
    default List<NoteVerifier> retiredKeys() {
        return List.of();
    }

    /**
     * Signs a rotation's handover checkpoint with the retired key and the current key, so a verifier who
     * trusts either can follow the log across the rotation.
     *
     * @throws IllegalArgumentException if {@code retired} is not one of {@link #retiredKeys()}
     */
    default SignedNote cosign(Checkpoint checkpoint, NoteVerifier retired) {
        throw new IllegalArgumentException("no retired key " + retired.toVerifierKey() + " is configured");
    }
}
