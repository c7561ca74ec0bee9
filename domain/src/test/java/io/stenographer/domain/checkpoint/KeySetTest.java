package io.stenographer.domain.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stenographer.domain.merkle.Hash;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class KeySetTest {

    private static final Hash ROOT = Hash.fromHex("5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328");
    private static final String ORIGIN = "stenographer.example/log/acme";

    private final NoteSigner oldKey = new NoteSigner("stenographer.example", Ed25519Keys.generate().getPrivate());
    private final NoteSigner newKey = new NoteSigner("stenographer.example", Ed25519Keys.generate().getPrivate());
    private final KeySet rotatedAt10 = KeySet.single(oldKey.verifier()).rotatedTo(newKey.verifier(), 10);

    private static String body(long size) {
        return Checkpoint.of(ORIGIN, size, ROOT).body();
    }

    @Test
    void aSingleKeySetAcceptsWhatItsKeySigned() {
        assertThat(KeySet.single(oldKey.verifier()).verify(oldKey.sign(body(3))).treeSize()).isEqualTo(3);
    }

    @Test
    void aManifestCountsOnlyASignatureByAKeyStillSigningAtItsTreeSize() {
        SignedNote byOld = oldKey.sign("report manifest\n");
        SignedNote byNew = newKey.sign("report manifest\n");

        // The old key signed sizes up to the handover (10); a manifest of a later size needs the new one.
        assertThat(rotatedAt10.signedByKeyValidAt(byOld, 10)).isTrue();
        assertThat(rotatedAt10.signedByKeyValidAt(byOld, 11)).as("a leaked retired key").isFalse();
        assertThat(rotatedAt10.signedByKeyValidAt(byNew, 11)).isTrue();
        // A report pinned before the handover but signed once the new key was current is honest too.
        assertThat(rotatedAt10.signedByKeyValidAt(byNew, 4)).isTrue();
        NoteSigner stranger = new NoteSigner("stenographer.example", Ed25519Keys.generate().getPrivate());
        assertThat(rotatedAt10.signedByKeyValidAt(stranger.sign("report manifest\n"), 11)).isFalse();
    }

    @Test
    void oldCheckpointsVerifyWithTheOldKeyAndNewOnesWithTheNewKey() {
        assertThat(rotatedAt10.verify(oldKey.sign(body(4))).treeSize()).isEqualTo(4);
        assertThat(rotatedAt10.verify(newKey.sign(body(25))).treeSize()).isEqualTo(25);
    }

    @Test
    void theHandoverCheckpointIsCosignedAndVerifiesWithEitherSignature() {
        SignedNote cosigned = oldKey.sign(body(10)).withSignature(newKey.signature(body(10)));
        assertThat(rotatedAt10.verify(cosigned).treeSize()).isEqualTo(10);
        assertThat(SignedNote.parse(cosigned.serialize())).isEqualTo(cosigned);
        assertThat(cosigned.signatures()).hasSize(2);
        // A verifier that pinned only one of the two keys still follows the log across the handover.
        assertThat(KeySet.single(oldKey.verifier()).verify(cosigned).treeSize()).isEqualTo(10);
        assertThat(KeySet.parse(newKey.verifier().toVerifierKey() + " 10 -").verify(cosigned).treeSize())
                .isEqualTo(10);
    }

    @Test
    void aHandoverCheckpointSignedByOnlyOneKeyIsRefusedByTheFullSet() {
        // A forged era (an attacker's key recorded as "rotated to") cannot produce the old key's half.
        assertThatThrownBy(() -> rotatedAt10.verify(newKey.sign(body(10))))
                .hasMessageContaining("key handover").hasMessageContaining(oldKey.verifier().keyIdHex());
        assertThatThrownBy(() -> rotatedAt10.verify(oldKey.sign(body(10))))
                .hasMessageContaining("key handover").hasMessageContaining(newKey.verifier().keyIdHex());
    }

    @Test
    void rotationClosesTheOldEraAtTheHandoverAndOpensTheNewOne() {
        assertThat(rotatedAt10.eras()).containsExactly(
                new KeySet.Era(oldKey.verifier(), 0, Optional.of(10L)),
                new KeySet.Era(newKey.verifier(), 10, Optional.empty()));
        assertThat(rotatedAt10.current().key()).isEqualTo(newKey.verifier());
    }

    @Test
    void theKeyAtASizeIsTheNewestEraCoveringIt() {
        assertThat(rotatedAt10.keyAt(0)).isEqualTo(oldKey.verifier());
        assertThat(rotatedAt10.keyAt(9)).isEqualTo(oldKey.verifier());
        assertThat(rotatedAt10.keyAt(10)).isEqualTo(newKey.verifier());
        assertThat(rotatedAt10.keyAt(11)).isEqualTo(newKey.verifier());
        KeySet closed = new KeySet(List.of(new KeySet.Era(oldKey.verifier(), 0, Optional.of(5L))));
        assertThatThrownBy(() -> closed.keyAt(6)).hasMessageContaining("size 6");
    }

    @Test
    void aSecondRotationKeepsEveryEra() {
        NoteSigner third = new NoteSigner("stenographer.example", Ed25519Keys.generate().getPrivate());
        KeySet twice = rotatedAt10.rotatedTo(third.verifier(), 40);
        assertThat(twice.verify(oldKey.sign(body(2))).treeSize()).isEqualTo(2);
        assertThat(twice.verify(newKey.sign(body(30))).treeSize()).isEqualTo(30);
        assertThat(twice.verify(third.sign(body(41))).treeSize()).isEqualTo(41);
        assertThatThrownBy(() -> twice.rotatedTo(oldKey.verifier(), 50)).hasMessageContaining("twice");
    }

    @Test
    void signaturesByKeysOutsideTheSetAreIgnored() {
        NoteSigner witness = new NoteSigner("witness.example", Ed25519Keys.generate().getPrivate());
        SignedNote note = oldKey.sign(body(5)).withSignature(witness.signature(body(5)));
        assertThat(rotatedAt10.verify(note).treeSize()).isEqualTo(5);
    }

    @Test
    void textFormRoundTripsAndABareVerifierKeyStillReads() {
        assertThat(KeySet.parse(rotatedAt10.toText())).isEqualTo(rotatedAt10);
        assertThat(rotatedAt10.toText()).isEqualTo(oldKey.verifier().toVerifierKey() + " 0 10\n"
                + newKey.verifier().toVerifierKey() + " 10 -\n");
        assertThat(KeySet.parse(oldKey.verifier().toVerifierKey() + "\n"))
                .isEqualTo(KeySet.single(oldKey.verifier()));
        assertThat(KeySet.parse("# acme's keys\n\n" + rotatedAt10.toText())).isEqualTo(rotatedAt10);
    }

    @Test
    void rejectsMalformedKeySets() {
        String key = oldKey.verifier().toVerifierKey();
        assertThatThrownBy(() -> KeySet.parse("")).hasMessageContaining("at least one key");
        assertThatThrownBy(() -> KeySet.parse(key + " 0")).hasMessageContaining("key set line");
        assertThatThrownBy(() -> KeySet.parse(key + " 5 4")).hasMessageContaining("before firstSize");
        assertThatThrownBy(() -> KeySet.parse(key + " -1 -")).hasMessageContaining("decimal");
        assertThatThrownBy(() -> KeySet.parse(key + " 07 -")).hasMessageContaining("decimal");
        assertThatThrownBy(() -> KeySet.parse(key + " 0 -\n" + key + " 0 -")).hasMessageContaining("twice");
        assertThatThrownBy(() -> rotatedAt10.rotatedTo(
                new NoteSigner("n", Ed25519Keys.generate().getPrivate()).verifier(), 5))
                .hasMessageContaining("outside the current key's era");
    }

    @Test
    void checkpointVerifiesAgainstAKeySet() {
        assertThat(Checkpoint.verifiedFrom(newKey.sign(body(11)), rotatedAt10))
                .isEqualTo(Checkpoint.of(ORIGIN, 11, ROOT));
        assertThat(List.of(rotatedAt10.verify(oldKey.sign(body(0))))).hasSize(1);
    }
}
