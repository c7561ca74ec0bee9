package io.stenographer.bootstrap.privacy;

import java.util.Optional;

/**
 * The passphrase that encrypts the personal-data keyring file ({@value #SETTING}; in production the
 * {@code STENOGRAPHER_PRIVACY_KEYRING_PASSPHRASE} environment variable). Its own setting, not the signing key's, so
 * that one leaked passphrase does not open both. It never prints.
 */
public final class KeyringPassphrase {

    /** The setting, named in error messages. */
    public static final String SETTING = "stenographer.privacy.keyring-passphrase";

    private final char[] value;

    private KeyringPassphrase(String value) {
        this.value = value.toCharArray();
    }

    /** No passphrase when the setting is absent or empty. */
    public static Optional<KeyringPassphrase> of(Optional<String> configured) {
        return configured.filter(s -> !s.isEmpty()).map(KeyringPassphrase::new);
    }

    /** A copy the caller clears after use. */
    char[] chars() {
        return value.clone();
    }

    @Override
    public String toString() {
        return "KeyringPassphrase[hidden]";
    }
}
