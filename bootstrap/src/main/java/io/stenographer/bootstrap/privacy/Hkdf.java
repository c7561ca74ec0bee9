package io.stenographer.bootstrap.privacy;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HKDF with HMAC-SHA256 (RFC 5869). The JDK 17 has no HKDF API, and this is small enough to check against the RFC's
 * test vectors. It turns one random secret into many independent keys, one per {@code info} (per tenant and purpose).
 */
final class Hkdf {

    static final int HASH_LENGTH = 32;
    private static final String HMAC = "HmacSHA256";

    private Hkdf() {
    }

    /** Extract then expand: {@code length} bytes of output keying material. */
    static byte[] sha256(byte[] salt, byte[] inputKeyingMaterial, byte[] info, int length) {
        byte[] prk = extract(salt, inputKeyingMaterial);
        try {
            return expand(prk, info, length);
        } finally {
            Arrays.fill(prk, (byte) 0);
        }
    }

    /** PRK = HMAC-Hash(salt, IKM); an empty salt stands for HashLen zero bytes (RFC 5869 section 2.2). */
    static byte[] extract(byte[] salt, byte[] inputKeyingMaterial) {
        Objects.requireNonNull(salt, "salt");
        Objects.requireNonNull(inputKeyingMaterial, "inputKeyingMaterial");
        Mac mac = mac(salt.length == 0 ? new byte[HASH_LENGTH] : salt);
        return mac.doFinal(inputKeyingMaterial);
    }

    /** T(i) = HMAC-Hash(PRK, T(i-1) | info | i), concatenated and cut to {@code length} (section 2.3). */
    static byte[] expand(byte[] prk, byte[] info, int length) {
        Objects.requireNonNull(info, "info");
        if (length < 1 || length > 255 * HASH_LENGTH) {
            throw new IllegalArgumentException("HKDF-SHA256 output length must be 1.." + 255 * HASH_LENGTH
                    + ", was " + length);
        }
        Mac mac = mac(prk);
        byte[] output = new byte[length];
        byte[] previous = new byte[0];
        for (int i = 1, written = 0; written < length; i++) {
            mac.update(previous);
            mac.update(info);
            mac.update((byte) i);
            Arrays.fill(previous, (byte) 0);
            previous = mac.doFinal();
            int take = Math.min(previous.length, length - written);
            System.arraycopy(previous, 0, output, written, take);
            written += take;
        }
        Arrays.fill(previous, (byte) 0);
        return output;
    }

    /** An HMAC-SHA256 keyed with {@code key}; also what blind indexes are computed with. */
    static Mac mac(byte[] key) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(key, HMAC));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is required by every Java platform", e);
        }
    }
}
