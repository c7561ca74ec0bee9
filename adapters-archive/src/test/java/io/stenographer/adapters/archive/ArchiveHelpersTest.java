package io.stenographer.adapters.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The small pieces both adapters rely on: checksum spellings, sidecar JSON, S3 settings validation. */
class ArchiveHelpersTest {

    private static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    @Test
    void sha256_hex_and_base64_spellings_convert_both_ways() {
        assertThat(Sha256.hex(new byte[0])).isEqualTo(EMPTY_SHA256);
        String base64 = Sha256.hexToBase64(EMPTY_SHA256);
        assertThat(base64).isEqualTo("47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=");
        assertThat(Sha256.base64ToHexOrNull(base64)).isEqualTo(EMPTY_SHA256);
    }

    @Test
    void a_multipart_composite_or_malformed_checksum_is_not_taken_for_a_sha256() {
        assertThat(Sha256.base64ToHexOrNull("47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=-3")).isNull();
        assertThat(Sha256.base64ToHexOrNull("AAAA")).isNull();
        assertThat(Sha256.base64ToHexOrNull("not base64!")).isNull();
        assertThat(Sha256.base64ToHexOrNull(null)).isNull();
    }

    @Test
    void sidecar_json_round_trips_strings_numbers_booleans_and_escapes() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("key", "a/\"quoted\"\\path\n");
        fields.put("size", 42L);
        fields.put("legalHold", true);

        Map<String, String> parsed = FlatJson.parse(FlatJson.write(fields));

        assertThat(parsed).containsExactly(Map.entry("key", "a/\"quoted\"\\path\n"), Map.entry("size", "42"),
                Map.entry("legalHold", "true"));
    }

    @Test
    void sidecar_json_rejects_trailing_data_duplicates_and_truncation() {
        assertThatThrownBy(() -> FlatJson.parse("{\"a\":\"b\"} x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FlatJson.parse("{\"a\":\"b\",\"a\":\"c\"}")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FlatJson.parse("{\"a\":\"b")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void s3_settings_need_both_credentials_or_neither_and_positive_timeouts() {
        assertThatThrownBy(() -> new S3ArchiveSettings("b", "us-east-1", Optional.empty(), false, Optional.of("id"),
                Optional.empty(), Duration.ofSeconds(1), Duration.ofSeconds(1), 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("both");
        assertThatThrownBy(() -> S3ArchiveSettings.aws("b", "us-east-1").withTimeouts(Duration.ZERO, Duration.ofSeconds(1), 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("connect-timeout");
        assertThatThrownBy(() -> S3ArchiveSettings.aws("b", "us-east-1").withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(1), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("max-attempts");
        assertThatThrownBy(() -> S3ArchiveSettings.aws(" ", "us-east-1")).isInstanceOf(IllegalArgumentException.class);

        S3ArchiveSettings s = S3ArchiveSettings.aws("bucket", "eu-central-1")
                .withEndpoint(URI.create("http://127.0.0.1:9999"), true);
        assertThat(s.connectTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(s.callTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(s.maxAttempts()).isEqualTo(3);
        assertThat(s.toString()).contains("default chain").contains("http://127.0.0.1:9999");
    }
}
