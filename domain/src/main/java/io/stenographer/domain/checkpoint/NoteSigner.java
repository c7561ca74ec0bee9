package io.stenographer.domain.checkpoint;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Signs note texts with one named Ed25519 key (C2SP signed-note, signature type 0x01). */
public final class NoteSigner {

    /** What a probe signature is taken over, to hold a plugged-in implementation to the JDK's. */
    private static final byte[] PROBE = "stenographer: Ed25519 implementations must agree\n"
            .getBytes(StandardCharsets.UTF_8);

    private final String name;
    private final PrivateKey privateKey;
    private final NoteVerifier verifier;
    private final Ed25519Signing signing;

    /** The public key, and so the key id, is derived from the private key. Signs with the JDK's Ed25519. */
    public NoteSigner(String name, PrivateKey privateKey) {
        this(name, privateKey, Optional.empty());
    }

    /**
     * Signs with {@code faster}, an implementation of the same key an adapter brings because the JDK's takes about a
     * millisecond a signature. Ed25519 signatures are deterministic, so {@code faster} must give the JDK's bytes:
     * it is checked on a probe here, and refused if it does not.
     */
    public NoteSigner(String name, PrivateKey privateKey, Ed25519Signing faster) {
        this(name, privateKey, Optional.of(faster));
    }

    private NoteSigner(String name, PrivateKey privateKey, Optional<Ed25519Signing> faster) {
        NoteText.requireValidKeyName(name, "name");
        Ed25519Keys.requireEd25519(privateKey, "privateKey");
        this.name = name;
        this.privateKey = privateKey;
        this.verifier = new NoteVerifier(name, Ed25519Keys.derivePublicKey(privateKey));
        if (faster.isPresent() && !Arrays.equals(faster.get().sign(PROBE.clone()), jdkSignature(PROBE))) {
            throw new IllegalArgumentException("the Ed25519 implementation given for key " + name
                    + " does not give the JDK's signature; refusing to sign with it");
        }
        this.signing = faster.orElse(this::jdkSignature);
    }

    /** Produces the RFC 8032 (pure) Ed25519 signature of a message under one fixed key. */
    @FunctionalInterface
    public interface Ed25519Signing {
        byte[] sign(byte[] message);
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
        return new NoteSignature(name, keyId(), signing.sign(body.getBytes(StandardCharsets.UTF_8)));
    }

    private byte[] jdkSignature(byte[] message) {
        try {
            Signature signer = Signature.getInstance("Ed25519");
            signer.initSign(privateKey);
            signer.update(message);
            return signer.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 signing failed", e);
        }
    }

    @Override
    public String toString() {
        return "NoteSigner[" + verifier.toVerifierKey() + "]"; // never the private key
    }
}
