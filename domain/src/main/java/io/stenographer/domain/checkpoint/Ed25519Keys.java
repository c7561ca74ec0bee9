package io.stenographer.domain.checkpoint;

import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.EdECKey;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Objects;

/**
 * Ed25519 key handling with nothing but the JDK: generation, raw 32-byte public keys (the form
 * signed notes use), public key derivation, and PEM files.
 */
public final class Ed25519Keys {

    /** DER prefix of an X.509 SubjectPublicKeyInfo for Ed25519 (OID 1.3.101.112), before the 32 key bytes. */
    private static final byte[] SPKI_PREFIX = {
        0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00
    };
    public static final int RAW_KEY_LENGTH = 32;

    private static final String PRIVATE_PEM = "PRIVATE KEY";
    private static final String PUBLIC_PEM = "PUBLIC KEY";

    private Ed25519Keys() {
    }

    public static KeyPair generate() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no Ed25519 key pair generator", e);
        }
    }

    /** The 32-byte RFC 8032 encoding of an Ed25519 public key. */
    public static byte[] rawPublicKey(PublicKey publicKey) {
        requireEd25519(publicKey, "publicKey");
        byte[] encoded = publicKey.getEncoded();
        if (encoded == null || encoded.length != SPKI_PREFIX.length + RAW_KEY_LENGTH
                || !Arrays.equals(encoded, 0, SPKI_PREFIX.length, SPKI_PREFIX, 0, SPKI_PREFIX.length)) {
            throw new IllegalArgumentException("publicKey does not have an Ed25519 X.509 encoding");
        }
        return Arrays.copyOfRange(encoded, SPKI_PREFIX.length, encoded.length);
    }

    /** An Ed25519 public key from its 32 raw bytes. */
    public static PublicKey publicKeyFromRaw(byte[] raw) {
        Objects.requireNonNull(raw, "raw");
        if (raw.length != RAW_KEY_LENGTH) {
            throw new IllegalArgumentException("raw Ed25519 public key must be " + RAW_KEY_LENGTH
                    + " bytes, was " + raw.length);
        }
        byte[] spki = Arrays.copyOf(SPKI_PREFIX, SPKI_PREFIX.length + RAW_KEY_LENGTH);
        System.arraycopy(raw, 0, spki, SPKI_PREFIX.length, RAW_KEY_LENGTH);
        try {
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not a valid Ed25519 public key: " + e.getMessage(), e);
        }
    }

    /**
     * The public key that belongs to an Ed25519 private key. The JDK has no public API for this,
     * but its key pair generator derives the public key from 32 random bytes, which are exactly
     * the private key; feeding it the private key as its "randomness" yields the matching pair.
     * The result is checked, so a JDK that generated keys differently fails loudly, not silently.
     */
    public static PublicKey derivePublicKey(PrivateKey privateKey) {
        requireEd25519(privateKey, "privateKey");
        byte[] seed = ((EdECPrivateKey) privateKey).getBytes()
                .orElseThrow(() -> new IllegalArgumentException("privateKey does not expose its bytes"));
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
            generator.initialize(NamedParameterSpec.ED25519, new FixedBytes(seed));
            KeyPair pair = generator.generateKeyPair();
            byte[] derivedSeed = ((EdECPrivateKey) pair.getPrivate()).getBytes().orElse(new byte[0]);
            if (!Arrays.equals(seed, derivedSeed)) {
                throw new IllegalStateException("this JDK's Ed25519 generator did not use the given seed");
            }
            return pair.getPublic();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("could not derive the Ed25519 public key", e);
        } finally {
            Arrays.fill(seed, (byte) 0);
        }
    }

    /** PKCS#8 PEM ("-----BEGIN PRIVATE KEY-----"), the format openssl genpkey -algorithm ed25519 writes. */
    public static String privateKeyToPem(PrivateKey privateKey) {
        requireEd25519(privateKey, "privateKey");
        return Pem.encode(PRIVATE_PEM, privateKey.getEncoded());
    }

    public static PrivateKey privateKeyFromPem(String pem) {
        return privateKeyFromPkcs8(Pem.decode(PRIVATE_PEM, pem));
    }

    /**
     * An Ed25519 private key from its unencrypted PKCS#8 DER encoding (for example the plaintext of an encrypted
     * key file). The array is zeroed afterwards.
     */
    public static PrivateKey privateKeyFromPkcs8(byte[] der) {
        Objects.requireNonNull(der, "der");
        try {
            PrivateKey key = KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(der));
            requireEd25519(key, "PEM private key");
            return key;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("PEM does not hold an Ed25519 PKCS#8 private key: " + e.getMessage(), e);
        } finally {
            Arrays.fill(der, (byte) 0);
        }
    }

    /** X.509 SubjectPublicKeyInfo PEM ("-----BEGIN PUBLIC KEY-----"). */
    public static String publicKeyToPem(PublicKey publicKey) {
        requireEd25519(publicKey, "publicKey");
        return Pem.encode(PUBLIC_PEM, publicKey.getEncoded());
    }

    public static PublicKey publicKeyFromPem(String pem) {
        byte[] der = Pem.decode(PUBLIC_PEM, pem);
        try {
            PublicKey key = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
            requireEd25519(key, "PEM public key");
            return key;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("PEM does not hold an Ed25519 public key: " + e.getMessage(), e);
        }
    }

    static void requireEd25519(Key key, String what) {
        Objects.requireNonNull(key, what);
        if (!(key instanceof EdECKey)
                || !"Ed25519".equalsIgnoreCase(((EdECKey) key).getParams().getName())) {
            throw new IllegalArgumentException(what + " must be an Ed25519 key, was " + key.getAlgorithm());
        }
    }

    /** A SecureRandom that hands out one fixed 32-byte value, used only by {@link #derivePublicKey}. */
    private static final class FixedBytes extends SecureRandom {
        private static final long serialVersionUID = 1L;
        private final byte[] value;
        private boolean used;

        FixedBytes(byte[] value) {
            this.value = value.clone();
        }

        @Override
        public void nextBytes(byte[] bytes) {
            if (used || bytes.length != value.length) {
                throw new IllegalStateException("unexpected request for random bytes");
            }
            used = true;
            System.arraycopy(value, 0, bytes, 0, value.length);
            Arrays.fill(value, (byte) 0);
        }
    }
}
