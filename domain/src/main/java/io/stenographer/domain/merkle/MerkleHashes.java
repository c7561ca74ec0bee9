package io.stenographer.domain.merkle;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;

/**
 * The RFC 6962 / RFC 9162 section 2.1.1 hash functions. The 0x00 and 0x01 prefixes keep a leaf
 * from ever being passed off as an interior node (second-preimage protection).
 */
public final class MerkleHashes {

    /**
     * One digest per thread: {@code MessageDigest.getInstance} looks the provider up on every call, which costs more
     * than hashing a 64-byte node. Each use starts with a reset, so a digest left half-fed by an exception is harmless.
     */
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(MerkleHashes::newSha256);
    private static final Hash EMPTY_ROOT = new Hash(newSha256().digest());

    private MerkleHashes() {
    }

    /** SHA-256(0x00 || leafInput). */
    public static Hash leafHash(byte[] leafInput) {
        Objects.requireNonNull(leafInput, "leafInput");
        MessageDigest digest = sha256();
        digest.update((byte) 0x00);
        digest.update(leafInput);
        return new Hash(digest.digest());
    }

    /** SHA-256(0x00 || leafInput[offset, offset + length)), for a leaf input written into a reused buffer. */
    public static Hash leafHash(byte[] buffer, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, Objects.requireNonNull(buffer, "buffer").length);
        MessageDigest digest = sha256();
        digest.update((byte) 0x00);
        digest.update(buffer, offset, length);
        return new Hash(digest.digest());
    }

    /** SHA-256(0x01 || left || right). */
    public static Hash nodeHash(Hash left, Hash right) {
        Objects.requireNonNull(left, "left");
        Objects.requireNonNull(right, "right");
        MessageDigest digest = sha256();
        digest.update((byte) 0x01);
        digest.update(left.bytes());
        digest.update(right.bytes());
        return new Hash(digest.digest());
    }

    /** The root of the empty tree: SHA-256 of the empty string. */
    public static Hash emptyRoot() {
        return EMPTY_ROOT;
    }

    private static MessageDigest sha256() {
        MessageDigest digest = SHA256.get();
        digest.reset();
        return digest;
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-256", e);
        }
    }
}
