package io.stenographer.application.port.out;

import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.privacy.DataKey;

/**
 * The keys that protect personal data at rest. Data keys are stored only wrapped under a tenant's key-encryption key
 * (KEK); destroying a KEK generation shreds every personal value whose data key was wrapped under it.
 */
public interface KeyManagementPort {

    /** Wraps a data key under the tenant's current key-encryption key. */
    WrappedDataKey wrap(TenantId tenant, DataKey key);

    /** Unwraps a data key; throws {@link KeyUnavailable} if its KEK is gone or the wrap was altered or moved. */
    DataKey unwrap(TenantId tenant, WrappedDataKey wrapped);

    /** The id of the key-encryption key {@link #wrap} uses now. */
    String currentKeyEncryptionKeyId(TenantId tenant);

    /** HMAC-SHA256 (32 bytes) of a value under the tenant's index key, which never rotates, so indexes stay valid. */
    byte[] blindIndex(TenantId tenant, String purpose, String value);
}
