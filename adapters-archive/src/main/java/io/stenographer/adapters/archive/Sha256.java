package io.stenographer.adapters.archive;

import io.stenographer.application.port.out.ArchiveSegmentsPort.ArchiveChecksumMismatch;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/** SHA-256 helpers: digests, and the hex (our manifests) / base64 (S3 headers) spellings of one. */
final class Sha256 {

    private static final Pattern HEX = Pattern.compile("[0-9a-fA-F]{64}");

    private Sha256() {
    }

    static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    static String hex(byte[] content) {
        return HexFormat.of().formatHex(newDigest().digest(content));
    }

    /** Lower-cases a 64-digit hex SHA-256; throws {@link IllegalArgumentException} for anything else. */
    static String requireHex(String sha256Hex) {
        if (sha256Hex == null || !HEX.matcher(sha256Hex).matches()) {
            throw new IllegalArgumentException("sha256: must be 64 hexadecimal digits");
        }
        return sha256Hex.toLowerCase(Locale.ROOT);
    }

    /**
     * Refuses to write {@code content} under {@code key} unless its SHA-256 is the given one; {@code nothing}
     * says what did not happen ("uploaded", "stored").
     */
    static void requireContentMatches(String key, byte[] content, String hex, String nothing) {
        String actual = hex(content);
        if (!actual.equals(hex)) {
            throw new ArchiveChecksumMismatch(key, "archive object " + key + ": content does not match the given SHA-256"
                    + " (given " + hex + ", content has " + actual + "); nothing was " + nothing);
        }
    }

    static String hexToBase64(String sha256Hex) {
        return Base64.getEncoder().encodeToString(HexFormat.of().parseHex(sha256Hex));
    }

    /**
     * The hex form of a base64 full-object SHA-256 as S3 reports it, or null if the value is not one
     * (for example a multipart upload's composite "checksum of checksums", which ends in "-N").
     */
    static String base64ToHexOrNull(String base64) {
        if (base64 == null || base64.isBlank() || base64.contains("-")) {
            return null;
        }
        try {
            byte[] raw = Base64.getDecoder().decode(base64.trim());
            return raw.length == 32 ? HexFormat.of().formatHex(raw) : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    static boolean isHex(String value) {
        return value != null && HEX.matcher(value).matches();
    }
}
