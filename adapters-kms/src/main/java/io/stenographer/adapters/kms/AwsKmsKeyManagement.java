package io.stenographer.adapters.kms;

import io.stenographer.application.port.out.KeyManagementPort;
import io.stenographer.application.port.out.KeyUnavailable;
import io.stenographer.application.port.out.WrappedDataKey;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.privacy.DataKey;
import io.stenographer.domain.privacy.PersonalValueCipher;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.KmsClientBuilder;
import software.amazon.awssdk.services.kms.model.DecryptResponse;
import software.amazon.awssdk.services.kms.model.EncryptResponse;
import software.amazon.awssdk.services.kms.model.GenerateMacResponse;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.kms.model.KeyState;
import software.amazon.awssdk.services.kms.model.KeyUsageType;
import software.amazon.awssdk.services.kms.model.MacAlgorithmSpec;

/**
 * A {@link KeyManagementPort} on AWS KMS, in place of the local keyring. <b>Tested only against an emulator</b>
 * (a test HTTP server speaking the KMS JSON protocol), never against real AWS KMS: real IAM policies, latency,
 * automatic key rotation and multi-region keys are unchecked.
 *
 * <ul>
 * <li>Data keys are wrapped by KMS Encrypt under one symmetric key, with the encryption context
 * {@code stenographer:tenant} and {@code stenographer:purpose = data-key}: KMS binds it to the ciphertext, so a wrap
 * moved to another tenant does not decrypt. The wrap's key id is {@code aws-kms:} + the key's ARN, and Decrypt is
 * pinned to that ARN, which must be the configured key's: a wrap naming any other key is refused unasked.</li>
 * <li>KEK rotation is KMS's own automatic key rotation: the ARN stays, old wraps still decrypt, nothing is rewrapped.
 * There are no generations here to destroy; shredding a whole KEK means scheduling the KMS key's deletion.</li>
 * <li>Blind indexes are KMS GenerateMac (HMAC_SHA_256) under one HMAC_256 key, which never rotates (KMS does not
 * rotate HMAC keys automatically; replacing it would orphan every stored index). Ingest asks for an index per
 * subject per batch, so indexes are cached in memory, bounded and with a TTL: at most one GenerateMac per
 * (tenant, purpose, value) per TTL.</li>
 * <li>Every failure of KMS, of the network or of the SDK is a {@link KeyUnavailable} naming the key and the KMS error
 * code, never key bytes. Every call is bounded by {@link AwsKmsSettings#callTimeout()}, retries included.</li>
 * </ul>
 */
public final class AwsKmsKeyManagement implements KeyManagementPort, AutoCloseable {

    /** Prefix of the key-encryption key ids this adapter writes; wraps with another prefix are not its own. */
    public static final String KEY_ID_PREFIX = "aws-kms:";
    static final String CONTEXT_TENANT = "stenographer:tenant";
    static final String CONTEXT_PURPOSE = "stenographer:purpose";
    static final String DATA_KEY_PURPOSE = "data-key";
    static final String BLIND_INDEX_CONTEXT = "stenographer.blind-index/aws-kms/v1";
    private static final int INDEX_LENGTH = 32;
    private static final int MAX_REASON = 300;

    private final KmsClient kms;
    private final String keyArn;
    private final String hmacKeyArn;
    private final BlindIndexCache indexes;

    private AwsKmsKeyManagement(KmsClient kms, String keyArn, String hmacKeyArn, BlindIndexCache indexes) {
        this.kms = kms;
        this.keyArn = keyArn;
        this.hmacKeyArn = hmacKeyArn;
        this.indexes = indexes;
    }

    /**
     * Connects with the SDK's default credentials chain and checks both keys (DescribeKey).
     *
     * @throws IllegalStateException a key is missing, not enabled, of the wrong spec or usage, or KMS cannot be
     *         reached: the service must not start on it
     */
    public static AwsKmsKeyManagement connect(AwsKmsSettings settings) {
        return connect(settings, DefaultCredentialsProvider.builder().build(), Clock.systemUTC());
    }

