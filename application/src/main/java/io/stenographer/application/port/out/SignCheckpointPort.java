package io.stenographer.application.port.out;

import io.stenographer.domain.checkpoint.Checkpoint;
import io.stenographer.domain.checkpoint.NoteVerifier;
import io.stenographer.domain.checkpoint.SignedNote;

/** The log's signing key. Only signatures leave it; the private key never does. */
public interface SignCheckpointPort {

    SignedNote sign(Checkpoint checkpoint);

    NoteVerifier verifier();
}
