package io.stenographer.domain.privacy;

/**
 * An encrypted personal value cannot be read: the key is wrong (or was destroyed and replaced), the value was moved
 * to another tenant, event or field, or its bytes were altered. AES-GCM cannot tell these apart, so neither does this.
 * The message never holds plaintext or key bytes.
 */
public final class PersonalDataUnreadable extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public PersonalDataUnreadable(String detail) {
        super("the personal value cannot be read (wrong key, wrong binding or altered ciphertext): " + detail);
    }
}
