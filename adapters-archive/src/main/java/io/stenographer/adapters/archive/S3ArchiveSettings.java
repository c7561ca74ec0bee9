package io.stenographer.adapters.archive;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything {@link S3ObjectLockArchive#connect(S3ArchiveSettings)} needs, free of framework and AWS
 * types so the composition root can fill it from its own configuration. Proposed keys (see
 * docs/ARCHIVE.md): {@code stenographer.archive.s3.bucket}, {@code .region}, {@code .endpoint},
 * {@code .path-style}, {@code .access-key-id}, {@code .secret-access-key}, {@code .connect-timeout},
 * {@code .call-timeout}, {@code .max-attempts}, {@code .server-side-encryption}, {@code .kms-key-id}.
 *
 * @param bucket          the bucket; it must have been created with Object Lock enabled
 * @param region          the bucket's AWS region, e.g. {@code eu-central-1}
 * @param endpoint        an endpoint override (S3Mock, an S3-compatible store, a VPC endpoint); empty
 *                        for AWS's own endpoint of the region
 * @param pathStyle       address the bucket as {@code endpoint/bucket/key} instead of
 *                        {@code bucket.endpoint/key}; S3Mock needs it
 * @param accessKeyId     static credentials; when empty (both must be empty or both set) the AWS SDK's
 *                        default chain is used: environment, system properties, web identity, profile,
 *                        container and instance roles
 * @param secretAccessKey see {@code accessKeyId}; never logged or put in an exception message
 * @param connectTimeout  how long to wait for a TCP connection
 * @param callTimeout     how long one attempt of one S3 call may take, including reading the answer
 *                        (raise it for large segments on slow links)
 * @param maxAttempts     attempts per call, first one included (the SDK's standard retry strategy)
 * @param serverSideEncryption what every upload requests and must be reported back (SSE-S3 by default);
 *                        {@link ServerSideEncryption.Unencrypted} only with an endpoint override, since AWS S3 always
 *                        supports SSE-S3 and there is no reason to store an audit archive there unencrypted
 */
public record S3ArchiveSettings(String bucket, String region, Optional<URI> endpoint, boolean pathStyle,
        Optional<String> accessKeyId, Optional<String> secretAccessKey, Duration connectTimeout,
        Duration callTimeout, int maxAttempts, ServerSideEncryption serverSideEncryption) {

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);
    public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(10);
    public static final int DEFAULT_MAX_ATTEMPTS = 3;

    public S3ArchiveSettings {
        if (bucket == null || bucket.isBlank()) {
            throw new IllegalArgumentException("s3 archive bucket: must be set");
        }
        if (region == null || region.isBlank()) {
            throw new IllegalArgumentException("s3 archive region: must be set");
        }
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(accessKeyId, "accessKeyId");
        Objects.requireNonNull(secretAccessKey, "secretAccessKey");
        if (accessKeyId.isPresent() != secretAccessKey.isPresent()) {
            throw new IllegalArgumentException(
                    "s3 archive credentials: set both access-key-id and secret-access-key, or neither");
        }
        requirePositive(connectTimeout, "connect-timeout");
        requirePositive(callTimeout, "call-timeout");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("s3 archive max-attempts: must be at least 1");
        }
        Objects.requireNonNull(serverSideEncryption, "serverSideEncryption");
        if (serverSideEncryption instanceof ServerSideEncryption.Unencrypted && endpoint.isEmpty()) {
            throw new IllegalArgumentException("s3 archive server-side-encryption: "
                    + ServerSideEncryption.UNENCRYPTED_VALUE + " is only for S3-compatible stores (an endpoint"
                    + " override) that refuse the SSE headers; AWS S3 always supports " + ServerSideEncryption.AES256_VALUE);
        }
    }

    /** As the canonical constructor, with SSE-S3 (the default). */
    public S3ArchiveSettings(String bucket, String region, Optional<URI> endpoint, boolean pathStyle,
            Optional<String> accessKeyId, Optional<String> secretAccessKey, Duration connectTimeout,
            Duration callTimeout, int maxAttempts) {
        this(bucket, region, endpoint, pathStyle, accessKeyId, secretAccessKey, connectTimeout, callTimeout,
                maxAttempts, new ServerSideEncryption.SseS3());
    }

    /** AWS S3 in {@code region}, default credential chain, default timeouts and attempts, SSE-S3. */
    public static S3ArchiveSettings aws(String bucket, String region) {
        return new S3ArchiveSettings(bucket, region, Optional.empty(), false, Optional.empty(), Optional.empty(),
                DEFAULT_CONNECT_TIMEOUT, DEFAULT_CALL_TIMEOUT, DEFAULT_MAX_ATTEMPTS);
    }

    public S3ArchiveSettings withEndpoint(URI endpointOverride, boolean usePathStyle) {
        return new S3ArchiveSettings(bucket, region, Optional.of(endpointOverride), usePathStyle, accessKeyId,
                secretAccessKey, connectTimeout, callTimeout, maxAttempts, serverSideEncryption);
    }

    public S3ArchiveSettings withStaticCredentials(String keyId, String secret) {
        return new S3ArchiveSettings(bucket, region, endpoint, pathStyle, Optional.of(keyId), Optional.of(secret),
                connectTimeout, callTimeout, maxAttempts, serverSideEncryption);
    }

    public S3ArchiveSettings withTimeouts(Duration connect, Duration call, int attempts) {
        return new S3ArchiveSettings(bucket, region, endpoint, pathStyle, accessKeyId, secretAccessKey, connect,
                call, attempts, serverSideEncryption);
    }

    /** The server-side encryption every upload requests (validated by {@link ServerSideEncryption}). */
    public S3ArchiveSettings withServerSideEncryption(ServerSideEncryption encryption) {
        return new S3ArchiveSettings(bucket, region, endpoint, pathStyle, accessKeyId, secretAccessKey,
                connectTimeout, callTimeout, maxAttempts, encryption);
    }

    /** Never prints the credentials. */
    @Override
    public String toString() {
        return "S3ArchiveSettings[bucket=" + bucket + ", region=" + region + ", endpoint="
                + endpoint.map(URI::toString).orElse("(AWS)") + ", pathStyle=" + pathStyle + ", credentials="
                + (accessKeyId.isPresent() ? "static" : "default chain") + ", connectTimeout="
                + connectTimeout + ", callTimeout=" + callTimeout + ", maxAttempts=" + maxAttempts
                + ", serverSideEncryption=" + serverSideEncryption + "]";
    }

    private static void requirePositive(Duration d, String name) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("s3 archive " + name + ": must be a positive duration");
        }
    }
}
