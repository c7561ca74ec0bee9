package io.stenographer.domain.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stenographer.domain.merkle.Hash;
import io.stenographer.domain.merkle.MerkleHashes;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class SignedNoteTest {

    private static final KeyPair KEYS = Ed25519Keys.generate();
    private static final NoteSigner SIGNER = new NoteSigner("example.com/log", KEYS.getPrivate());
    private static final Hash ROOT = MerkleHashes.leafHash(new byte[] {1, 2, 3});

    @Test
    void signsAndVerifiesACheckpoint() {
        Checkpoint checkpoint = Checkpoint.of("example.com/log", 42, ROOT);
        SignedNote note = checkpoint.sign(SIGNER);
        String wire = note.serialize();

        assertThat(wire).startsWith("example.com/log\n42\n" + ROOT.base64() + "\n\n\u2014 example.com/log ");
        assertThat(wire).endsWith("\n");
        SignedNote parsed = SignedNote.parse(wire);
        assertThat(parsed).isEqualTo(note);
        assertThat(SIGNER.verifier().verify(parsed)).isTrue();
        assertThat(Checkpoint.verifiedFrom(parsed, SIGNER.verifier())).isEqualTo(checkpoint);
        // key id || 64-byte signature
        assertThat(Base64.getDecoder().decode(wire.substring(wire.lastIndexOf(' ') + 1).trim())).hasSize(68);
    }

    @Test
    void keyIdIsTheHashOfNameNewlineTypeAndKey() throws Exception {
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        sha256.update("example.com/log\n".getBytes(StandardCharsets.UTF_8));
        sha256.update((byte) 0x01);
        sha256.update(Ed25519Keys.rawPublicKey(KEYS.getPublic()));
        byte[] hash = sha256.digest();
        int expected = ((hash[0] & 0xff) << 24) | ((hash[1] & 0xff) << 16) | ((hash[2] & 0xff) << 8) | (hash[3] & 0xff);
        assertThat(SIGNER.keyId()).isEqualTo(expected);
        assertThat(SIGNER.verifier().publicKey().getEncoded()).isEqualTo(KEYS.getPublic().getEncoded());
    }

    @Test
    void tamperedBodyFails() {
        SignedNote note = SIGNER.sign("example.com/log\n1\n" + ROOT.base64() + "\n");
        SignedNote tampered = new SignedNote("example.com/log\n2\n" + ROOT.base64() + "\n", note.signatures());
        assertThat(SIGNER.verifier().verify(tampered)).isFalse();
    }

    @Test
    void tamperedSignatureFails() {
        SignedNote note = SIGNER.sign("hello\n");
        NoteSignature original = note.signatures().get(0);
        byte[] bytes = original.signature();
        bytes[10] ^= 0x40;
        SignedNote tampered = new SignedNote("hello\n",
                List.of(new NoteSignature(original.keyName(), original.keyId(), bytes)));
        assertThat(SIGNER.verifier().verify(tampered)).isFalse();
        SignedNote truncated = new SignedNote("hello\n",
                List.of(new NoteSignature(original.keyName(), original.keyId(), new byte[] {1, 2, 3})));
        assertThat(SIGNER.verifier().verify(truncated)).isFalse();
    }

    @Test
    void wrongKeyFails() {
        SignedNote note = SIGNER.sign("hello\n");
        NoteSigner other = new NoteSigner("example.com/log", Ed25519Keys.generate().getPrivate());
        assertThat(other.verifier().verify(note)).isFalse();
        NoteSigner renamed = new NoteSigner("example.com/other", KEYS.getPrivate());
        assertThat(renamed.verifier().verify(note)).isFalse();
    }

    @Test
    void ignoresSignaturesFromUnknownKeysButRejectsABadOneFromOurs() {
        NoteSigner witness = new NoteSigner("witness.example", Ed25519Keys.generate().getPrivate());
        SignedNote cosigned = SIGNER.sign("hello\n").withSignature(witness.signature("hello\n"));
        assertThat(SIGNER.verifier().verify(cosigned)).isTrue();
        assertThat(witness.verifier().verify(cosigned)).isTrue();
        assertThat(SignedNote.parse(cosigned.serialize())).isEqualTo(cosigned);

        SignedNote onlyOthers = witness.sign("hello\n");
        assertThat(SIGNER.verifier().verify(onlyOthers)).isFalse();

        // A second "signature" under our name and id that does not verify spoils the note.
        NoteSignature forged = new NoteSignature(SIGNER.name(), SIGNER.keyId(), new byte[64]);
        assertThat(SIGNER.verifier().verify(SIGNER.sign("hello\n").withSignature(forged))).isFalse();
    }

    @Test
    void verifierKeyRoundTrips() {
        String vkey = SIGNER.verifier().toVerifierKey();
        assertThat(vkey).startsWith("example.com/log+" + SIGNER.verifier().keyIdHex() + "+A");
        NoteVerifier parsed = NoteVerifier.parse(vkey);
        assertThat(parsed).isEqualTo(SIGNER.verifier());
        assertThat(parsed.toVerifierKey()).isEqualTo(vkey);
        assertThat(parsed.verify(SIGNER.sign("hello\n"))).isTrue();
    }

    @Test
    void rejectsMalformedVerifierKeys() {
        String vkey = SIGNER.verifier().toVerifierKey();
        String[] parts = vkey.split("\\+", 3);
        String wrongId = parts[1].equals("00000000") ? "00000001" : "00000000";
        assertThatThrownBy(() -> NoteVerifier.parse(parts[0] + "+" + wrongId + "+" + parts[2]))
                .hasMessageContaining("does not match");
        assertThatThrownBy(() -> NoteVerifier.parse(parts[0] + "+" + parts[1])).hasMessageContaining("<name>");
        assertThatThrownBy(() -> NoteVerifier.parse(parts[0] + "+1234+" + parts[2])).hasMessageContaining("8 hex");
        assertThatThrownBy(() -> NoteVerifier.parse(parts[0] + "+" + parts[1] + "+AAAA")).hasMessageContaining("0x01");
        assertThatThrownBy(() -> NoteVerifier.parse("+" + parts[1] + "+" + parts[2])).hasMessageContaining("name");
        assertThatThrownBy(() -> NoteVerifier.parse(parts[0] + "+" + parts[1] + "+" + parts[2] + "!"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejectsInvalidKeyNames() {
        assertThatThrownBy(() -> new NoteSigner("", KEYS.getPrivate())).hasMessageContaining("name");
        assertThatThrownBy(() -> new NoteSigner("a b", KEYS.getPrivate())).hasMessageContaining("spaces");
        assertThatThrownBy(() -> new NoteSigner("a+b", KEYS.getPrivate())).hasMessageContaining("'+'");
        assertThatThrownBy(() -> new NoteSigner("a\u00a0b", KEYS.getPrivate())).hasMessageContaining("spaces");
    }

    @Test
    void refusesToSignTextThatIsNotANote() {
        assertThatThrownBy(() -> SIGNER.sign("no final newline")).hasMessageContaining("newline");
        assertThatThrownBy(() -> SIGNER.sign("")).hasMessageContaining("newline");
        assertThatThrownBy(() -> SIGNER.sign("tab\there\n")).hasMessageContaining("U+0009");
        assertThatThrownBy(() -> SIGNER.sign("cr\r\n")).hasMessageContaining("U+000D");
        assertThatThrownBy(() -> SIGNER.sign("half \ud800\n")).hasMessageContaining("surrogate");
    }

    @Test
    void parsesStrictly() {
        String good = SIGNER.sign("text\n\nwith a blank line\n").serialize();
        assertThat(SignedNote.parse(good).body()).isEqualTo("text\n\nwith a blank line\n");

        String sigLine = good.substring(good.lastIndexOf("\n\n") + 2);
        assertThatThrownBy(() -> SignedNote.parse("text\n" + sigLine)).hasMessageContaining("blank line");
        assertThatThrownBy(() -> SignedNote.parse("text\n\n")).hasMessageContaining("no signature");
        assertThatThrownBy(() -> SignedNote.parse(good.substring(0, good.length() - 1))).hasMessageContaining("newline");
        assertThatThrownBy(() -> SignedNote.parse("text\n\n- example.com/log AAAAAAA=\n")).hasMessageContaining("em dash");
        assertThatThrownBy(() -> SignedNote.parse("text\n\n\u2014 example.com/log\n")).hasMessageContaining("<key name>");
        assertThatThrownBy(() -> SignedNote.parse("text\n\n\u2014 example.com/log AAAA AAAA\n")).hasMessageContaining("<key name>");
        assertThatThrownBy(() -> SignedNote.parse("text\n\n\u2014 example.com/log AAAA\n")).hasMessageContaining("too short");
        assertThatThrownBy(() -> SignedNote.parse("text\n\n\u2014 example.com/log AAAAAAA\n")).hasMessageContaining("canonical");
        assertThatThrownBy(() -> SignedNote.parse("text\n\n\u2014 example.com/log AAAA!AA=\n")).hasMessageContaining("base64");
        assertThatThrownBy(() -> SignedNote.parse("text\n\n\u2014 a+b AAAAAAA=\n")).hasMessageContaining("'+'");
        assertThatThrownBy(() -> SignedNote.parse("te\u0000xt\n" + "\n" + sigLine)).hasMessageContaining("U+0000");
        assertThatThrownBy(() -> SignedNote.parse("text\r\n\n" + sigLine)).hasMessageContaining("U+000D");
        assertThatThrownBy(() -> SignedNote.parse("text\n\n" + sigLine.repeat(101))).hasMessageContaining("more than 100");
        assertThat(SignedNote.parse("text\n\n" + sigLine.repeat(16)).signatures()).hasSize(16);
    }

    @Test
    void noteRecordValidatesItsFields() {
        NoteSignature signature = SIGNER.signature("x\n");
        assertThatThrownBy(() -> new SignedNote("x\n", List.of())).hasMessageContaining("signatures");
        assertThatThrownBy(() -> new SignedNote("x", List.of(signature))).hasMessageContaining("body");
        assertThatThrownBy(() -> new NoteSignature("n", 1, new byte[0])).hasMessageContaining("signature");
        byte[] bytes = signature.signature();
        bytes[0] ^= 1;
        assertThat(signature.signature()).isNotEqualTo(bytes); // defensive copy
    }
}
