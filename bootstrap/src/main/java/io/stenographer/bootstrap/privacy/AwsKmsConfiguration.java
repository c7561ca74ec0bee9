package io.stenographer.bootstrap.privacy;

import io.stenographer.adapters.kms.AwsKmsKeyManagement;
import io.stenographer.adapters.kms.AwsKmsSettings;
import io.stenographer.domain.event.TenantId;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Singleton;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * AWS KMS in place of the local keyring, when {@value #SETTING} is {@code aws-kms} (docs/PRIVACY.md §2). Tested only
 * against an emulator, never against real AWS KMS. Credentials come from the AWS SDK's default provider chain.
 */
@ApplicationScoped
public class AwsKmsConfiguration {

    static final String SETTING = "stenographer.privacy.key-management";
    private static final String PREFIX = "stenographer.privacy.aws-kms.";
    private static final Logger LOG = Logger.getLogger(AwsKmsConfiguration.class);

    /** True for {@code aws-kms}, false for {@code local}; anything else stops the start. */
    static boolean chosen(String keyManagement) {
        return switch (keyManagement.strip()) {
            case "local" -> false;
            case "aws-kms" -> true;
            default -> throw new IllegalStateException(SETTING + " must be local or aws-kms, not '" + keyManagement
                    + "'");
        };
    }

    /**
     * Produced only when looked up, that is when {@code aws-kms} is chosen: it checks both keys (DescribeKey) and
     * refuses to start on a missing, disabled or wrong-spec key. The settings are optional here so that a
     * {@code local} install need not set them.
     */
    @Produces
    @Singleton
    @Typed(AwsKmsKeyManagement.class) // the KeyManagementPort bean is PrivacyConfiguration's choice
    AwsKmsKeyManagement awsKms(@ConfigProperty(name = PREFIX + "key-id") Optional<String> keyId,
            @ConfigProperty(name = PREFIX + "hmac-key-id") Optional<String> hmacKeyId,
            @ConfigProperty(name = PREFIX + "region") Optional<String> region,
            @ConfigProperty(name = PREFIX + "endpoint-override") Optional<String> endpoint,
            @ConfigProperty(name = PREFIX + "call-timeout", defaultValue = "PT5S") Duration callTimeout,
            @ConfigProperty(name = "stenographer.privacy.key-cache-size", defaultValue = "10000") int cacheSize,
            @ConfigProperty(name = "stenographer.privacy.key-cache-ttl", defaultValue = "PT5M") Duration cacheTtl) {
        AwsKmsSettings settings = new AwsKmsSettings(required(keyId, "key-id"), required(hmacKeyId, "hmac-key-id"),
                required(region, "region"), endpoint.map(URI::create), callTimeout, cacheSize, cacheTtl);
        AwsKmsKeyManagement kms = AwsKmsKeyManagement.connect(settings);
        LOG.infof("Personal data keys are managed by AWS KMS: data keys wrapped under %s, blind indexes under %s"
                + " (this adapter was tested against an emulator only)", kms.currentKeyEncryptionKeyId(
                        TenantId.of("keyring")), kms.blindIndexKeyId());
        return kms;
    }

    void close(@Disposes AwsKmsKeyManagement kms) {
        kms.close();
    }

    private static String required(Optional<String> value, String name) {
        return value.filter(v -> !v.isBlank()).orElseThrow(() -> new IllegalStateException(
                SETTING + "=aws-kms needs " + PREFIX + name));
    }
}
