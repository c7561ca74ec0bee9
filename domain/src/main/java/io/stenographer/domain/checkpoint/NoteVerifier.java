package io.stenographer.domain.checkpoint;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Verifies Ed25519 signed notes for one key, identified as the C2SP signed-note spec does by its
 * name and 32-bit key id. Its text form is the verifier key {@code <name>+<hex id>+<base64(0x01 || key)>},
 * the same format the Go checksum database publishes.
 */
public final class NoteVerifier {

    /** Signature type byte for Ed25519 in the signed-note spec. */
    static final byte ED25519_TYPE = 0x01;
    private static final int ED25519_SIGNATURE_LENGTH = 64;

    private final String name;
    private final int keyId;
    private final PublicKey publicKey;
    private final byte[] rawPublicKey;

    public NoteVerifier(String name, PublicKey publicKey) {
        NoteText.requireValidKeyName(name, "name");
        this.rawPublicKey = Ed25519Keys.rawPublicKey(publicKey);
        this.name = name;
        this.publicKey = publicKey;
        this.keyId = keyId(name, rawPublicKey);
    }

    /**
     * Parses a verifier key. The key id in it must match the one computed from the name and key,
     * so a typo in either is caught here rather than as a mysterious verification failure.
     */
    public static NoteVerifier parse(String verifierKey) {
        Objects.requireNonNull(verifierKey, "verifierKey");
        // The name has no '+' but the base64 key may, so split only twice.
        String[] parts = verifierKey.split("\\+", 3);
        if (parts.length != 3) {
            throw new IllegalArgumentException("verifier key must be '<name>+<hex key id>+<base64 key>'");
        }
        String name = parts[0];
        String idHex = parts[1];
        if (idHex.length() != 8 || !idHex.chars().allMatch(c -> Character.digit(c, 16) >= 0 && c < 0x80)) {
            throw new IllegalArgumentException("verifier key id must be 8 hex digits, was '" + idHex + "'");
        }
        int declaredId = Integer.parseUnsignedInt(idHex, 16);
        byte[] keyData;
        try {
            keyData = Base64.getDecoder().decode(parts[2]);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("verifier key data is not valid base64: " + e.getMessage(), e);
        }
        if (keyData.length != 1 + Ed25519Keys.RAW_KEY_LENGTH || keyData[0] != ED25519_TYPE) {
            throw new IllegalArgumentException("verifier key data must be 0x01 followed by a 32-byte Ed25519 key");
        }
        NoteVerifier verifier = new NoteVerifier(name,
                Ed25519Keys.publicKeyFromRaw(Arrays.copyOfRange(keyData, 1, keyData.length)));
        if (verifier.keyId != declaredId) {
            throw new IllegalArgumentException("verifier key id " + idHex + " does not match the key id "
                    + verifier.keyIdHex() + " computed from its name and public key");
        }
        return verifier;
    }

    /** key id = first 4 bytes, big-endian, of SHA-256(name || 0x0A || 0x01 || raw public key). */
    public static int keyId(String name, byte[] rawPublicKey) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(rawPublicKey, "rawPublicKey");
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(name.getBytes(StandardCharsets.UTF_8));
            digest.update((byte) '\n');
            digest.update(ED25519_TYPE);
            digest.update(rawPublicKey);
            byte[] hash = digest.digest();
            return ((hash[0] & 0xff) << 24) | ((hash[1] & 0xff) << 16) | ((hash[2] & 0xff) << 8) | (hash[3] & 0xff);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-256", e);
        }
    }

    public String toVerifierKey() {
        byte[] keyData = new byte[1 + rawPublicKey.length];
        keyData[0] = ED25519_TYPE;
        System.arraycopy(rawPublicKey, 0, keyData, 1, rawPublicKey.length);
        return name + "+" + keyIdHex() + "+" + Base64.getEncoder().encodeToString(keyData);
    }

    /**
     * Whether the note carries a valid signature by this key. Signatures by other keys are ignored;
     * a signature that claims to be ours (same name and key id) but does not verify makes the
     * whole note fail, as the spec recommends.
     */
    public boolean verify(SignedNote note) {
        Objects.requireNonNull(note, "note");
        byte[] message = note.body().getBytes(StandardCharsets.UTF_8);
        boolean verified = false;
        for (NoteSignature signature : note.signatures()) {
            if (!signature.keyName().equals(name) || signature.keyId() != keyId) {
                continue;
            }
            if (!verifySignature(message, signature.signature())) {
                return false;
            }
            verified = true;
        }
        return verified;
    }

    /** Whether the bytes are a valid signature of the message by this key; the key set checks one line at a time. */
    boolean verifySignature(byte[] message, byte[] signature) {
        if (signature.length != ED25519_SIGNATURE_LENGTH) {
            return false;
        }
        try {
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(publicKey);
            verifier.update(message);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    public String name() {
        return name;
    }

    public int keyId() {
        return keyId;
    }

    public String keyIdHex() {
        return HexFormat.of().toHexDigits(keyId);
    }

    public PublicKey publicKey() {
        return publicKey;
    }

    public byte[] rawPublicKey() {
        return rawPublicKey.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof NoteVerifier
                && name.equals(((NoteVerifier) other).name)
                && Arrays.equals(rawPublicKey, ((NoteVerifier) other).rawPublicKey);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(rawPublicKey);
    }

    @Override
    public String toString() {
        return "NoteVerifier[" + toVerifierKey() + "]";
    }
}
