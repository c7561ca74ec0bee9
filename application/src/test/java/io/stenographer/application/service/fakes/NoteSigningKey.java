package io.stenographer.application.service.fakes;

import io.stenographer.application.port.out.SignCheckpointPort;
import io.stenographer.domain.checkpoint.Checkpoint;
import io.stenographer.domain.checkpoint.NoteSigner;
import io.stenographer.domain.checkpoint.NoteVerifier;
import io.stenographer.domain.checkpoint.SignedNote;

/** The signing port over one in-memory key, with no retired keys: what the service signs with outside rotations. */
public final class NoteSigningKey implements SignCheckpointPort {

    private final NoteSigner key;

    public NoteSigningKey(NoteSigner key) {
        this.key = key;
    }

    @Override
    public SignedNote sign(Checkpoint checkpoint) {
        return checkpoint.sign(key);
    }

    @Override
    public NoteVerifier verifier() {
        return key.verifier();
    }
}
