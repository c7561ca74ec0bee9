package io.stenographer.bootstrap.privacy;

import io.stenographer.application.port.out.KeyManagementPort;
import io.stenographer.application.port.out.KeyUnavailable;
import io.stenographer.application.port.out.WrappedDataKey;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.privacy.DataKey;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The service's keyring, which can rotate while it runs. Instances sharing one key file learn of another's rotation
 * the first time they meet a wrap under a generation they do not know: the file is read again, once.
 */
public final class RotatableKeyring implements KeyManagementPort {

    private final Path file;
    private final Optional<KeyringPassphrase> passphrase;
    private volatile LocalKeyring keyring;

    public RotatableKeyring(Path file, Optional<KeyringPassphrase> passphrase, LocalKeyring keyring) {
        this.file = file;
        this.passphrase = passphrase;
        this.keyring = keyring;
    }

    /** Adds a new current key-encryption key generation. */
    public synchronized void rotate() {
        keyring = keyring.rotate();
    }

    /** Destroys a generation that no live data key is wrapped under any more. */
    public synchronized void destroyGeneration(String id) {
        keyring = keyring.destroyGeneration(id);
    }

    public java.util.List<String> generations() {
        return keyring.generations();
    }

    @Override
    public WrappedDataKey wrap(TenantId tenant, DataKey key) {
        return keyring.wrap(tenant, key);
    }

    @Override
    public DataKey unwrap(TenantId tenant, WrappedDataKey wrapped) {
        LocalKeyring seen = keyring;
        try {
            return seen.unwrap(tenant, wrapped);
        } catch (KeyUnavailable unknown) {
            synchronized (this) {
                if (keyring == seen) {
                    // Another instance may have rotated the shared file since this one read it.
                    keyring = LocalKeyring.load(file, false, passphrase);
                }
            }
            return keyring.unwrap(tenant, wrapped);
        }
    }

    @Override
    public String currentKeyEncryptionKeyId(TenantId tenant) {
        return keyring.currentKeyEncryptionKeyId(tenant);
    }

    @Override
    public byte[] blindIndex(TenantId tenant, String purpose, String value) {
        return keyring.blindIndex(tenant, purpose, value);
    }
}
