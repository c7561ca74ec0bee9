package io.stenographer.adapters.archive;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The server-side encryption every archive upload requests, and what the store must report back for it
 * (see docs/ARCHIVE.md, "Server-side encryption"). Configured by {@code stenographer.archive.s3.server-side-encryption}
 * ({@value #AES256_VALUE}, the default, or {@value #KMS_VALUE}) and {@code stenographer.archive.s3.kms-key-id}.
 *
 * <p>{@link Unencrypted} exists only for S3-compatible stores that refuse the SSE headers; its configuration value
 * ({@value #UNENCRYPTED_VALUE}) says what it does, so that nobody turns encryption off by accident.
 */
public sealed interface ServerSideEncryption {

    String AES256_VALUE = "aes256";
    String KMS_VALUE = "aws:kms";
    String UNENCRYPTED_VALUE = "none-unencrypted-at-rest";

    /** AWS KMS key ids and ARNs are at most 2048 characters (the KMS {@code KeyId} limit). */
    int MAX_KMS_KEY_ID_LENGTH = 2048;

    /** SSE-S3: {@code x-amz-server-side-encryption: AES256}, keys managed by the store. The default. */
    record SseS3() implements ServerSideEncryption {
        @Override
        public String toString() {
            return "SSE-S3 (AES256)";
        }
    }

    /**
     * SSE-KMS: {@code x-amz-server-side-encryption: aws:kms}, with {@code x-amz-server-side-encryption-aws-kms-key-id}
     * when a key is named (otherwise AWS uses the account's {@code aws/s3} key).
     *
     * @param keyId a key id or key ARN; aliases are refused because S3 reports the key ARN back, and an alias cannot
     *              be matched against it without asking KMS
     */
    record SseKms(Optional<String> keyId) implements ServerSideEncryption {
        public SseKms {
            Objects.requireNonNull(keyId, "keyId");
            keyId.ifPresent(ServerSideEncryption::requireValidKeyId);
        }

        @Override
        public String toString() {
            return "SSE-KMS (aws:kms, key " + keyId.orElse("aws/s3 default") + ")";
        }
    }

    /** No SSE header is sent and nothing is checked; only allowed with an endpoint override, see {@link S3ArchiveSettings}. */
    record Unencrypted() implements ServerSideEncryption {
        @Override
        public String toString() {
            return "NONE (unencrypted at rest, " + UNENCRYPTED_VALUE + ")";
        }
    }

    static ServerSideEncryption sseS3() {
        return new SseS3();
    }

    static ServerSideEncryption kms(String keyId) {
        return new SseKms(Optional.of(keyId));
    }

    /**
     * From the two configuration values. {@code mode} is {@value #AES256_VALUE} (also {@code sse-s3}),
     * {@value #KMS_VALUE} (also {@code sse-kms}) or {@value #UNENCRYPTED_VALUE}; case does not matter. A key id is
     * only accepted with {@value #KMS_VALUE}, so that a key nobody uses is never configured by mistake.
     */
    static ServerSideEncryption parse(String mode, Optional<String> kmsKeyId) {
        Objects.requireNonNull(kmsKeyId, "kmsKeyId");
        Optional<String> key = kmsKeyId.filter(k -> !k.isBlank());
        String normalized = mode == null ? "" : mode.strip().toLowerCase(Locale.ROOT);
        ServerSideEncryption parsed = switch (normalized) {
            case AES256_VALUE, "sse-s3" -> new SseS3();
            case KMS_VALUE, "sse-kms" -> new SseKms(key);
            case UNENCRYPTED_VALUE -> new Unencrypted();
            default -> throw new IllegalArgumentException("s3 archive server-side-encryption: must be " + AES256_VALUE
                    + " (SSE-S3, the default) or " + KMS_VALUE + " (SSE-KMS, optionally with kms-key-id), was '"
                    + printable(mode) + "'" + (normalized.equals("none") || normalized.equals("off")
                            ? "; to store archives unencrypted on an S3-compatible store that refuses SSE, set "
                                    + UNENCRYPTED_VALUE + " (see docs/ARCHIVE.md)"
                            : ""));
        };
        if (key.isPresent() && !(parsed instanceof SseKms)) {
            throw new IllegalArgumentException("s3 archive kms-key-id: only applies with server-side-encryption="
                    + KMS_VALUE + ", but server-side-encryption is " + normalized);
        }
        return parsed;
    }

    /** The value of {@code x-amz-server-side-encryption} to send and expect back; empty for {@link Unencrypted}. */
    default Optional<String> headerValue() {
        if (this instanceof SseS3) {
            return Optional.of("AES256");
        }
        return this instanceof SseKms ? Optional.of("aws:kms") : Optional.empty();
    }

    /**
     * Whether what the store reports for an object ({@code x-amz-server-side-encryption} and
     * {@code x-amz-server-side-encryption-aws-kms-key-id}, either may be null) is what this setting asked for. AWS
     * reports the key <em>ARN</em> even when a bare key id was sent, so a bare id also matches an ARN ending in
     * {@code :key/<id>}.
     */
    default boolean isSatisfiedBy(String reportedAlgorithm, String reportedKeyId) {
        if (this instanceof SseKms kms) {
            return "aws:kms".equals(reportedAlgorithm) && kms.keyId()
                    .map(wanted -> wanted.equals(reportedKeyId)
                            || (!wanted.startsWith("arn:") && reportedKeyId != null
                                    && reportedKeyId.startsWith("arn:") && reportedKeyId.endsWith(":key/" + wanted)))
                    .orElse(true);
        }
        return headerValue().map(expected -> expected.equals(reportedAlgorithm)).orElse(true);
    }

    private static void requireValidKeyId(String keyId) {
        if (keyId == null || keyId.isBlank()) {
            throw new IllegalArgumentException("s3 archive kms-key-id: must not be blank (leave it unset for the aws/s3 key)");
        }
        if (keyId.length() > MAX_KMS_KEY_ID_LENGTH) {
            throw new IllegalArgumentException("s3 archive kms-key-id: at most " + MAX_KMS_KEY_ID_LENGTH
                    + " characters, was " + keyId.length());
        }
        for (int i = 0; i < keyId.length(); i++) {
            char c = keyId.charAt(i);
            // It goes into an HTTP header: no control characters, no spaces, nothing outside printable ASCII.
            if (c <= 0x20 || c >= 0x7f) {
                throw new IllegalArgumentException("s3 archive kms-key-id: must be a KMS key id or key ARN (printable"
                        + " ASCII, no spaces or control characters); character " + (i + 1) + " is U+"
                        + String.format("%04X", (int) c));
            }
        }
        if (keyId.startsWith("alias/") || keyId.matches("arn:[^:]*:kms:[^:]*:[^:]*:alias/.*")) {
            throw new IllegalArgumentException("s3 archive kms-key-id: use the key id or key ARN, not an alias ('"
                    + keyId + "'): S3 reports the key ARN for every object, and an alias cannot be checked against it");
        }
    }

    /** For error messages: a configured value with control characters shown escaped and its length bounded. */
    private static String printable(String value) {
        if (value == null) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < value.length() && i < 64; i++) {
            char c = value.charAt(i);
            out.append(c < 0x20 || c == 0x7f ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return value.length() > 64 ? out + "..." : out.toString();
    }
}
