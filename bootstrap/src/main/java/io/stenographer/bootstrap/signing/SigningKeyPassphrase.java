package io.stenographer.bootstrap.signing;

import java.util.Objects;
import java.util.Optional;

/**
 * The passphrase of encrypted signing key files ({@code stenographer.log.signing-key-passphrase}). It never prints:
 * {@link #toString()} hides it, so a log line or exception message that mentions it by mistake shows nothing.
 */
public final class SigningKeyPassphrase {

    /** The setting, named in error messages. */
    public static final String SETTING = "stenographer.log.signing-key-passphrase";

    private final char[] value;

    private SigningKeyPassphrase(char[] value) {
        this.value = value;
    }

    /** No passphrase when the setting is absent or empty. */
    public static Optional<SigningKeyPassphrase> of(Optional<String> configured) {
        Objects.requireNonNull(configured, "configured");
        return configured.filter(s -> !s.isEmpty()).map(s -> new SigningKeyPassphrase(s.toCharArray()));
    }

    public static SigningKeyPassphrase of(String passphrase) {
        Objects.requireNonNull(passphrase, "passphrase");
        return new SigningKeyPassphrase(passphrase.toCharArray());
    }

    /** A copy the caller clears after use. */
    char[] chars() {
        return value.clone();
    }

    @Override
    public String toString() {
        return "SigningKeyPassphrase[hidden]";
    }
}
