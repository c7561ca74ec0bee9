package io.stenographer.domain.checkpoint;

import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/**
 * One signature line of a signed note: key name, 32-bit key id and the signature bytes. Lines
 * from keys we do not know are kept as they are, so a note can be re-serialised unchanged.
 */
public record NoteSignature(String keyName, int keyId, byte[] signature) {

    public NoteSignature {
        NoteText.requireValidKeyName(keyName, "keyName");
        Objects.requireNonNull(signature, "signature");
        if (signature.length == 0) {
            throw new IllegalArgumentException("signature must not be empty");
        }
        signature = signature.clone();
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    /** The line as it appears in a note: em dash, space, name, space, base64(key id || signature), newline. */
    public String line() {
        byte[] payload = new byte[4 + signature.length];
        payload[0] = (byte) (keyId >>> 24);
        payload[1] = (byte) (keyId >>> 16);
        payload[2] = (byte) (keyId >>> 8);
        payload[3] = (byte) keyId;
        System.arraycopy(signature, 0, payload, 4, signature.length);
        return "\u2014 " + keyName + " " + Base64.getEncoder().encodeToString(payload) + "\n";
    }

    /** The key id as the 8 lowercase hex digits verifier keys use. */
    public String keyIdHex() {
        return String.format("%08x", keyId);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof NoteSignature
                && keyName.equals(((NoteSignature) other).keyName)
                && keyId == ((NoteSignature) other).keyId
                && Arrays.equals(signature, ((NoteSignature) other).signature);
    }

    @Override
    public int hashCode() {
        return Objects.hash(keyName, keyId) * 31 + Arrays.hashCode(signature);
    }

    @Override
    public String toString() {
        return "NoteSignature[keyName=" + keyName + ", keyId=" + keyIdHex() + ", " + signature.length + " bytes]";
    }
}
