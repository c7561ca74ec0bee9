package io.stenographer.domain.checkpoint;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stenographer.domain.merkle.Hash;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What someone holding a stolen, forged or retired key could try against a rotated log's key set. */
class KeyRotationAttackTest {

    private static final Hash ROOT = Hash.fromHex("5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328");
    private static final Hash OTHER_ROOT = Hash.fromHex("0000000000000000000000000000000000000000000000000000000000000001");
    private static final String ORIGIN = "stenographer.example/log/acme";
    private static final String NAME = "stenographer.example";

    private final NoteSigner oldKey = new NoteSigner(NAME, Ed25519Keys.generate().getPrivate());
    private final NoteSigner newKey = new NoteSigner(NAME, Ed25519Keys.generate().getPrivate());
    private final KeySet keys = KeySet.single(oldKey.verifier()).rotatedTo(newKey.verifier(), 10);

    private static String body(long size, Hash root) {
        return Checkpoint.of(ORIGIN, size, root).body();
    }

    @Test
    void aCheckpointSignedByAnUnknownKeyIsRejected() {
        NoteSigner stranger = new NoteSigner(NAME, Ed25519Keys.generate().getPrivate());
        assertThatThrownBy(() -> keys.verify(stranger.sign(body(20, ROOT))))
                .hasMessageContaining("no signature by a key in the key set");
    }

    @Test
    void aForgedSignatureUnderTheCurrentKeysNameAndIdIsRejected() {
        // Attacker copies the real key's name and id onto a signature made with their own key.
        NoteSigner forger = new NoteSigner(NAME, Ed25519Keys.generate().getPrivate());
        NoteSignature forged = forger.signature(body(20, ROOT));
        SignedNote note = new SignedNote(body(20, ROOT),
                List.of(new NoteSignature(NAME, newKey.keyId(), forged.signature())));
        assertThatThrownBy(() -> keys.verify(note)).hasMessageContaining("does not verify");
    }

    @Test
    void theNewKeyCannotSignAPointBeforeTheRotation() {
        // Someone with the new key rewrites history before the handover and signs it as if it were current.
        assertThatThrownBy(() -> keys.verify(newKey.sign(body(9, OTHER_ROOT))))
                .hasMessageContaining("valid only for sizes 10..");
    }

    @Test
    void aRetiredKeyCannotSignAPointAfterTheRotation() {
        // A stolen or leaked old key must not be able to extend the log after it was retired.
        assertThatThrownBy(() -> keys.verify(oldKey.sign(body(11, OTHER_ROOT))))
                .hasMessageContaining("valid only for sizes 0..10");
    }

    @Test
    void aValidSignatureDoesNotLaunderAnOutOfEraOne() {
        // A correct new-era signature beside a retired-key signature on the same note is still rejected.
        SignedNote note = newKey.sign(body(12, ROOT)).withSignature(oldKey.signature(body(12, ROOT)));
        assertThatThrownBy(() -> keys.verify(note)).hasMessageContaining("valid only for sizes 0..10");
    }

    @Test
    void aSignatureMovedOntoAnotherCheckpointIsRejected() {
        SignedNote genuine = newKey.sign(body(20, ROOT));
        SignedNote moved = new SignedNote(body(20, OTHER_ROOT), genuine.signatures());
        assertThatThrownBy(() -> keys.verify(moved)).hasMessageContaining("does not verify");
    }
}
