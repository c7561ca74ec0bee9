package io.stenographer.bootstrap.privacy;

import io.stenographer.application.port.in.RotateKeyEncryptionKeysUseCase;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The key-encryption key schedule with AWS KMS: it does nothing. KMS rotates the key itself (automatic key rotation,
 * enabled on the key), keeping its ARN, so every wrap stays readable and nothing needs rewrapping; there are no
 * generations here to destroy (docs/PRIVACY.md §2 and §5).
 */
final class KmsManagedKeyRotation implements RotateKeyEncryptionKeysUseCase {

    private static final Logger LOG = Logger.getLogger(KmsManagedKeyRotation.class);

    private final String keyId;

    KmsManagedKeyRotation(String keyId) {
        this.keyId = keyId;
    }

    @Override
    public RotationRun run() {
        LOG.infof("Key-encryption key schedule skipped: the key is AWS KMS key %s, which KMS rotates itself when its"
                + " automatic key rotation is enabled; no generation is rotated, rewrapped or destroyed here", keyId);
        return new RotationRun(false, 0, false, List.of(), true);
    }
}
