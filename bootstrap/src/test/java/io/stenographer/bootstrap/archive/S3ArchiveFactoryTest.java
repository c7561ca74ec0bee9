package io.stenographer.bootstrap.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.stenographer.adapters.archive.S3ArchiveSettings;
import io.stenographer.adapters.archive.ServerSideEncryption;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The {@code stenographer.archive.s3.*} keys as the application reads them (the real {@code @ConfigMapping}, built by
 * SmallRye Config from plain properties, so the property names and defaults are the ones checked), mapped to the
 * adapter's settings. No Quarkus start, no S3.
 */
class S3ArchiveFactoryTest {

    private static final String KEY_ARN = "arn:aws:kms:eu-central-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

    private static S3ArchiveSettings settings(Map<String, String> extra) {
        Map<String, String> properties = new HashMap<>(Map.of(
                "stenographer.archive.local-dir", "/tmp/unused",
                "stenographer.archive.store", "s3",
                "stenographer.archive.s3.bucket", "archive",
                "stenographer.archive.s3.region", "eu-central-1"));
        properties.putAll(extra);
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withMapping(ArchiveSettings.class)
                .withSources(new PropertiesConfigSource(properties, "test", 100))
                .build();
        return S3ArchiveFactory.settings(config.getConfigMapping(ArchiveSettings.class));
    }

    @Test
    void sse_s3_is_the_default_when_nothing_is_configured() {
        assertThat(settings(Map.of()).serverSideEncryption()).isInstanceOf(ServerSideEncryption.SseS3.class);
    }

    @Test
    void aws_kms_with_a_key_is_configured_by_two_properties() {
        S3ArchiveSettings kms = settings(Map.of(
                "stenographer.archive.s3.server-side-encryption", "aws:kms",
                "stenographer.archive.s3.kms-key-id", KEY_ARN));

        assertThat(kms.serverSideEncryption()).isEqualTo(new ServerSideEncryption.SseKms(Optional.of(KEY_ARN)));
    }

    @Test
    void invalid_encryption_settings_fail_at_start_up_with_the_adapters_message() {
        assertThatThrownBy(() -> settings(Map.of("stenographer.archive.s3.kms-key-id", KEY_ARN)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("kms-key-id: only applies with server-side-encryption=aws:kms");
        assertThatThrownBy(() -> settings(Map.of("stenographer.archive.s3.server-side-encryption", "none")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("none-unencrypted-at-rest");
        assertThatThrownBy(() -> settings(Map.of(
                "stenographer.archive.s3.server-side-encryption", "aws:kms",
                "stenographer.archive.s3.kms-key-id", "alias/archive")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not an alias");
    }

    @Test
    void turning_encryption_off_needs_an_endpoint_override() {
        assertThatThrownBy(() -> settings(Map.of(
                "stenographer.archive.s3.server-side-encryption", "none-unencrypted-at-rest")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("only for S3-compatible stores");

        S3ArchiveSettings compatible = settings(Map.of(
                "stenographer.archive.s3.server-side-encryption", "none-unencrypted-at-rest",
                "stenographer.archive.s3.endpoint", "http://minio.internal:9000"));

        assertThat(compatible.serverSideEncryption()).isInstanceOf(ServerSideEncryption.Unencrypted.class);
    }
}
