package io.stenographer.domain.event;

import io.stenographer.domain.json.CanonicalJson;
import io.stenographer.domain.json.JsonValue;
import io.stenographer.domain.merkle.Hash;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;

/**
 * What the leaf holds in place of a personal value: SHA-256 over a domain tag, a random 32-byte opening, the field's
 * path and the value's canonical JSON. The random opening is what keeps a low-entropy value (an IP address, a name)
 * from being found by hashing guesses; destroying the opening leaves a hash nobody can link to a value, while the
 * leaf, and every proof over it, stays as it was.
 */
public final class Commitment {

    public static final int OPENING_LENGTH = 32;
    private static final byte[] DOMAIN = "stenographer.commitment/v1\0".getBytes(StandardCharsets.US_ASCII);

    private Commitment() {
    }

    public static Hash of(byte[] opening, PersonalField field, JsonValue value) {
        Objects.requireNonNull(value, "value");
        if (opening == null || opening.length != OPENING_LENGTH) {
            throw new IllegalArgumentException("an opening is exactly " + OPENING_LENGTH + " bytes");
        }
        MessageDigest sha256 = sha256();
        sha256.update(DOMAIN);
        sha256.update(opening);
        // The path never holds a NUL (PersonalField allows none), so path and value cannot run into each other.
        sha256.update(field.path().getBytes(StandardCharsets.UTF_8));
        sha256.update((byte) 0);
        sha256.update(CanonicalJson.canonicalBytes(value));
        return new Hash(sha256.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}
