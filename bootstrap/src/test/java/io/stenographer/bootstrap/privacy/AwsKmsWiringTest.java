package io.stenographer.bootstrap.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.stenographer.adapters.kms.AwsKmsKeyManagement;
import io.stenographer.adapters.kms.KmsEmulator;
import io.stenographer.application.port.in.RotateKeyEncryptionKeysUseCase;
import io.stenographer.application.port.in.RotateKeyEncryptionKeysUseCase.RotationRun;
import io.stenographer.application.port.out.KeyManagementPort;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.privacy.DataKey;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code stenographer.privacy.key-management=aws-kms} against {@link KmsEmulator}, a test emulator of KMS (not AWS
 * KMS): the service starts on it with credentials from the SDK's default chain, the key manager is AWS KMS, the
 * keyring file is never read or generated, and the key-encryption key schedule skips. No event is ingested here:
 * data keys wrapped under the emulator would stay in the database the other tests share.
 */
@QuarkusTest
@TestProfile(AwsKmsWiringTest.AwsKms.class)
class AwsKmsWiringTest {

    private static final Path KEYRING = Path.of("target/test-data/aws-kms-wiring/personal-data-keyring.json");
    private static final TenantId ACME = TenantId.of("acme");

    public static class AwsKms implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("stenographer.privacy.keyring-file", KEYRING.toString());
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(Emulated.class));
        }
    }

    /** The emulator, its two keys, and dummy credentials where the SDK's default chain looks first. */
    public static class Emulated implements QuarkusTestResourceLifecycleManager {
        static final String ACCESS_KEY_ID = "AKIDWIRINGTEST";
        static volatile KmsEmulator kms;
        static volatile String keyArn;
        static volatile String hmacKeyArn;

        @Override
        public Map<String, String> start() {
            try {
                kms = KmsEmulator.start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            keyArn = kms.createKey("SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT");
            hmacKeyArn = kms.createKey("HMAC_256", "GENERATE_VERIFY_MAC");
            kms.alias("stenographer-kek", keyArn);
            System.setProperty("aws.accessKeyId", ACCESS_KEY_ID);
            System.setProperty("aws.secretAccessKey", "not-a-secret");
            return Map.of("stenographer.privacy.key-management", "aws-kms",
                    "stenographer.privacy.aws-kms.key-id", "alias/stenographer-kek",
                    "stenographer.privacy.aws-kms.hmac-key-id", hmacKeyArn,
                    "stenographer.privacy.aws-kms.region", KmsEmulator.REGION,
                    "stenographer.privacy.aws-kms.endpoint-override", kms.endpoint().toString(),
                    "stenographer.privacy.aws-kms.call-timeout", "PT2S");
        }

        @Override
        public void stop() {
            System.clearProperty("aws.accessKeyId");
            System.clearProperty("aws.secretAccessKey");
            if (kms != null) {
                kms.close();
            }
        }
    }

    @Inject
    KeyManagementPort keyManagement;
    @Inject
    RotateKeyEncryptionKeysUseCase keyEncryptionKeySchedule;

    @Test
    void theKeyManagerIsAwsKmsAndTheKeyringFileIsNeverTouched() {
        DataKey key = DataKey.generate(new SecureRandom());

        assertThat(keyManagement).isInstanceOf(AwsKmsKeyManagement.class);
        assertThat(keyManagement.currentKeyEncryptionKeyId(ACME)).isEqualTo("aws-kms:" + Emulated.keyArn);
        assertThat(keyManagement.unwrap(ACME, keyManagement.wrap(ACME, key))).isEqualTo(key);
        assertThat(keyManagement.blindIndex(ACME, "subject", "alice")).hasSize(32);
        assertThat(Emulated.kms.received("DescribeKey")).extracting(r -> r.string("KeyId"))
                .containsExactly("alias/stenographer-kek", Emulated.hmacKeyArn);
        assertThat(Emulated.kms.received()).allSatisfy(r -> assertThat(r.accessKeyId())
                .isEqualTo(Emulated.ACCESS_KEY_ID));
        assertThat(Files.exists(KEYRING)).isFalse();
    }

    @Test
    void theKeyEncryptionKeyScheduleSkipsWithoutCallingKms() {
        int before = Emulated.kms.received().size();

        RotationRun run = keyEncryptionKeySchedule.run();

        assertThat(run).isEqualTo(new RotationRun(false, 0, false, List.of(), true));
        assertThat(Emulated.kms.received()).hasSize(before);
        assertThat(Files.exists(KEYRING)).isFalse();
    }
}
