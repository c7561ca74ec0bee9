package io.stenographer.domain.merkle;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A SHA-256 digest: a leaf hash, an interior node hash or a tree root. Immutable: the bytes are
 * copied in and out, so a caller can never alter a hash that is already part of a proof.
 */
public record Hash(byte[] bytes) {

    public static final int LENGTH = 32;

    public Hash {
        Objects.requireNonNull(bytes, "bytes");
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("bytes must be exactly " + LENGTH + " bytes, was " + bytes.length);
        }
        bytes = bytes.clone();
    }

    /** A copy of the 32 digest bytes. */
    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    /** Lowercase hexadecimal, 64 characters. */
    public String hex() {
        return HexFormat.of().formatHex(bytes);
    }

    /** Standard base64 with padding (RFC 4648 section 4), as checkpoints carry it. */
    public String base64() {
        return Base64.getEncoder().encodeToString(bytes);
    }

    /** Parses 64 hex digits (either case). */
    public static Hash fromHex(String hex) {
        Objects.requireNonNull(hex, "hex");
        if (hex.length() != 2 * LENGTH) {
            throw new IllegalArgumentException("hash hex must be " + 2 * LENGTH + " characters, was " + hex.length());
        }
        try {
            return new Hash(HexFormat.of().parseHex(hex));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("hash hex contains a non-hexadecimal character: " + hex, e);
        }
    }

    /**
     * Parses standard padded base64 of exactly 32 bytes. Only the canonical spelling is accepted,
     * so one hash has exactly one text form.
     */
    public static Hash fromBase64(String base64) {
        Objects.requireNonNull(base64, "base64");
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("hash is not valid base64: " + e.getMessage(), e);
        }
        if (decoded.length != LENGTH) {
            throw new IllegalArgumentException("hash base64 must decode to " + LENGTH + " bytes, got " + decoded.length);
        }
        if (!Base64.getEncoder().encodeToString(decoded).equals(base64)) {
            throw new IllegalArgumentException("hash base64 is not in canonical padded form: " + base64);
        }
        return new Hash(decoded);
    }

    @Override
    public boolean equals(Object other) {
        // Constant time: hashes are compared against expected roots during verification.
        return other instanceof Hash && MessageDigest.isEqual(bytes, ((Hash) other).bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "Hash[" + hex() + "]";
    }
}
