package io.stenographer.domain.sink;

import io.stenographer.domain.event.FieldViolation;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * A webhook signing secret, as the Standard Webhooks specification writes it: {@code whsec_<base64>} for an
 * HMAC-SHA256 key (signature scheme {@code v1}), {@code whsk_<base64>} for an Ed25519 private key, the 32-byte seed
 * (scheme {@code v1a}). Write-only: the API never returns one, audit events and logs carry its
 * {@link #fingerprint()} only, and {@link #toString()} hides it.
 */
public final class WebhookSecret {

    public static final int MAX_SECRETS = 4;

    public enum Scheme {
        /** HMAC-SHA256. */
        V1("v1", "whsec_"),
        /** Ed25519. */
        V1A("v1a", "whsk_");

        private final String signaturePrefix;
        private final String keyPrefix;

        Scheme(String signaturePrefix, String keyPrefix) {
            this.signaturePrefix = signaturePrefix;
            this.keyPrefix = keyPrefix;
        }

        /** What precedes the signature in the {@code webhook-signature} header: {@code v1} or {@code v1a}. */
        public String signaturePrefix() {
            return signaturePrefix;
        }

        public String keyPrefix() {
            return keyPrefix;
        }
    }

    private final Scheme scheme;
    private final byte[] key;

    private WebhookSecret(Scheme scheme, byte[] key) {
        this.scheme = scheme;
        this.key = key;
    }

    /** @throws FieldViolation naming {@code field} when the text is not a secret of either scheme */
    public static WebhookSecret parse(String field, String text) {
        if (text == null || text.isEmpty()) {
            throw new FieldViolation(field, "is required");
        }
        for (Scheme scheme : Scheme.values()) {
            if (text.startsWith(scheme.keyPrefix)) {
                byte[] key;
                try {
                    key = Base64.getDecoder().decode(text.substring(scheme.keyPrefix.length()));
                } catch (IllegalArgumentException e) {
                    throw new FieldViolation(field, "the part after '" + scheme.keyPrefix + "' must be base64");
                }
                if (scheme == Scheme.V1 && (key.length < 24 || key.length > 64)) {
                    throw new FieldViolation(field, "an HMAC secret must decode to 24 to 64 bytes");
                }
                if (scheme == Scheme.V1A && key.length != 32) {
                    throw new FieldViolation(field, "an Ed25519 secret must decode to its 32-byte seed");
                }
                return new WebhookSecret(scheme, key);
            }
        }
        throw new FieldViolation(field, "must start with 'whsec_' (HMAC-SHA256) or 'whsk_' (Ed25519)");
    }

    public Scheme scheme() {
        return scheme;
    }

    /** The raw key bytes (a copy): the HMAC key, or the Ed25519 seed. */
    public byte[] key() {
        return key.clone();
    }

    /** The secret as it was written ({@code whsec_...}): for storage only, never for display. */
    public String serialize() {
        return scheme.keyPrefix + Base64.getEncoder().encodeToString(key);
    }

    /**
     * The first 16 hex digits of SHA-256 over the scheme and the key: enough to tell secrets apart in audit events
     * and status, useless for recovering the secret.
     */
    public String fingerprint() {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(scheme.keyPrefix.getBytes(StandardCharsets.US_ASCII));
            sha256.update(key);
            return scheme.signaturePrefix + ":" + HexFormat.of().formatHex(sha256.digest(), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof WebhookSecret secret && secret.scheme == scheme
                && MessageDigest.isEqual(secret.key, key);
    }

    @Override
    public int hashCode() {
        return scheme.hashCode() * 31 + Arrays.hashCode(key);
    }

    @Override
    public String toString() {
        return "WebhookSecret[" + fingerprint() + "]";
    }
}
