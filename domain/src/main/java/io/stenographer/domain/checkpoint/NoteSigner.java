package io.stenographer.domain.checkpoint;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.List;
import java.util.Objects;

/** Signs note texts with one named Ed25519 key (C2SP signed-note, signature type 0x01). */
public final class NoteSigner {

    private final String name;
    private final PrivateKey privateKey;
    private final NoteVerifier verifier;

    /** The public key, and so the key id, is derived from the private key. */
    public NoteSigner(String name, PrivateKey privateKey) {
        NoteText.requireValidKeyName(name, "name");
        Ed25519Keys.requireEd25519(privateKey, "privateKey");
        this.name = name;
        this.privateKey = privateKey;
        this.verifier = new NoteVerifier(name, Ed25519Keys.derivePublicKey(privateKey));
    }

    public String name() {
        return name;
    }

    /** First 4 bytes of SHA-256(name || 0x0A || 0x01 || public key), big-endian. */
    public int keyId() {
        return verifier.keyId();
    }

    /** The verifier for this key, to publish as {@link NoteVerifier#toVerifierKey()}. */
    public NoteVerifier verifier() {
        return verifier;
    }

    /** Signs the note text (which must end in a newline) and returns the signed note. */
    public SignedNote sign(String body) {
        // Validate before signing: never sign a text that cannot be serialised as a note.
        SignedNote.requireValidBody(body);
        return new SignedNote(body, List.of(signature(body)));
    }

    /** A signature line for the text, for adding to a note signed by others. */
    public NoteSignature signature(String body) {
        Objects.requireNonNull(body, "body");
        try {
            Signature signer = Signature.getInstance("Ed25519");
            signer.initSign(privateKey);
            signer.update(body.getBytes(StandardCharsets.UTF_8));
            return new NoteSignature(name, keyId(), signer.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 signing failed", e);
        }
    }

    @Override
    public String toString() {
        return "NoteSigner[" + verifier.toVerifierKey() + "]"; // never the private key
    }
}
