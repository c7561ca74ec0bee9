package io.stenographer.domain.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import io.stenographer.domain.checkpoint.Checkpoint;
import io.stenographer.domain.checkpoint.Ed25519Keys;
import io.stenographer.domain.checkpoint.KeySet;
import io.stenographer.domain.checkpoint.NoteSigner;
import io.stenographer.domain.checkpoint.SignedNote;
import io.stenographer.domain.merkle.Hash;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** Export bundles and tlog-proofs from before and after a key rotation, checked with the log's key set. */
class BundleKeyRotationTest {

    private static final BundleFixture LOG = new BundleFixture(40);
    private static final int HANDOVER = 30;

    private final NoteSigner oldKey = LOG.signer;
    private final NoteSigner newKey = new NoteSigner(BundleFixture.ORIGIN, Ed25519Keys.generate().getPrivate());
    private final KeySet keys = KeySet.single(oldKey.verifier()).rotatedTo(newKey.verifier(), HANDOVER);

    private static SignedNote checkpoint(int size, NoteSigner signer) {
        return Checkpoint.of(BundleFixture.ORIGIN, size, LOG.tree.root(size)).sign(signer);
    }

    /** All leaves of a tree of {@code size}, pinned to the given checkpoint and naming the given key. */
    private static byte[] bundle(int size, SignedNote note, NoteSigner named) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BundleWriter writer = BundleWriter.utf8(out);
        writer.header(new BundleHeader(BundleFixture.ORIGIN, BundleFixture.TENANT, 0, size, size, note.serialize(),
                named.verifier().toVerifierKey()));
        for (int i = 0; i < size; i++) {
            writer.entry(i, LOG.tree.leafHash(i), LOG.events.get(i), LOG.tree.inclusionProof(i, size));
        }
        writer.end();
        return out.toByteArray();
    }

    private BundleVerification verify(byte[] bundle) throws IOException {
        return new BundleVerifier(keys, BundleFixture.ORIGIN).verify(new ByteArrayInputStream(bundle));
    }

    @Test
    void aBundleExportedBeforeTheRotationStillVerifies() throws IOException {
        BundleVerification result = verify(bundle(20, checkpoint(20, oldKey), oldKey));
        assertThat(result.failures()).isEmpty();
        assertThat(result.entries()).isEqualTo(20);
    }

    @Test
    void aBundleExportedAfterTheRotationVerifies() throws IOException {
        assertThat(verify(bundle(40, checkpoint(40, newKey), newKey)).failures()).isEmpty();
    }

    @Test
    void aBundleAtTheCosignedHandoverVerifies() throws IOException {
        SignedNote cosigned = checkpoint(HANDOVER, oldKey)
                .withSignature(newKey.signature(checkpoint(HANDOVER, newKey).body()));
        assertThat(verify(bundle(HANDOVER, cosigned, newKey)).failures()).isEmpty();
        assertThat(verify(bundle(HANDOVER, cosigned, oldKey)).failures()).isEmpty();
    }

    @Test
    void aBundleWhoseCheckpointTheNewKeySignedBeforeTheRotationFails() throws IOException {
        assertThat(verify(bundle(20, checkpoint(20, newKey), newKey)).failures()).singleElement().asString()
                .contains("checkpoint signature does not verify").contains("valid only for sizes 30..");
    }

    @Test
    void aBundleFromAnUnknownKeyFails() throws IOException {
        NoteSigner stranger = new NoteSigner(BundleFixture.ORIGIN, Ed25519Keys.generate().getPrivate());
        assertThat(verify(bundle(40, checkpoint(40, stranger), stranger)).failures())
                .anySatisfy(f -> assertThat(f).contains("is not in the trusted key set"))
                .anySatisfy(f -> assertThat(f).contains("no signature by a key in the key set"));
    }

    @Test
    void tlogProofsFromBothEraVerify() {
        Hash leaf = LOG.tree.leafHash(7);
        TlogProof before = new TlogProof(7, LOG.tree.inclusionProof(7, 20).path(),
                checkpoint(20, oldKey).serialize(), null);
        TlogProof after = new TlogProof(7, LOG.tree.inclusionProof(7, 40).path(),
                checkpoint(40, newKey).serialize(), null);
        assertThat(before.verify(leaf, keys, BundleFixture.ORIGIN).ok()).isTrue();
        assertThat(after.verify(leaf, keys, BundleFixture.ORIGIN).ok()).isTrue();
        TlogProof backdated = new TlogProof(7, LOG.tree.inclusionProof(7, 20).path(),
                checkpoint(20, newKey).serialize(), null);
        assertThat(backdated.verify(leaf, keys, BundleFixture.ORIGIN).message()).contains("valid only for sizes 30..");
    }
}
