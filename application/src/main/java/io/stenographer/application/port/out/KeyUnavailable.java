package io.stenographer.application.port.out;

import io.stenographer.domain.event.TenantId;

/**
 * A wrapped data key cannot be unwrapped: its key-encryption key was destroyed (the personal data under it is
 * shredded), is unknown here, or the wrapped bytes were altered or belong to another tenant. The message names the
 * tenant and the KEK id only, never key bytes.
 */
public final class KeyUnavailable extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient TenantId tenant;
    private final String keyEncryptionKeyId;

    public KeyUnavailable(TenantId tenant, String keyEncryptionKeyId, String reason) {
        super("data key of tenant " + tenant + " under key-encryption key " + keyEncryptionKeyId
                + " is unavailable: " + reason);
        this.tenant = tenant;
        this.keyEncryptionKeyId = keyEncryptionKeyId;
    }

    public TenantId tenant() {
        return tenant;
    }

    public String keyEncryptionKeyId() {
        return keyEncryptionKeyId;
    }
}
