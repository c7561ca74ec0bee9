package io.stenographer.adapters.kms;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the AWS KMS keys are and how long a call may take. Credentials are not settings: they come from the SDK's
 * default provider chain (environment, profile, container or instance role), never from the service's properties.
 *
 * @param keyId the symmetric key-encryption key (id, ARN or alias) that wraps data keys
 * @param hmacKeyId the HMAC_256 key that computes blind indexes; it must never change (stored indexes depend on it)
 * @param region the AWS region of both keys
 * @param endpoint another endpoint than the region's (a VPC endpoint, or an emulator in tests)
 * @param callTimeout the most one KMS call may take, retries included, so an unreachable KMS cannot hang ingest
 * @param indexCacheSize how many blind indexes are kept in memory
 * @param indexCacheTtl how long a blind index is kept after KMS computed it
 */
public record AwsKmsSettings(String keyId, String hmacKeyId, String region, Optional<URI> endpoint,
        Duration callTimeout, int indexCacheSize, Duration indexCacheTtl) {

    public AwsKmsSettings {
        requireText(keyId, "keyId");
        requireText(hmacKeyId, "hmacKeyId");
        requireText(region, "region");
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(callTimeout, "callTimeout");
        Objects.requireNonNull(indexCacheTtl, "indexCacheTtl");
        if (callTimeout.isNegative() || callTimeout.isZero()) {
            throw new IllegalArgumentException("callTimeout must be positive, was " + callTimeout);
        }
        if (indexCacheSize < 1 || indexCacheTtl.isNegative() || indexCacheTtl.isZero()) {
            throw new IllegalArgumentException("the blind-index cache needs a positive size and TTL");
        }
    }

    private static void requireText(String value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isBlank()) {
            throw new IllegalArgumentException(name + " is blank");
        }
    }
}
