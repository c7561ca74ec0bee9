package io.stenographer.domain.privacy;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;

/**
 * A 32-byte AES-256 data key that encrypts personal values at rest. Destroying every wrapped copy of it
 * (crypto-shredding) makes those values unreadable while the log's hashes stay intact.
 *
 * <p>It copies on the way in and out so no caller can change a key another one holds, and it never prints its bytes:
 * a log line or exception message that mentions it by mistake shows nothing.
 */
public final class DataKey {

    /** AES-256. */
    public static final int LENGTH = 32;

    private final byte[] bytes;

    private DataKey(byte[] bytes) {
        this.bytes = bytes;
    }

    /** A key from its raw bytes (copied). */
    public static DataKey of(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("a data key has " + LENGTH + " bytes, not " + bytes.length);
        }
        return new DataKey(bytes.clone());
    }

    public static DataKey generate(SecureRandom random) {
        Objects.requireNonNull(random, "random");
        byte[] bytes = new byte[LENGTH];
        random.nextBytes(bytes);
        return new DataKey(bytes);
    }

    /** A copy the caller should zero once used. */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** Constant time, so a comparison does not tell how many leading bytes matched. */
    @Override
    public boolean equals(Object other) {
        return other instanceof DataKey key && MessageDigest.isEqual(bytes, key.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "DataKey[hidden]";
    }
}
