package io.stenographer.application.port.out;

import java.util.Arrays;
import java.util.Objects;

/** A data key encrypted under the key-encryption key {@code keyEncryptionKeyId}; opaque to everyone but its port. */
public record WrappedDataKey(String keyEncryptionKeyId, byte[] bytes) {

    public WrappedDataKey {
        Objects.requireNonNull(keyEncryptionKeyId, "keyEncryptionKeyId");
        Objects.requireNonNull(bytes, "bytes");
        if (keyEncryptionKeyId.isBlank()) {
            throw new IllegalArgumentException("keyEncryptionKeyId is blank");
        }
        bytes = bytes.clone();
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    // A record compares arrays by identity; a wrapped key is a value.
    @Override
    public boolean equals(Object other) {
        return other instanceof WrappedDataKey that && keyEncryptionKeyId.equals(that.keyEncryptionKeyId)
                && Arrays.equals(bytes, that.bytes);
    }

    @Override
    public int hashCode() {
        return 31 * keyEncryptionKeyId.hashCode() + Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "WrappedDataKey[keyEncryptionKeyId=" + keyEncryptionKeyId + ", " + bytes.length + " bytes]";
    }
}