    static AwsKmsKeyManagement connect(AwsKmsSettings settings, AwsCredentialsProvider credentials, Clock clock) {
        Objects.requireNonNull(settings, "settings");
        KmsClient kms = buildClient(settings, credentials);
        try {
            String keyArn = checkKey(kms, settings.keyId(), "key-encryption key", KeySpec.SYMMETRIC_DEFAULT,
                    KeyUsageType.ENCRYPT_DECRYPT);
            String hmacKeyArn = checkKey(kms, settings.hmacKeyId(), "blind-index key", KeySpec.HMAC_256,
                    KeyUsageType.GENERATE_VERIFY_MAC);
            return new AwsKmsKeyManagement(kms, keyArn, hmacKeyArn,
                    new BlindIndexCache(settings.indexCacheSize(), settings.indexCacheTtl(), clock));
        } catch (RuntimeException e) {
            kms.close();
            throw e;
        }
    }

    private static KmsClient buildClient(AwsKmsSettings settings, AwsCredentialsProvider credentials) {
        Duration total = settings.callTimeout();
        // Up to three attempts share the call's budget; the total bound is what protects ingest.
        Duration attempt = total.dividedBy(2).isZero() ? total : total.dividedBy(2);
        KmsClientBuilder builder = KmsClient.builder()
                .region(Region.of(settings.region()))
                .credentialsProvider(credentials)
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(attempt)
                        .socketTimeout(attempt))
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .apiCallTimeout(total)
                        .apiCallAttemptTimeout(attempt)
                        .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(3).build())
                        .build());
        settings.endpoint().ifPresent(builder::endpointOverride);
        return builder.build();
    }

    /** The key's ARN, once DescribeKey showed it enabled and of the expected spec and usage. */
    private static String checkKey(KmsClient kms, String keyId, String role, KeySpec spec, KeyUsageType usage) {
        KeyMetadata key;
        try {
            key = kms.describeKey(b -> b.keyId(keyId)).keyMetadata();
        } catch (SdkException e) {
            throw new IllegalStateException("cannot use the AWS KMS " + role + " " + keyId + ": DescribeKey failed: "
                    + reason(e), e);
        }
        String arn = key.arn();
        if (key.keyState() != KeyState.ENABLED) {
            throw new IllegalStateException("the AWS KMS " + role + " " + arn + " is " + key.keyStateAsString()
                    + ", not Enabled");
        }
        if (key.keySpec() != spec || key.keyUsage() != usage) {
            throw new IllegalStateException("the AWS KMS " + role + " " + arn + " is " + key.keySpecAsString() + " / "
                    + key.keyUsageAsString() + ", but it must be " + spec + " / " + usage);
        }
        return arn;
    }

    @Override
    public WrappedDataKey wrap(TenantId tenant, DataKey key) {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(key, "key");
        byte[] plain = key.bytes();
        try {
            EncryptResponse response = kms.encrypt(b -> b.keyId(keyArn)
                    .plaintext(SdkBytes.fromByteArrayUnsafe(plain))
                    .encryptionContext(context(tenant)));
            return new WrappedDataKey(KEY_ID_PREFIX + response.keyId(), response.ciphertextBlob().asByteArray());
        } catch (SdkException e) {
            throw unavailable(tenant, KEY_ID_PREFIX + keyArn, "Encrypt", e);
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    @Override
    public DataKey unwrap(TenantId tenant, WrappedDataKey wrapped) {
        Objects.requireNonNull(tenant, "tenant");
        String id = wrapped.keyEncryptionKeyId();
        if (!id.startsWith(KEY_ID_PREFIX) || id.length() == KEY_ID_PREFIX.length()) {
            throw new KeyUnavailable(tenant, id, "wrapped by another key manager, not AWS KMS");
        }
        String arn = id.substring(KEY_ID_PREFIX.length());
        if (!arn.equals(keyArn)) {
            // The id is read from a row the application's database role may rewrite; decrypting under whatever key
            // it names would let that role substitute a key it knows (IAM policies often allow kms:Decrypt on *).
            throw new KeyUnavailable(tenant, id, "not the key-encryption key this service is configured with ("
                    + KEY_ID_PREFIX + keyArn + ")");
        }
        byte[] plain = null;
        try {
            DecryptResponse response = kms.decrypt(b -> b.keyId(arn)
                    .ciphertextBlob(SdkBytes.fromByteArray(wrapped.bytes()))
                    .encryptionContext(context(tenant)));
            plain = response.plaintext().asByteArrayUnsafe();
            if (plain.length != DataKey.LENGTH) {
                throw new KeyUnavailable(tenant, id, "AWS KMS Decrypt returned " + plain.length + " bytes, not a"
                        + " data key");
            }
            return DataKey.of(plain);
        } catch (SdkException e) {
            throw unavailable(tenant, id, "Decrypt", e);
        } finally {
            if (plain != null) {
                Arrays.fill(plain, (byte) 0);
            }
        }
    }

    /** Automatic rotation in KMS keeps the ARN, so this id stays the same and nothing needs rewrapping. */
    @Override
    public String currentKeyEncryptionKeyId(TenantId tenant) {
        Objects.requireNonNull(tenant, "tenant");
        return KEY_ID_PREFIX + keyArn;
    }

    /**
     * GenerateMac over SHA-256 of the length-prefixed UTF-8 fields (context, tenant, purpose, value): unambiguous,
     * always 32 bytes (KMS takes at most 4,096), and the value itself never leaves the process. Never rotates.
     */
    @Override
    public byte[] blindIndex(TenantId tenant, String purpose, String value) {
        Objects.requireNonNull(tenant, "tenant");
        if (purpose == null || purpose.isBlank()) {
            throw new IllegalArgumentException("a blind index needs a purpose");
        }
        Objects.requireNonNull(value, "value");
        byte[] message = blindIndexMessage(tenant, purpose, value);
        // Keyed by the digest, so the cache holds no identifier in clear.
        return indexes.get(HexFormat.of().formatHex(message), () -> generateMac(tenant, message));
    }

    static byte[] blindIndexMessage(TenantId tenant, String purpose, String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(
                    PersonalValueCipher.binding(BLIND_INDEX_CONTEXT, List.of(tenant.value(), purpose, value)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    private byte[] generateMac(TenantId tenant, byte[] message) {
        byte[] mac;
        try {
            GenerateMacResponse response = kms.generateMac(b -> b.keyId(hmacKeyArn)
                    .macAlgorithm(MacAlgorithmSpec.HMAC_SHA_256)
                    .message(SdkBytes.fromByteArray(message)));
            mac = response.mac().asByteArrayUnsafe();
        } catch (SdkException e) {
            throw unavailable(tenant, KEY_ID_PREFIX + hmacKeyArn, "GenerateMac", e);
        }
        if (mac.length != INDEX_LENGTH) {
            throw new KeyUnavailable(tenant, KEY_ID_PREFIX + hmacKeyArn, "AWS KMS GenerateMac returned "
                    + mac.length + " bytes, not an HMAC-SHA256");
        }
        return mac;
    }

    /** Forgets the cached blind indexes. */
    public void forgetCachedIndexes() {
        indexes.clear();
    }

    /** The ARN of the blind-index key, for start-up logs. */
    public String blindIndexKeyId() {
        return KEY_ID_PREFIX + hmacKeyArn;
    }

    private static Map<String, String> context(TenantId tenant) {
        return Map.of(CONTEXT_TENANT, tenant.value(), CONTEXT_PURPOSE, DATA_KEY_PURPOSE);
    }

    private static KeyUnavailable unavailable(TenantId tenant, String keyId, String operation, SdkException e) {
        KeyUnavailable unavailable = new KeyUnavailable(tenant, keyId, "AWS KMS " + operation + " failed: "
                + reason(e));
        unavailable.initCause(e);
        return unavailable;
    }

    /** The KMS error code and message, or the SDK's own (network, timeout); requests carry no key bytes back. */
    private static String reason(SdkException e) {
        String reason;
        if (e instanceof AwsServiceException service && service.awsErrorDetails() != null
                && service.awsErrorDetails().errorCode() != null) {
            String message = service.awsErrorDetails().errorMessage();
            reason = service.awsErrorDetails().errorCode() + " (HTTP " + service.statusCode() + ")"
                    + (message == null || message.isBlank() ? "" : ": " + message);
        } else {
            reason = e.getClass().getSimpleName() + ": " + e.getMessage();
        }
        return reason.length() > MAX_REASON ? reason.substring(0, MAX_REASON) + "…" : reason;
    }

    @Override
    public void close() {
        kms.close();
    }

    @Override
    public String toString() {
        return "AwsKmsKeyManagement[" + keyArn + ", blind index " + hmacKeyArn + "]";
    }
}
