package io.stenographer.verifier;

import static org.assertj.core.api.Assertions.assertThat;

import io.stenographer.domain.checkpoint.Checkpoint;
import io.stenographer.domain.checkpoint.Ed25519Keys;
import io.stenographer.domain.checkpoint.KeySet;
import io.stenographer.domain.checkpoint.NoteSigner;
import io.stenographer.domain.checkpoint.SignedNote;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI given a key-set file for a log whose key was rotated at size 6. */
class KeySetCommandTest {

    @TempDir
    Path dir;

    private final LogFixture log = new LogFixture(9);
    private final NoteSigner newKey = new NoteSigner(LogFixture.ORIGIN, Ed25519Keys.generate().getPrivate());

    private Path keySet() throws IOException {
        KeySet keys = KeySet.single(log.signer.verifier()).rotatedTo(newKey.verifier(), 6);
        return Files.writeString(dir.resolve("acme.keys"), keys.toText());
    }

    private Path checkpoint(String name, long size, NoteSigner... signers) throws IOException {
        String body = Checkpoint.of(LogFixture.ORIGIN, size, log.tree.root(size)).body();
        SignedNote note = signers[0].sign(body);
        for (int i = 1; i < signers.length; i++) {
            note = note.withSignature(signers[i].signature(body));
        }
        return Files.writeString(dir.resolve(name), note.serialize());
    }

    private Cli verify(Path checkpoint) throws IOException {
        return Cli.run("verify-checkpoint", "--checkpoint", checkpoint.toString(), "--origin", LogFixture.ORIGIN,
                "--key", keySet().toString());
    }

    @Test
    void oldHandoverAndNewCheckpointsVerify() throws IOException {
        Cli before = verify(checkpoint("before.note", 4, log.signer));
        assertThat(before.exit()).as(before.toString()).isZero();
        assertThat(before.out()).endsWith("signed by example/acme+" + log.signer.verifier().keyIdHex() + "\n");
        Cli handover = verify(checkpoint("handover.note", 6, log.signer, newKey));
        assertThat(handover.exit()).as(handover.toString()).isZero();
        assertThat(handover.out()).endsWith("signed by example/acme+" + log.signer.verifier().keyIdHex()
                + ", example/acme+" + newKey.verifier().keyIdHex() + "\n");
        Cli after = verify(checkpoint("after.note", 9, newKey));
        assertThat(after.exit()).as(after.toString()).isZero();
    }

    @Test
    void theNewKeyBeforeTheRotationIsRejected() throws IOException {
        Cli backdated = verify(checkpoint("backdated.note", 4, newKey));
        assertThat(backdated.exit()).isEqualTo(1);
        assertThat(backdated.err()).contains("valid only for sizes 6..");
    }

    @Test
    void aBundleExportedBeforeTheRotationVerifiesWithTheKeySet() throws IOException {
        Path bundle = log.writeBundle(dir.resolve("old.ndjson"), 0, 9, i -> false);
        KeySet rotatedLater = KeySet.single(log.signer.verifier()).rotatedTo(newKey.verifier(), 20);
        Path keys = Files.writeString(dir.resolve("later.keys"), rotatedLater.toText());
        Cli result = Cli.run("verify-bundle", "--bundle", bundle.toString(), "--key", keys.toString(), "--origin",
                LogFixture.ORIGIN);
        assertThat(result.exit()).as(result.toString()).isZero();
    }
}
