package io.stenographer.bootstrap.privacy;

import io.stenographer.application.port.out.RotateKeyEncryptionKeysPort;
import java.util.List;

/** The local keyring's generations, for the key-encryption key schedule. */
public final class KeyringGenerations implements RotateKeyEncryptionKeysPort {

    private final LocalKeyring keyring;

    public KeyringGenerations(LocalKeyring keyring) {
        this.keyring = keyring;
    }

    @Override
    public List<Generation> generations() {
        return keyring.reload().generationHistory();
    }

    @Override
    public void rotate() {
        keyring.rotate();
    }

    @Override
    public void destroy(String generationId) {
        keyring.destroyGeneration(generationId);
    }
}
