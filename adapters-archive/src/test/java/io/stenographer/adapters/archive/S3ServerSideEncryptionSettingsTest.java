package io.stenographer.adapters.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stenographer.adapters.archive.ServerSideEncryption.SseKms;
import io.stenographer.adapters.archive.ServerSideEncryption.SseS3;
import io.stenographer.adapters.archive.ServerSideEncryption.Unencrypted;
import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Parsing and validation of the server-side encryption settings, and the read-back comparison; no store needed. */
class S3ServerSideEncryptionSettingsTest {

    private static final String KEY_ID = "1234abcd-12ab-34cd-56ef-1234567890ab";
    private static final String KEY_ARN = "arn:aws:kms:eu-central-1:111122223333:key/" + KEY_ID;

    @Test
    void sse_s3_is_the_default_of_the_settings() {
        assertThat(S3ArchiveSettings.aws("b", "eu-central-1").serverSideEncryption()).isInstanceOf(SseS3.class);
        assertThat(S3ArchiveSettings.aws("b", "eu-central-1").toString()).contains("serverSideEncryption=SSE-S3 (AES256)");
    }

    @Test
    void the_configured_values_are_parsed_case_insensitively() {
        assertThat(ServerSideEncryption.parse("aes256", Optional.empty())).isInstanceOf(SseS3.class);
        assertThat(ServerSideEncryption.parse(" AES256 ", Optional.empty())).isInstanceOf(SseS3.class);
        assertThat(ServerSideEncryption.parse("sse-s3", Optional.empty())).isInstanceOf(SseS3.class);
        assertThat(ServerSideEncryption.parse("aws:kms", Optional.empty())).isEqualTo(new SseKms(Optional.empty()));
        assertThat(ServerSideEncryption.parse("SSE-KMS", Optional.of(KEY_ARN))).isEqualTo(new SseKms(Optional.of(KEY_ARN)));
        assertThat(ServerSideEncryption.parse("aws:kms", Optional.of(" "))).as("a blank key id is no key id")
                .isEqualTo(new SseKms(Optional.empty()));
        assertThat(ServerSideEncryption.parse("none-unencrypted-at-rest", Optional.empty())).isInstanceOf(Unencrypted.class);
    }

    @Test
    void an_unknown_value_is_refused_and_none_is_never_accepted_silently() {
        assertThatThrownBy(() -> ServerSideEncryption.parse("aes128", Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("s3 archive server-side-encryption: must be aes256 (SSE-S3, the default) or aws:kms"
                        + " (SSE-KMS, optionally with kms-key-id), was 'aes128'");
        assertThatThrownBy(() -> ServerSideEncryption.parse("none", Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("was 'none'")
                .hasMessageContaining("set none-unencrypted-at-rest (see docs/ARCHIVE.md)");
        assertThatThrownBy(() -> ServerSideEncryption.parse("", Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("was ''");
        assertThatThrownBy(() -> ServerSideEncryption.parse("aes\n256", Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("was 'aes\\u000a256'");
    }

    @Test
    void a_kms_key_id_is_only_accepted_with_aws_kms() {
        assertThatThrownBy(() -> ServerSideEncryption.parse("aes256", Optional.of(KEY_ID)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("s3 archive kms-key-id: only applies with server-side-encryption=aws:kms, but"
                        + " server-side-encryption is aes256");
        assertThatThrownBy(() -> ServerSideEncryption.parse("none-unencrypted-at-rest", Optional.of(KEY_ID)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("only applies with");
    }

    @Test
    void a_kms_key_id_is_bounded_printable_and_not_an_alias() {
        assertThat(ServerSideEncryption.kms("k".repeat(2048))).isInstanceOf(SseKms.class);
        assertThatThrownBy(() -> ServerSideEncryption.kms("k".repeat(2049)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("s3 archive kms-key-id: at most 2048 characters, was 2049");
        assertThatThrownBy(() -> ServerSideEncryption.kms("key\r\nx-amz-injected: 1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no spaces or control characters")
                .hasMessageContaining("character 4 is U+000D");
        assertThatThrownBy(() -> ServerSideEncryption.kms("my key"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("character 3 is U+0020");
        assertThatThrownBy(() -> ServerSideEncryption.kms("schlüssel"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("U+00FC");
        assertThatThrownBy(() -> ServerSideEncryption.kms("alias/archive"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not an alias ('alias/archive')")
                .hasMessageContaining("S3 reports the key ARN");
        assertThatThrownBy(() -> ServerSideEncryption.kms("arn:aws:kms:eu-central-1:111122223333:alias/archive"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not an alias");
        assertThatThrownBy(() -> new SseKms(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void unencrypted_is_only_allowed_with_an_endpoint_override() {
        S3ArchiveSettings aws = S3ArchiveSettings.aws("b", "eu-central-1");
        assertThatThrownBy(() -> aws.withServerSideEncryption(new Unencrypted()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("s3 archive server-side-encryption: none-unencrypted-at-rest is only for S3-compatible"
                        + " stores (an endpoint override) that refuse the SSE headers; AWS S3 always supports aes256");
        S3ArchiveSettings compatible = aws.withEndpoint(URI.create("http://minio:9000"), true)
                .withServerSideEncryption(new Unencrypted());
        assertThat(compatible.toString()).contains("serverSideEncryption=NONE (unencrypted at rest");
        assertThatThrownBy(() -> aws.withServerSideEncryption(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void what_the_store_reports_is_compared_with_what_was_requested() {
        ServerSideEncryption s3 = new SseS3();
        assertThat(s3.isSatisfiedBy("AES256", null)).isTrue();
        assertThat(s3.isSatisfiedBy(null, null)).isFalse();
        assertThat(s3.isSatisfiedBy("aws:kms", KEY_ARN)).isFalse();
        assertThat(s3.isSatisfiedBy("aes256", null)).as("S3 spells it AES256").isFalse();

        ServerSideEncryption anyKms = new SseKms(Optional.empty());
        assertThat(anyKms.isSatisfiedBy("aws:kms", "arn:aws:kms:eu-central-1:111122223333:key/aws-s3")).isTrue();
        assertThat(anyKms.isSatisfiedBy("AES256", null)).isFalse();
        assertThat(anyKms.isSatisfiedBy(null, null)).isFalse();

        ServerSideEncryption byId = ServerSideEncryption.kms(KEY_ID);
        assertThat(byId.isSatisfiedBy("aws:kms", KEY_ID)).isTrue();
        assertThat(byId.isSatisfiedBy("aws:kms", KEY_ARN)).as("AWS reports the ARN of the key").isTrue();
        assertThat(byId.isSatisfiedBy("aws:kms", "arn:aws:kms:eu-central-1:111122223333:key/x" + KEY_ID)).isFalse();
        assertThat(byId.isSatisfiedBy("aws:kms", null)).isFalse();
        assertThat(byId.isSatisfiedBy("aws:kms:dsse", KEY_ARN)).isFalse();
        assertThat(byId.isSatisfiedBy("AES256", KEY_ARN)).isFalse();

        ServerSideEncryption byArn = ServerSideEncryption.kms(KEY_ARN);
        assertThat(byArn.isSatisfiedBy("aws:kms", KEY_ARN)).isTrue();
        assertThat(byArn.isSatisfiedBy("aws:kms", KEY_ID)).as("an ARN is compared as a whole").isFalse();

        assertThat(new Unencrypted().isSatisfiedBy(null, null)).isTrue();
        assertThat(new Unencrypted().headerValue()).isEmpty();
        assertThat(s3.headerValue()).contains("AES256");
        assertThat(byId.headerValue()).contains("aws:kms");
    }
}
