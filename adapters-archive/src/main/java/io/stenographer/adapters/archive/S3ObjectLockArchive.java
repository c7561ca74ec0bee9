package io.stenographer.adapters.archive;

import io.stenographer.application.port.out.ArchiveSegmentsPort;
import io.stenographer.application.port.out.ArchiveSegmentsPort.Lock;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.GetObjectLockConfigurationResponse;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.GetObjectRetentionResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ObjectLockEnabled;
import software.amazon.awssdk.services.s3.model.ObjectLockLegalHoldStatus;
import software.amazon.awssdk.services.s3.model.ObjectLockMode;
import software.amazon.awssdk.services.s3.model.ObjectLockRetentionMode;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Archive segments in an S3 bucket with Object Lock: every object is written once, under a
 * COMPLIANCE-mode retention that nobody (not even the account root) can shorten or remove on AWS S3,
 * and its SHA-256 is checked by the store on upload and read back afterwards.
 *
 * <p>How each call maps to S3 (what the store reports back is always read with separate calls, never
 * assumed from what was sent):
 * <ul>
 * <li>{@link #checkWormCapable()}: HeadBucket, then GetObjectLockConfiguration; a bucket without Object
 * Lock is refused with an operator message.</li>
 * <li>{@link #put}: the content is hashed locally first (a wrong hash never leaves the process), then
 * HeadObject (an existing key is never overwritten), then PutObject with {@code If-None-Match: *} (atomic
 * on AWS S3: a racing writer gets 412 instead of creating a second version), the SHA-256 as
 * {@code x-amz-checksum-sha256} for the store to verify, the hex SHA-256 as user metadata
 * {@code x-amz-meta-sha256}, and the lock headers (COMPLIANCE, retain-until). Then PutObjectRetention
 * with the same mode and date, then {@link #describe}.</li>
 * <li>{@link #describe}: HeadObject with checksum mode enabled, GetObjectRetention, GetObjectLegalHold.</li>
 * <li>{@link #delete}: refused here first when the retention date has not passed or a legal hold is on;
 * otherwise DeleteObject <em>of the current version id</em>. Object Lock buckets are always versioned, and
 * a delete without a version id only adds a delete marker (which S3 allows even under a lock, leaving the
 * locked bytes in place); deleting the version itself is what S3 Object Lock actually guards, so that is
 * the call made.</li>
 * </ul>
 *
 * <p>Why the retention is set twice: AWS S3 locks the object atomically from the PutObject headers, and a
 * following PutObjectRetention with the same mode and date changes nothing there (extending or keeping a
 * COMPLIANCE date is allowed; shortening would be refused). S3Mock, used in the tests, ignores lock
 * headers on PutObject but stores (without enforcing) what PutObjectRetention sets, so the explicit call
 * is what makes the read-back meaningful there. Retain-until dates are rounded up to the whole second,
 * so what the store reports back is never earlier than what the caller asked for.
 *
 * <p>The checksum read back is the store's {@code x-amz-checksum-sha256} (S3 computes and verifies it;
 * S3Mock 4.11.0 does too, see docs/ARCHIVE.md). Only if a store returns no full-object checksum does
 * {@link #describe} fall back to the {@code x-amz-meta-sha256} metadata, which is merely the value this
 * adapter sent.
 *
 * <p>Server-side encryption: every PutObject requests the configured {@link ServerSideEncryption} (SSE-S3 by
 * default, or SSE-KMS), and the HeadObject after the upload must report exactly that back (for SSE-KMS with a key,
 * that key); otherwise the upload fails with {@link ArchiveUnavailable}, since a store that ignores the header would
 * otherwise keep audit data unencrypted without anyone noticing. The object stays (it may already be locked), so
 * {@link #describe} also refuses an object the store reports as not encrypted at all: the archive job's next run
 * would otherwise adopt it as archived. It does not demand the configured algorithm or key there, so objects written
 * under an earlier setting stay readable and purgeable after a change from SSE-S3 to SSE-KMS.
 *
 * <p>Errors: network failures, timeouts, 5xx and unexpected answers become {@link ArchiveUnavailable}
 * (messages carry the operation, bucket, key, HTTP status and S3 error code, never credentials); a
 * missing object is an empty {@link #describe} or {@link ArchiveObjectNotFound}.
 */
public final class S3ObjectLockArchive implements ArchiveSegmentsPort, AutoCloseable {

    /** User metadata key of the hex SHA-256 (sent as {@code x-amz-meta-sha256}). */
    static final String SHA256_METADATA = "sha256";

    private static final System.Logger LOG = System.getLogger(S3ObjectLockArchive.class.getName());

    private final S3Client s3;
    private final String bucket;
    private final ServerSideEncryption encryption;
    private final Clock clock;
    private final boolean ownsClient;

    /** With SSE-S3, the default. */
    S3ObjectLockArchive(S3Client s3, String bucket, Clock clock, boolean ownsClient) {
        this(s3, bucket, new ServerSideEncryption.SseS3(), clock, ownsClient);
    }

    /** The tests' hook: a client built by {@link #buildClient} with their own interceptors. */
    S3ObjectLockArchive(S3Client s3, String bucket, ServerSideEncryption encryption, Clock clock, boolean ownsClient) {
        this.s3 = s3;
        this.bucket = bucket;
        this.encryption = Objects.requireNonNull(encryption, "encryption");
        this.clock = clock;
        this.ownsClient = ownsClient;
        if (encryption instanceof ServerSideEncryption.Unencrypted) {
            LOG.log(System.Logger.Level.WARNING, "S3 archive s3://{0}: server-side encryption is OFF ({1}); archived"
                    + " audit data is stored unencrypted at rest and nothing checks it", bucket,
                    ServerSideEncryption.UNENCRYPTED_VALUE);
        }
    }

    /** Builds an S3 client from the settings; {@link #close()} releases it. No request is made yet. */
    public static S3ObjectLockArchive connect(S3ArchiveSettings settings) {
        return connect(settings, Clock.systemUTC());
    }

    /**
     * As {@link #connect(S3ArchiveSettings)}, with the clock this adapter compares retention dates with
     * before it deletes (AWS S3 applies its own clock as well).
     */
    public static S3ObjectLockArchive connect(S3ArchiveSettings settings, Clock clock) {
        return new S3ObjectLockArchive(buildClient(settings, List.of()), settings.bucket(),
                settings.serverSideEncryption(), clock, true);
    }

    static S3Client buildClient(S3ArchiveSettings settings, List<ExecutionInterceptor> interceptors) {
        ClientOverrideConfiguration.Builder overrides = ClientOverrideConfiguration.builder()
                .apiCallAttemptTimeout(settings.callTimeout())
                .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                        .maxAttempts(settings.maxAttempts()).build());
        interceptors.forEach(overrides::addExecutionInterceptor);
        S3ClientBuilder builder = S3Client.builder()
                .region(Region.of(settings.region()))
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(settings.connectTimeout())
                        .socketTimeout(settings.callTimeout()))
                .overrideConfiguration(overrides.build())
                .forcePathStyle(settings.pathStyle())
                .credentialsProvider(credentials(settings));
        settings.endpoint().ifPresent(builder::endpointOverride);
        return builder.build();
    }

    private static AwsCredentialsProvider credentials(S3ArchiveSettings settings) {
        if (settings.accessKeyId().isPresent()) {
            return StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(settings.accessKeyId().get(), settings.secretAccessKey().orElseThrow()));
        }
        return DefaultCredentialsProvider.builder().build();
    }

    @Override
    public void checkWormCapable() {
        try {
            s3.headBucket(b -> b.bucket(bucket));
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                throw new ArchiveNotWormCapable("S3 bucket '" + bucket + "' does not exist. " + createAdvice());
            }
            throw unavailable("HeadBucket", null, e);
        } catch (SdkException e) {
            throw unavailable("HeadBucket", null, e);
        }
        GetObjectLockConfigurationResponse config;
        try {
            config = s3.getObjectLockConfiguration(b -> b.bucket(bucket));
        } catch (S3Exception e) {
            // AWS: 404 ObjectLockConfigurationNotFoundError; S3Mock: 400 InvalidRequest
            // "Bucket is missing Object Lock Configuration".
            if (e.statusCode() == 404 || (e.statusCode() == 400 && "InvalidRequest".equals(errorCode(e)))) {
                throw notWormCapable();
            }
            throw unavailable("GetObjectLockConfiguration", null, e);
        } catch (SdkException e) {
            throw unavailable("GetObjectLockConfiguration", null, e);
        }
        if (config.objectLockConfiguration() == null
                || config.objectLockConfiguration().objectLockEnabled() != ObjectLockEnabled.ENABLED) {
            throw notWormCapable();
        }
    }

    @Override
    public StoredObject put(String key, byte[] content, String sha256Hex, Instant retainUntil) {
        String hex = ArchiveKeys.requireWrite(key, content, sha256Hex);
        Instant until = roundUpToSecond(retainUntil);
        if (!until.isAfter(clock.instant())) {
            throw new IllegalArgumentException("retainUntil: must be in the future, was " + retainUntil);
        }
        Sha256.requireContentMatches(key, content, hex, "uploaded");
        return upload(key, content, hex, until);
    }

    /**
     * Streams the content from {@code content} (opened again if the SDK retries). It is not hashed here first,
     * since it may be gigabytes that the caller has just hashed while writing them: the store verifies the
     * {@code x-amz-checksum-sha256} sent with it and refuses a mismatch ({@link ArchiveChecksumMismatch}, nothing
     * kept), on AWS S3 as on S3Mock.
     */
    @Override
    public StoredObject put(String key, ContentSource content, long size, String sha256Hex, Instant retainUntil) {
        ArchiveKeys.requireValid(key);
        String hex = Sha256.requireHex(sha256Hex);
        if (content == null || size < 0) {
            throw new IllegalArgumentException("content: must be given, with its size");
        }
        Instant until = roundUpToSecond(retainUntil);
        if (!until.isAfter(clock.instant())) {
            throw new IllegalArgumentException("retainUntil: must be in the future, was " + retainUntil);
        }
        return upload(key, RequestBody.fromContentProvider(() -> {
            try {
                return content.open();
            } catch (IOException e) {
                throw new UncheckedIOException("the content of " + key + " could not be read", e);
            }
        }, size, "application/octet-stream"), size, hex, until);
    }

    /**
     * The upload itself, without the local hash check of {@link #put}: the tests call it with a wrong
     * checksum to see the store's own verification refuse it.
     */
    StoredObject upload(String key, byte[] content, String hex, Instant until) {
        return upload(key, RequestBody.fromBytes(content), content.length, hex, until);
    }

    private StoredObject upload(String key, RequestBody body, long size, String hex, Instant until) {
        if (head(key, "HeadObject").isPresent()) {
            throw new ArchiveObjectExists(key);
        }
        PutObjectRequest.Builder request = PutObjectRequest.builder()
                .bucket(bucket)
                .key(key)
                .ifNoneMatch("*")
                .contentLength(size)
                .contentType("application/octet-stream")
                .checksumAlgorithm(ChecksumAlgorithm.SHA256)
                .checksumSHA256(Sha256.hexToBase64(hex))
                .metadata(Map.of(SHA256_METADATA, hex))
                .objectLockMode(ObjectLockMode.COMPLIANCE)
                .objectLockRetainUntilDate(until);
        encryption.headerValue().ifPresent(request::serverSideEncryption);
        if (encryption instanceof ServerSideEncryption.SseKms kms) {
            kms.keyId().ifPresent(request::ssekmsKeyId);
        }
        PutObjectResponse response;
        try {
            response = s3.putObject(request.build(), body);
        } catch (S3Exception e) {
            if (e.statusCode() == 412 || e.statusCode() == 409) {
                // 412: If-None-Match found an object; 409: a concurrent conditional write won the race.
                throw new ArchiveObjectExists(key);
            }
            if (isChecksumRefusal(e)) {
                throw new ArchiveChecksumMismatch(key, "archive object " + key + ": the store refused the upload because"
                        + " the content does not match its SHA-256 (HTTP " + e.statusCode() + " " + errorCode(e) + ")");
            }
            if (isMissingObjectLock(e)) {
                throw notWormCapable();
            }
            throw unavailable("PutObject", key, e);
        } catch (SdkException e) {
            throw unavailable("PutObject", key, e);
        }
        objectLockCall("PutObjectRetention", key, () -> s3.putObjectRetention(b -> b.bucket(bucket).key(key)
                .versionId(response.versionId())
                .retention(r -> r.mode(ObjectLockRetentionMode.COMPLIANCE).retainUntilDate(until))));
        HeadObjectResponse head = head(key, "HeadObject").orElseThrow(() -> new ArchiveUnavailable(
                "S3 archive object s3://" + bucket + "/" + key + " was not found right after it was uploaded", null));
        // What the store says it applied, never what was sent: a store that ignores the header must not pass.
        if (!encryption.isSatisfiedBy(head.serverSideEncryptionAsString(), head.ssekmsKeyId())) {
            throw new ArchiveUnavailable("S3 archive object s3://" + bucket + "/" + key + ": server-side encryption "
                    + encryption + " was requested, but the store reports " + reported(head) + ". The object was"
                    + " stored (and may be locked), but it is not accepted as archived. Check the store's SSE support,"
                    + " the bucket's encryption settings and stenographer.archive.s3.server-side-encryption /"
                    + " .kms-key-id (docs/ARCHIVE.md)", null);
        }
        return describe(key, head);
    }

    /**
     * Refuses an object the store reports as not encrypted at rest at all (see the class comment for why the
     * configured algorithm and key are not demanded here).
     */
    @Override
    public Optional<StoredObject> describe(String key) {
        ArchiveKeys.requireValid(key);
        return head(key, "HeadObject").map(head -> {
            if (!(encryption instanceof ServerSideEncryption.Unencrypted) && !isEncrypted(head)) {
                throw new ArchiveUnavailable("S3 archive object s3://" + bucket + "/" + key + ": the store reports "
                        + reported(head) + ", so it is not encrypted at rest; it is not accepted as archived"
                        + " (configured: " + encryption + ", see docs/ARCHIVE.md)", null);
            }
            return describe(key, head);
        });
    }

    /** Reads state without the encryption check: legal holds and retention must work on any object. */
    private Optional<StoredObject> describeAsStored(String key) {
        return head(key, "HeadObject").map(head -> describe(key, head));
    }

    private static boolean isEncrypted(HeadObjectResponse head) {
        String algorithm = head.serverSideEncryptionAsString();
        return "AES256".equals(algorithm) || "aws:kms".equals(algorithm) || "aws:kms:dsse".equals(algorithm);
    }

    private static String reported(HeadObjectResponse head) {
        String algorithm = head.serverSideEncryptionAsString();
        if (algorithm == null || algorithm.isEmpty()) {
            return "no server-side encryption (no x-amz-server-side-encryption header)";
        }
        return "x-amz-server-side-encryption: " + algorithm
                + (head.ssekmsKeyId() == null ? "" : ", key " + head.ssekmsKeyId());
    }

    private StoredObject describe(String key, HeadObjectResponse head) {
        String versionId = head.versionId();
        String sha256 = Sha256.base64ToHexOrNull(head.checksumSHA256());
        if (sha256 == null) {
            String fromMetadata = head.metadata().get(SHA256_METADATA);
            if (Sha256.isHex(fromMetadata)) {
                LOG.log(System.Logger.Level.WARNING, "S3 archive object s3://{0}/{1}: the store returned no SHA-256"
                        + " checksum; reporting the x-amz-meta-sha256 value this adapter sent", bucket, key);
                sha256 = fromMetadata.toLowerCase(Locale.ROOT);
            }
        }
        String mode = null;
        Instant retainUntil = null;
        try {
            GetObjectRetentionResponse retention = s3.getObjectRetention(b -> b.bucket(bucket).key(key).versionId(versionId));
            if (retention.retention() != null) {
                mode = retention.retention().modeAsString();
                retainUntil = retention.retention().retainUntilDate();
            }
        } catch (S3Exception e) {
            if (!isNoLockConfigured(e)) {
                throw unavailable("GetObjectRetention", key, e);
            }
        } catch (SdkException e) {
            throw unavailable("GetObjectRetention", key, e);
        }
        boolean legalHold = false;
        try {
            var hold = s3.getObjectLegalHold(b -> b.bucket(bucket).key(key).versionId(versionId));
            legalHold = hold.legalHold() != null && hold.legalHold().status() == ObjectLockLegalHoldStatus.ON;
        } catch (S3Exception e) {
            if (!isNoLockConfigured(e)) {
                throw unavailable("GetObjectLegalHold", key, e);
            }
        } catch (SdkException e) {
            throw unavailable("GetObjectLegalHold", key, e);
        }
        long size = head.contentLength() == null ? -1 : head.contentLength();
        return new StoredObject(key, size, sha256, lock(mode), retainUntil, legalHold);
    }

    @Override
    public InputStream open(String key) {
        ArchiveKeys.requireValid(key);
        ResponseInputStream<GetObjectResponse> in;
        try {
            in = s3.getObject(b -> b.bucket(bucket).key(key).checksumMode(ChecksumMode.ENABLED));
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                throw new ArchiveObjectNotFound(key);
            }
            throw unavailable("GetObject", key, e);
        } catch (SdkException e) {
            throw unavailable("GetObject", key, e);
        }
        GetObjectResponse response = in.response();
        String sha256 = Sha256.base64ToHexOrNull(response.checksumSHA256());
        if (sha256 == null && Sha256.isHex(response.metadata().get(SHA256_METADATA))) {
            sha256 = response.metadata().get(SHA256_METADATA);
        }
        InputStream translated = new SdkErrorsAsIoExceptions(in, "s3://" + bucket + "/" + key);
        return sha256 == null ? translated : new VerifyingInputStream(translated, key, sha256);
    }

    /**
     * Reading an S3 body can fail with the SDK's unchecked exceptions (a dropped connection, or the SDK's
     * own check of the body against {@code x-amz-checksum-sha256}); callers of an {@link InputStream}
     * expect an {@link IOException}, and no AWS type should reach them.
     */
    private static final class SdkErrorsAsIoExceptions extends FilterInputStream {
        private final String target;

        SdkErrorsAsIoExceptions(InputStream in, String target) {
            super(in);
            this.target = target;
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (SdkException e) {
                throw translate(e);
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return super.read(b, off, len);
            } catch (SdkException e) {
                throw translate(e);
            }
        }

        @Override
        public long skip(long n) throws IOException {
            try {
                return super.skip(n);
            } catch (SdkException e) {
                throw translate(e);
            }
        }

        @Override
        public void close() throws IOException {
            try {
                super.close();
            } catch (SdkException e) {
                throw translate(e);
            }
        }

        /**
         * The SDK checks a body against the store's {@code x-amz-checksum-sha256} as it ends ("Data read has a different
         * checksum than expected"): that is changed bytes, not a failed read.
         */
        private IOException translate(SdkException e) {
            String message = e.getMessage() == null ? "" : e.getMessage();
            if (message.toLowerCase(Locale.ROOT).contains("checksum")) {
                return new ArchiveContentMismatch("archive object " + target + " does not match the SHA-256 the store"
                        + " recorded for it: " + message, e);
            }
            return new IOException("reading archive object " + target + " failed: " + message, e);
        }
    }

    @Override
    public StoredObject extendLock(String key, Instant retainUntil) {
        ArchiveKeys.requireValid(key);
        Instant until = roundUpToSecond(retainUntil);
        StoredObject current = describeAsStored(key).orElseThrow(() -> new ArchiveObjectNotFound(key));
        if (current.lock() == Lock.WRITE_ONCE && current.retainUntil() != null
                && !current.retainUntil().isBefore(until)) {
            return current;
        }
        objectLockCall("PutObjectRetention", key, () -> s3.putObjectRetention(b -> b.bucket(bucket).key(key)
                .retention(r -> r.mode(ObjectLockRetentionMode.COMPLIANCE).retainUntilDate(until))));
        return describeAsStored(key).orElseThrow(() -> new ArchiveObjectNotFound(key));
    }

    @Override
    public StoredObject setLegalHold(String key, boolean on) {
        ArchiveKeys.requireValid(key);
        HeadObjectResponse head = head(key, "HeadObject").orElseThrow(() -> new ArchiveObjectNotFound(key));
        objectLockCall("PutObjectLegalHold", key, () -> {
            try {
                s3.putObjectLegalHold(b -> b.bucket(bucket).key(key).versionId(head.versionId())
                        .legalHold(h -> h.status(on ? ObjectLockLegalHoldStatus.ON : ObjectLockLegalHoldStatus.OFF)));
            } catch (S3Exception e) {
                if (e.statusCode() == 404) {
                    throw new ArchiveObjectNotFound(key);
                }
                throw e;
            }
        });
        return describeAsStored(key).orElseThrow(() -> new ArchiveObjectNotFound(key));
    }

    @Override
    public void delete(String key) {
        ArchiveKeys.requireValid(key);
        Optional<HeadObjectResponse> head = head(key, "HeadObject");
        if (head.isEmpty()) {
            return;
        }
        StoredObject current = describe(key, head.get());
        Instant now = clock.instant();
        if (current.legalHold()) {
            throw new ArchiveDeletionRefused("archive object " + key + " is under a legal hold; it cannot be deleted");
        }
        if (current.retainUntil() != null && now.isBefore(current.retainUntil())) {
            throw new ArchiveDeletionRefused("archive object " + key + " is retained (" + current.lock()
                    + ") until " + current.retainUntil() + "; it cannot be deleted before then");
        }
        String versionId = head.get().versionId();
        try {
            s3.deleteObject(b -> b.bucket(bucket).key(key).versionId(versionId));
        } catch (S3Exception e) {
            if (e.statusCode() == 403) {
                // AWS answers 403 AccessDenied when Object Lock protects the version.
                throw new ArchiveDeletionRefused("S3 refused to delete archive object " + key + " (HTTP 403 "
                        + errorCode(e) + "): its lock or a legal hold still applies, or the role may not delete");
            }
            if (e.statusCode() == 404) {
                return;
            }
            throw unavailable("DeleteObject", key, e);
        } catch (SdkException e) {
            throw unavailable("DeleteObject", key, e);
        }
    }

    @Override
    public void close() {
        if (ownsClient) {
            s3.close();
        }
    }

    @Override
    public String toString() {
        return "S3ObjectLockArchive[s3://" + bucket + "]";
    }

    private Optional<HeadObjectResponse> head(String key, String operation) {
        try {
            return Optional.of(s3.headObject(b -> b.bucket(bucket).key(key).checksumMode(ChecksumMode.ENABLED)));
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw unavailable(operation, key, e);
        } catch (SdkException e) {
            throw unavailable(operation, key, e);
        }
    }

    static Instant roundUpToSecond(Instant instant) {
        if (instant == null) {
            throw new IllegalArgumentException("retainUntil: must be set");
        }
        Instant whole = instant.truncatedTo(ChronoUnit.SECONDS);
        return whole.equals(instant) ? whole : whole.plusSeconds(1);
    }

    private ArchiveNotWormCapable notWormCapable() {
        return new ArchiveNotWormCapable("S3 bucket '" + bucket + "' does not have Object Lock enabled, so archived"
                + " segments in it could be deleted or overwritten; Stenographer refuses to archive there. "
                + createAdvice());
    }

    private String createAdvice() {
        return "Create the archive bucket with Object Lock enabled, e.g. `aws s3api create-bucket --bucket " + bucket
                + " --object-lock-enabled-for-bucket` (plus --create-bucket-configuration LocationConstraint=<region>"
                + " outside us-east-1), or enable versioning and Object Lock on the existing bucket with"
                + " `aws s3api put-object-lock-configuration`, then set stenographer.archive.s3.bucket to it.";
    }

    private ArchiveUnavailable unavailable(String operation, String key, SdkException e) {
        String target = "s3://" + bucket + (key == null ? "" : "/" + key);
        if (e instanceof S3Exception s3e) {
            String requestId = s3e.requestId() == null ? "" : ", request id " + s3e.requestId();
            String hint = switch (s3e.statusCode()) {
                case 301 -> " (the bucket is in another region than the configured one)";
                case 403 -> " (check the credentials and the role's S3 permissions, see docs/ARCHIVE.md)";
                default -> "";
            };
            if (errorCode(s3e).startsWith("KMS.")) {
                hint = " (the KMS key: check stenographer.archive.s3.kms-key-id, that the key exists and is enabled in"
                        + " the bucket's region, and the role's kms:GenerateDataKey permission)";
            }
            return new ArchiveUnavailable("S3 " + operation + " of " + target + " failed: HTTP " + s3e.statusCode()
                    + " " + errorCode(s3e) + requestId + hint, e);
        }
        return new ArchiveUnavailable("S3 " + operation + " of " + target + " failed: the store could not be reached"
                + " or did not answer in time (" + e.getClass().getSimpleName() + ": " + rootMessage(e) + ")", e);
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return t == e ? message : t.getClass().getSimpleName() + ": " + message;
    }

    private static String errorCode(S3Exception e) {
        return e.awsErrorDetails() == null || e.awsErrorDetails().errorCode() == null ? "(no error code)"
                : e.awsErrorDetails().errorCode();
    }

    private static String errorMessage(S3Exception e) {
        return e.awsErrorDetails() == null || e.awsErrorDetails().errorMessage() == null ? ""
                : e.awsErrorDetails().errorMessage();
    }

    /** AWS: 400 BadDigest / InvalidRequest about checksums; S3Mock: 400 BadRequest "x-amz-checksum-sha256 ... invalid". */
    private static boolean isChecksumRefusal(S3Exception e) {
        if (e.statusCode() != 400) {
            return false;
        }
        String code = errorCode(e);
        String message = errorMessage(e).toLowerCase(Locale.ROOT);
        return "BadDigest".equals(code) || "InvalidDigest".equals(code)
                || (message.contains("checksum") && !message.contains("object lock"));
    }

    /** 400 InvalidRequest "Bucket is missing Object Lock Configuration" (AWS and S3Mock word it alike). */
    /**
     * Sets object-lock state (retention or legal hold): a bucket without Object Lock makes the archive not
     * WORM-capable; any other refusal or failure leaves it unavailable.
     */
    private void objectLockCall(String operation, String key, Runnable call) {
        try {
            call.run();
        } catch (S3Exception e) {
            if (isMissingObjectLock(e)) {
                throw notWormCapable();
            }
            throw unavailable(operation, key, e);
        } catch (SdkException e) {
            throw unavailable(operation, key, e);
        }
    }

    private static boolean isMissingObjectLock(S3Exception e) {
        return e.statusCode() == 400 && errorMessage(e).toLowerCase(Locale.ROOT).contains("object lock");
    }

    /**
     * "This object has no retention / legal hold": AWS answers 404 NoSuchObjectLockConfiguration, S3Mock
     * 404 NotFound; a bucket without Object Lock answers 400 InvalidRequest. The object itself was found
     * by HeadObject just before, so all of these mean "none".
     */
    private static boolean isNoLockConfigured(S3Exception e) {
        return e.statusCode() == 404 || isMissingObjectLock(e);
    }

    /** S3's words stay here: COMPLIANCE cannot be shortened by anyone, GOVERNANCE can by a privileged account. */
    private static Lock lock(String mode) {
        if (ObjectLockRetentionMode.COMPLIANCE.toString().equals(mode)) {
            return Lock.WRITE_ONCE;
        }
        return ObjectLockRetentionMode.GOVERNANCE.toString().equals(mode) ? Lock.OVERRIDABLE : Lock.NONE;
    }
}
