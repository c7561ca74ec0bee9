package io.stenographer.adapters.archive;

import java.util.regex.Pattern;

/**
 * The key rule both archive adapters apply, so a key that works locally also works on S3 and the
 * other way round: one or more segments joined by '/', each segment made of {@code [A-Za-z0-9._-]}
 * and not starting with a dot (which rules out {@code .}, {@code ..} and hidden names), no leading or
 * trailing '/', no empty segment, at most 512 characters. Keys ending in a name the local archive
 * keeps beside an object ({@code .lock.json}, {@code .legal-hold.json}) are refused too.
 */
final class ArchiveKeys {

    static final String MANIFEST_SUFFIX = ".lock.json";
    static final String LEGAL_HOLD_SUFFIX = ".legal-hold.json";
    static final int MAX_LENGTH = 512;

    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]*");

    private ArchiveKeys() {
    }

    /** The arguments of a write: a valid key, content, and its SHA-256 as hex, returned lower-cased. */
    static String requireWrite(String key, byte[] content, String sha256Hex) {
        requireValid(key);
        String hex = Sha256.requireHex(sha256Hex);
        if (content == null) {
            throw new IllegalArgumentException("content: must not be null");
        }
        return hex;
    }

    /** Returns the key if it follows the rule; throws {@link IllegalArgumentException} naming why not. */
    static String requireValid(String key) {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("archive key: must not be empty");
        }
        if (key.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("archive key: longer than " + MAX_LENGTH + " characters");
        }
        if (key.startsWith("/")) {
            throw new IllegalArgumentException("archive key: must be relative, not start with '/': " + key);
        }
        for (String segment : key.split("/", -1)) {
            if (segment.equals("..") || segment.equals(".")) {
                throw new IllegalArgumentException("archive key: '.' and '..' segments are not allowed: " + key);
            }
            if (!SEGMENT.matcher(segment).matches()) {
                throw new IllegalArgumentException("archive key: each '/'-separated segment must be non-empty, "
                        + "use only [A-Za-z0-9._-] and not start with '.': " + key);
            }
        }
        if (key.endsWith(MANIFEST_SUFFIX) || key.endsWith(LEGAL_HOLD_SUFFIX)) {
            throw new IllegalArgumentException("archive key: names ending in " + MANIFEST_SUFFIX + " or "
                    + LEGAL_HOLD_SUFFIX + " are reserved for the archive's own files: " + key);
        }
        return key;
    }
}
