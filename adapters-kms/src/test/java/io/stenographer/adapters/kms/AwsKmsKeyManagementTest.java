package io.stenographer.adapters.kms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stenographer.application.port.out.KeyUnavailable;
import io.stenographer.application.port.out.WrappedDataKey;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.privacy.DataKey;
import io.stenographer.domain.privacy.PersonalValueCipher;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * The AWS KMS adapter through the real SDK client against {@link KmsEmulator}, a test emulator of KMS: these tests
 * check the requests the adapter sends and how it maps answers and errors, not how AWS KMS behaves.
 */
class AwsKmsKeyManagementTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final TenantId ACME = TenantId.of("acme");
    private static final TenantId GLOBEX = TenantId.of("globex");
    private static final StaticCredentialsProvider DUMMY_CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEMULATOR", "not-a-secret"));
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(2);

    private KmsEmulator kms;
    private String kekArn;
    private String hmacArn;
    private final MutableClock clock = new MutableClock();
    private AwsKmsKeyManagement adapter;

    @BeforeEach
    void start() throws IOException {
        kms = KmsEmulator.start();
        kekArn = kms.createKey("SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT");
        hmacArn = kms.createKey("HMAC_256", "GENERATE_VERIFY_MAC");
    }

    @AfterEach
    void stop() {
        if (adapter != null) {
            adapter.close();
        }
        kms.close();
    }

    private AwsKmsSettings settings(String keyId, String hmacKeyId, Duration timeout) {
        return new AwsKmsSettings(keyId, hmacKeyId, KmsEmulator.REGION, Optional.of(kms.endpoint()), timeout, 1_000,
                Duration.ofMinutes(5));
    }

    private AwsKmsKeyManagement connect() {
        adapter = AwsKmsKeyManagement.connect(settings(kekArn, hmacArn, CALL_TIMEOUT), DUMMY_CREDENTIALS, clock);
        return adapter;
    }

    @Test
    void aWrappedDataKeyUnwrapsForItsTenantAndIsNamedByTheKeysArn() {
        AwsKmsKeyManagement keys = connect();
        DataKey key = DataKey.generate(RANDOM);

        WrappedDataKey wrapped = keys.wrap(ACME, key);

        assertThat(wrapped.keyEncryptionKeyId()).isEqualTo("aws-kms:" + kekArn)
                .isEqualTo(keys.currentKeyEncryptionKeyId(ACME));
        assertThat(keys.unwrap(ACME, wrapped)).isEqualTo(key);
        assertThat(Base64.getEncoder().encodeToString(wrapped.bytes()))
                .doesNotContain(Base64.getEncoder().encodeToString(key.bytes()));
    }

    @Test
    void aKeyConfiguredByIdOrAliasIsResolvedToItsArnAtStart() {
        kms.alias("stenographer-kek", kekArn);

        adapter = AwsKmsKeyManagement.connect(settings("alias/stenographer-kek", KmsEmulator.idOf(hmacArn),
                CALL_TIMEOUT), DUMMY_CREDENTIALS, clock);

        assertThat(adapter.currentKeyEncryptionKeyId(ACME)).isEqualTo("aws-kms:" + kekArn);
        assertThat(adapter.blindIndexKeyId()).isEqualTo("aws-kms:" + hmacArn);
        assertThat(kms.received("DescribeKey")).extracting(r -> r.string("KeyId"))
                .containsExactly("alias/stenographer-kek", KmsEmulator.idOf(hmacArn));
    }

    @Test
    void encryptAndDecryptCarryTheKeyIdAndTheTenantsEncryptionContext() {
        AwsKmsKeyManagement keys = connect();
        WrappedDataKey wrapped = keys.wrap(ACME, DataKey.generate(RANDOM));
        keys.unwrap(ACME, wrapped);

        Map<String, String> context = Map.of("stenographer:tenant", "acme", "stenographer:purpose", "data-key");
        KmsEmulator.Received encrypt = kms.received("Encrypt").get(0);
        assertThat(encrypt.string("KeyId")).isEqualTo(kekArn);
        assertThat(encrypt.map("EncryptionContext")).isEqualTo(context);
        assertThat(Base64.getDecoder().decode(encrypt.string("Plaintext"))).hasSize(32);
        KmsEmulator.Received decrypt = kms.received("Decrypt").get(0);
        assertThat(decrypt.string("KeyId")).isEqualTo(kekArn);
        assertThat(decrypt.map("EncryptionContext")).isEqualTo(context);
        assertThat(Base64.getDecoder().decode(decrypt.string("CiphertextBlob"))).isEqualTo(wrapped.bytes());
        assertThat(kms.received()).allSatisfy(r -> {
            assertThat(r.contentType()).startsWith("application/x-amz-json-1.1");
            assertThat(r.signed()).isTrue();
        });
    }

    @Test
    void aKeyWrappedForOneTenantDoesNotUnwrapForAnother() {
        AwsKmsKeyManagement keys = connect();
        WrappedDataKey wrapped = keys.wrap(ACME, DataKey.generate(RANDOM));

        assertThatThrownBy(() -> keys.unwrap(GLOBEX, wrapped)).isInstanceOf(KeyUnavailable.class)
                .hasMessageStartingWith("data key of tenant globex under key-encryption key aws-kms:" + kekArn
                        + " is unavailable: AWS KMS Decrypt failed: InvalidCiphertextException (HTTP 400)")
                .satisfies(e -> assertThat(((KeyUnavailable) e).tenant()).isEqualTo(GLOBEX));
        assertThat(kms.received("Decrypt").get(0).map("EncryptionContext"))
                .containsEntry("stenographer:tenant", "globex");
    }

    @Test
    void anAlteredWrapOrOneRelabelledWithAnotherKeyDoesNotUnwrap() {
        AwsKmsKeyManagement keys = connect();
        WrappedDataKey wrapped = keys.wrap(ACME, DataKey.generate(RANDOM));
        byte[] altered = wrapped.bytes();
        altered[altered.length - 1] ^= 1;
        String otherArn = kms.createKey("SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT");

        assertThatThrownBy(() -> keys.unwrap(ACME, new WrappedDataKey(wrapped.keyEncryptionKeyId(), altered)))
                .isInstanceOf(KeyUnavailable.class).hasMessageContaining("InvalidCiphertextException");
        // The key id comes from a database row the application role may rewrite: a wrap naming another key (one
        // whose holder knows what it decrypts to) is refused before KMS is asked, whatever the IAM policy allows.
        int before = kms.received().size();
        assertThatThrownBy(() -> keys.unwrap(ACME, new WrappedDataKey("aws-kms:" + otherArn, wrapped.bytes())))
                .isInstanceOf(KeyUnavailable.class).hasMessageContaining(otherArn)
                .hasMessageContaining("not the key-encryption key this service is configured with");
        assertThat(kms.received()).hasSize(before);
    }

    @Test
    void aWrapOfAnotherKeyManagerIsUnavailableWithoutAskingKms() {
        AwsKmsKeyManagement keys = connect();
        int before = kms.received().size();

        assertThatThrownBy(() -> keys.unwrap(ACME, new WrappedDataKey("local-1", new byte[60])))
                .isInstanceOf(KeyUnavailable.class)
                .hasMessage("data key of tenant acme under key-encryption key local-1 is unavailable: wrapped by"
                        + " another key manager, not AWS KMS");
        assertThat(kms.received()).hasSize(before);
    }

    @Test
    void aDisabledKeyOrOnePendingDeletionIsUnavailableWithTheKmsErrorCodeAndNoKeyBytes() {
        AwsKmsKeyManagement keys = connect();
        DataKey key = DataKey.generate(RANDOM);
        WrappedDataKey wrapped = keys.wrap(ACME, key);

        kms.setState(kekArn, "Disabled");
        assertThatThrownBy(() -> keys.unwrap(ACME, wrapped)).isInstanceOf(KeyUnavailable.class)
                .hasMessageContaining("aws-kms:" + kekArn).hasMessageContaining("DisabledException")
                .satisfies(e -> assertThat(e.getMessage())
                        .doesNotContain(Base64.getEncoder().encodeToString(key.bytes())));
        assertThatThrownBy(() -> keys.wrap(ACME, DataKey.generate(RANDOM))).isInstanceOf(KeyUnavailable.class)
                .hasMessageContaining("AWS KMS Encrypt failed: DisabledException");

        kms.setState(kekArn, "PendingDeletion");
        assertThatThrownBy(() -> keys.unwrap(ACME, wrapped)).isInstanceOf(KeyUnavailable.class)
                .hasMessageContaining("KMSInvalidStateException");

        kms.setState(kekArn, "Enabled");
        assertThat(keys.unwrap(ACME, wrapped)).isEqualTo(key);
    }

    @Test
    void anyKmsErrorIsKeyUnavailableNamingItsCode() {
        AwsKmsKeyManagement keys = connect();
        WrappedDataKey wrapped = keys.wrap(ACME, DataKey.generate(RANDOM));

        for (String code : List.of("AccessDeniedException", "NotFoundException", "KMSInternalException")) {
            kms.failEveryCallWith(code);
            assertThatThrownBy(() -> keys.unwrap(ACME, wrapped)).isInstanceOf(KeyUnavailable.class)
                    .hasMessageContaining("AWS KMS Decrypt failed: " + code);
            assertThatThrownBy(() -> keys.blindIndex(ACME, "subject", "alice-" + code))
                    .isInstanceOf(KeyUnavailable.class)
                    .hasMessageContaining("aws-kms:" + hmacArn).hasMessageContaining("GenerateMac failed: " + code);
        }
    }

    @Test
    void anUnreachableKmsIsKeyUnavailableWithinTheCallTimeout() {
        AwsKmsKeyManagement keys = connect();
        WrappedDataKey wrapped = keys.wrap(ACME, DataKey.generate(RANDOM));
        kms.close(); // nothing listens on the port any more

        long started = System.nanoTime();
        assertThatThrownBy(() -> keys.unwrap(ACME, wrapped)).isInstanceOf(KeyUnavailable.class)
                .hasMessageContaining("AWS KMS Decrypt failed: ");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(CALL_TIMEOUT.plusSeconds(2));
    }

    @Test
    void aKmsThatNeverAnswersIsKeyUnavailableWithinTheCallTimeout() {
        AwsKmsKeyManagement keys = connect();
        WrappedDataKey wrapped = keys.wrap(ACME, DataKey.generate(RANDOM));
        kms.stopAnswering();

        for (Runnable call : List.<Runnable>of(() -> keys.unwrap(ACME, wrapped),
                () -> keys.wrap(ACME, DataKey.generate(RANDOM)), () -> keys.blindIndex(ACME, "subject", "bob"))) {
            long started = System.nanoTime();
            assertThatThrownBy(call::run).isInstanceOf(KeyUnavailable.class).hasMessageContaining("Timeout");
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            assertThat(took).isGreaterThanOrEqualTo(CALL_TIMEOUT.dividedBy(2))
                    .isLessThan(CALL_TIMEOUT.plusSeconds(2));
        }
    }

    @Test
    void blindIndexesAreStable32ByteMacsThatDifferPerTenantPurposeAndValue() throws Exception {
        AwsKmsKeyManagement keys = connect();
        byte[] index = keys.blindIndex(ACME, "actor.id", "alice@example.com");

        assertThat(index).hasSize(32).isEqualTo(expectedIndex(ACME, "actor.id", "alice@example.com"));
        keys.forgetCachedIndexes();
        assertThat(keys.blindIndex(ACME, "actor.id", "alice@example.com")).isEqualTo(index);
        assertThat(keys.blindIndex(GLOBEX, "actor.id", "alice@example.com")).isNotEqualTo(index);
        assertThat(keys.blindIndex(ACME, "resource.id", "alice@example.com")).isNotEqualTo(index);
        assertThat(keys.blindIndex(ACME, "actor.id", "bob@example.com")).isNotEqualTo(index);
        assertThat(keys.blindIndex(ACME, "actor.i", "dalice@example.com")).isNotEqualTo(index);
        assertThat(keys.blindIndex(TenantId.of("acmea"), "ctor.id", "alice@example.com")).isNotEqualTo(index);
    }

    @Test
    void generateMacUsesTheHmacKeyAndNeverSendsTheValueInClear() {
        AwsKmsKeyManagement keys = connect();
        keys.blindIndex(ACME, "actor.id", "alice@example.com");

        KmsEmulator.Received request = kms.received("GenerateMac").get(0);
        assertThat(request.string("KeyId")).isEqualTo(hmacArn);
        assertThat(request.string("MacAlgorithm")).isEqualTo("HMAC_SHA_256");
        byte[] message = Base64.getDecoder().decode(request.string("Message"));
        assertThat(message).hasSize(32);
        assertThat(new String(message, StandardCharsets.ISO_8859_1)).doesNotContain("alice");
    }

    @Test
    void oneGenerateMacPerIndexPerTtl() {
        AwsKmsKeyManagement keys = connect();

        byte[] first = keys.blindIndex(ACME, "subject", "alice");
        byte[] second = keys.blindIndex(ACME, "subject", "alice");
        first[0] ^= 1; // a caller changing its copy changes nothing cached

        assertThat(kms.received("GenerateMac")).hasSize(1);
        assertThat(keys.blindIndex(ACME, "subject", "alice")).isEqualTo(second);
        clock.advance(Duration.ofMinutes(5));
        assertThat(keys.blindIndex(ACME, "subject", "alice")).isEqualTo(second);
        assertThat(kms.received("GenerateMac")).hasSize(2);
    }

    @Test
    void concurrentMissesForOneIndexShareOneGenerateMac() throws Exception {
        AwsKmsKeyManagement keys = connect();
        ExecutorService threads = Executors.newFixedThreadPool(8);
        List<Future<byte[]>> results = new ArrayList<>();
        try {
            CountDownLatch go = new CountDownLatch(1);
            for (int i = 0; i < 8; i++) {
                results.add(threads.submit(() -> {
                    go.await();
                    return keys.blindIndex(ACME, "subject", "dave");
                }));
            }
            go.countDown();
            for (Future<byte[]> result : results) {
                assertThat(result.get(10, TimeUnit.SECONDS)).isEqualTo(results.get(0).get());
            }
        } finally {
            threads.shutdownNow();
        }
        assertThat(kms.received("GenerateMac")).hasSize(1);
    }

    @Test
    void theIndexCacheIsBounded() {
        BlindIndexCache cache = new BlindIndexCache(3, Duration.ofMinutes(5), clock);
        int[] computed = {0};
        for (int i = 0; i < 10; i++) {
            cache.get("k" + i, () -> new byte[] {(byte) computed[0]++});
            assertThat(cache.size()).isLessThanOrEqualTo(3);
        }
        cache.get("k0", () -> new byte[] {(byte) computed[0]++});
        assertThat(computed[0]).isEqualTo(11);
    }

    @Test
    void aFailedGenerateMacIsNotCached() {
        AwsKmsKeyManagement keys = connect();
        kms.failEveryCallWith("KMSInternalException");
        assertThatThrownBy(() -> keys.blindIndex(ACME, "subject", "carol")).isInstanceOf(KeyUnavailable.class);

        kms.failEveryCallWith(null);
        assertThat(keys.blindIndex(ACME, "subject", "carol")).hasSize(32);
    }

    @Test
    void theStartIsRefusedForAKeyOfTheWrongSpecOrUsage() {
        String asymmetric = kms.createKey("RSA_2048", "ENCRYPT_DECRYPT");

        assertThatThrownBy(() -> AwsKmsKeyManagement.connect(settings(hmacArn, hmacArn, CALL_TIMEOUT),
                DUMMY_CREDENTIALS, clock)).isInstanceOf(IllegalStateException.class)
                .hasMessage("the AWS KMS key-encryption key " + hmacArn + " is HMAC_256 / GENERATE_VERIFY_MAC, but it"
                        + " must be SYMMETRIC_DEFAULT / ENCRYPT_DECRYPT");
        assertThatThrownBy(() -> AwsKmsKeyManagement.connect(settings(asymmetric, hmacArn, CALL_TIMEOUT),
                DUMMY_CREDENTIALS, clock)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is RSA_2048 / ENCRYPT_DECRYPT");
        assertThatThrownBy(() -> AwsKmsKeyManagement.connect(settings(kekArn, kekArn, CALL_TIMEOUT),
                DUMMY_CREDENTIALS, clock)).isInstanceOf(IllegalStateException.class)
                .hasMessage("the AWS KMS blind-index key " + kekArn + " is SYMMETRIC_DEFAULT / ENCRYPT_DECRYPT, but"
                        + " it must be HMAC_256 / GENERATE_VERIFY_MAC");
    }

    @Test
    void theStartIsRefusedForAKeyThatIsDisabledMissingOrUnreachable() {
        kms.setState(kekArn, "Disabled");
        assertThatThrownBy(() -> AwsKmsKeyManagement.connect(settings(kekArn, hmacArn, CALL_TIMEOUT),
                DUMMY_CREDENTIALS, clock)).isInstanceOf(IllegalStateException.class)
                .hasMessage("the AWS KMS key-encryption key " + kekArn + " is Disabled, not Enabled");

        assertThatThrownBy(() -> AwsKmsKeyManagement.connect(settings("alias/nothing", hmacArn, CALL_TIMEOUT),
                DUMMY_CREDENTIALS, clock)).isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("cannot use the AWS KMS key-encryption key alias/nothing: DescribeKey failed:"
                        + " NotFoundException (HTTP 400)");

        kms.close();
        assertThatThrownBy(() -> AwsKmsKeyManagement.connect(settings(kekArn, hmacArn, CALL_TIMEOUT),
                DUMMY_CREDENTIALS, clock)).isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("cannot use the AWS KMS key-encryption key " + kekArn
                        + ": DescribeKey failed:");
    }

    /** HMAC-SHA256 under the emulator's key of SHA-256 of the length-prefixed fields, computed here on its own. */
    private byte[] expectedIndex(TenantId tenant, String purpose, String value) throws Exception {
        byte[] framed = PersonalValueCipher.binding("stenographer.blind-index/aws-kms/v1",
                List.of(tenant.value(), purpose, value));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(kms.secretOf(hmacArn), "HmacSHA256"));
        return mac.doFinal(MessageDigest.getInstance("SHA-256").digest(framed));
    }

    private static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2026-12-07T10:00:00Z");

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
