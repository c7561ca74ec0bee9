package io.stenographer.domain.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stenographer.domain.checkpoint.Ed25519Keys;
import io.stenographer.domain.checkpoint.NoteSigner;
import io.stenographer.domain.merkle.Hash;
import io.stenographer.domain.merkle.InclusionProof;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** c2sp.org/tlog-proof@v1 as specified at https://c2sp.org/tlog-proof. */
class TlogProofTest {

    private static final BundleFixture LOG = new BundleFixture(13);
    private static final String NOTE = LOG.checkpoint.serialize();

    private static TlogProof proofOf(int index) {
        return TlogProof.of(LOG.tree.inclusionProof(index, 13), NOTE);
    }

    @Test
    void serializesInTheSpecifiedLayout() {
        InclusionProof inclusion = LOG.tree.inclusionProof(9, 13);
        String expected = "c2sp.org/tlog-proof@v1\nindex 9\n"
                + String.join("\n", inclusion.path().stream().map(Hash::base64).toList()) + "\n\n" + NOTE;
        assertThat(proofOf(9).serialize()).isEqualTo(expected);
        byte[] extra = "age-v1.2.1-darwin-arm64.tar.gz".getBytes(StandardCharsets.UTF_8);
        assertThat(proofOf(9).withExtra(extra).serialize())
                .startsWith("c2sp.org/tlog-proof@v1\nextra " + Base64.getEncoder().encodeToString(extra) + "\nindex 9\n");
    }

    @Test
    void roundTripsEveryIndexWithAndWithoutExtraData() {
        for (int i = 0; i < 13; i++) {
            TlogProof proof = proofOf(i);
            assertThat(TlogProof.parse(proof.serialize())).isEqualTo(proof);
            TlogProof withExtra = proof.withExtra(new byte[] {1, 2, 3, (byte) i});
            assertThat(TlogProof.parse(withExtra.serialize())).isEqualTo(withExtra);
            assertThat(TlogProof.parse(withExtra.serialize()).extra()).containsExactly(1, 2, 3, i);
            assertThat(proof.verify(LOG.tree.leafHash(i), LOG.signer.verifier(), BundleFixture.ORIGIN).ok()).isTrue();
        }
        // Empty extra data is present-but-empty, as the Go implementation writes it.
        TlogProof empty = proofOf(0).withExtra(new byte[0]);
        assertThat(empty.serialize()).contains("\nextra \nindex 0\n");
        assertThat(TlogProof.parse(empty.serialize()).extra()).isEmpty();
        assertThat(TlogProof.parse(proofOf(0).serialize()).extra()).isNull();
    }

    @Test
    void aSingleLeafTreeHasNoProofLines() {
        BundleFixture single = new BundleFixture(1);
        TlogProof proof = TlogProof.of(single.tree.inclusionProof(0, 1), single.checkpoint.serialize());
        assertThat(proof.serialize()).startsWith("c2sp.org/tlog-proof@v1\nindex 0\n\nexample/acme\n1\n");
        assertThat(TlogProof.parse(proof.serialize()).verify(single.tree.leafHash(0), single.signer.verifier(),
                BundleFixture.ORIGIN).message()).isEqualTo("leaf hash " + single.tree.leafHash(0).hex()
                        + " is at index 0 in checkpoint size 1 of example/acme");
    }

    @Test
    void verificationFailuresArePrecise() {
        TlogProof proof = proofOf(6);
        Hash leaf = LOG.tree.leafHash(6);
        assertThat(proof.verify(leaf, LOG.signer.verifier(), BundleFixture.ORIGIN).checkpoint().treeSize())
                .isEqualTo(13);
        assertThat(proof.verify(LOG.tree.leafHash(7), LOG.signer.verifier(), BundleFixture.ORIGIN).message())
                .isEqualTo("inclusion proof for leaf hash " + LOG.tree.leafHash(7).hex()
                        + " at index 6 does not lead to the root of checkpoint size 13 of example/acme");
        assertThat(proof.verify(leaf, LOG.signer.verifier(), "example/other").message())
                .isEqualTo("checkpoint origin 'example/acme' is not the expected origin 'example/other'");
        NoteSigner stranger = new NoteSigner("example/acme", Ed25519Keys.generate().getPrivate());
        assertThat(proof.verify(leaf, stranger.verifier(), BundleFixture.ORIGIN).message())
                .isEqualTo("checkpoint signature does not verify with key example/acme+" + stranger.verifier().keyIdHex()
                        + ": checkpoint carries no signature by a key in the key set");
        TlogProof elsewhere = new TlogProof(5, proof.proof(), NOTE, null);
        assertThat(elsewhere.verify(leaf, LOG.signer.verifier(), BundleFixture.ORIGIN).ok()).isFalse();
        TlogProof beyond = new TlogProof(13, proof.proof(), NOTE, null);
        assertThat(beyond.verify(leaf, LOG.signer.verifier(), BundleFixture.ORIGIN).message())
                .isEqualTo("index 13 is not in the checkpointed tree of size 13");
        TlogProof shortened = new TlogProof(6, proof.proof().subList(1, proof.proof().size()), NOTE, null);
        assertThat(shortened.verify(leaf, LOG.signer.verifier(), BundleFixture.ORIGIN).message())
                .isEqualTo("inclusion proof has 3 hashes, the wrong number for index 6 in a tree of size 13");
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
        "c2sp.org/tlog-proof@v2\\nindex 1\\n\\n|tlog-proof line 1 must be 'c2sp.org/tlog-proof@v1'",
        "c2sp.org/tlog-proof@v1\\n\\n|tlog-proof line 2 must be 'index <N>'",
        "c2sp.org/tlog-proof@v1\\nextra !!\\nindex 1\\n\\n|tlog-proof line 2 (extra data) is not valid base64",
        "c2sp.org/tlog-proof@v1\\nextra AQ\\nindex 1\\n\\n|tlog-proof line 2 (extra data) is not canonical padded base64",
        "c2sp.org/tlog-proof@v1\\nextra AQ==\\nextra AQ==\\nindex 1\\n\\n|tlog-proof line 3 must be 'index <N>'",
        "c2sp.org/tlog-proof@v1\\nindex 01\\n\\n|index must be decimal digits without leading zeros, was '01'",
        "c2sp.org/tlog-proof@v1\\nindex -1\\n\\n|index must be decimal digits without leading zeros, was '-1'",
        "c2sp.org/tlog-proof@v1\\nindex  1\\n\\n|was ' 1'",
        "c2sp.org/tlog-proof@v1\\nindex 9223372036854775808\\n\\n|index 9223372036854775808 is too large",
        "c2sp.org/tlog-proof@v1\\nindex 1\\nAAAA\\n\\n|tlog-proof line 3 (proof hash) decodes to 3 bytes, not 32",
        "c2sp.org/tlog-proof@v1\\nindex 1\\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAB=\\n\\n|line 3 (proof hash) is not canonical padded base64",
        "c2sp.org/tlog-proof@v1\\nindex 1\\n|tlog-proof line 3 (proof hash) decodes to 9 bytes, not 32",
        "c2sp.org/tlog-proof@v1\\r\\nindex 1\\r\\n\\r\\n|tlog-proof lines must end with LF only, found CR at offset 22",
    })
    void parsingIsStrict(String prefix, String message) {
        String text = prefix.replace("\\n", "\n").replace("\\r", "\r") + NOTE;
        assertThatThrownBy(() -> TlogProof.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    @Test
    void theCheckpointMustBeASignedNote() {
        assertThatThrownBy(() -> TlogProof.parse("c2sp.org/tlog-proof@v1\nindex 0\nexample/acme\n1\n"))
                .hasMessageContaining("no empty line before the checkpoint");
        assertThatThrownBy(() -> TlogProof.parse("c2sp.org/tlog-proof@v1\nindex 0\n\nexample/acme\n1\n"))
                .hasMessageContaining("tlog-proof checkpoint (after line 3) is not a valid signed note");
        assertThatThrownBy(() -> TlogProof.parse(proofOf(1).serialize().replace("\n\u2014 ", "\n- ")))
                .hasMessageContaining("not a valid signed note");
        assertThatThrownBy(() -> TlogProof.parse(proofOf(1).serialize() + "trailing"))
                .hasMessageContaining("not a valid signed note");
        assertThatThrownBy(() -> new TlogProof(0, List.of(), "x", null)).hasMessageContaining("signed note");
    }

    @Test
    void parsesTheLayoutOfTheSpecExample() {
        // The example in https://c2sp.org/tlog-proof, with our own checkpoint in place of fancylog's.
        String text = "c2sp.org/tlog-proof@v1\n"
                + "extra YWdlLXYxLjIuMS1kYXJ3aW4tYXJtNjQudGFyLmd6\n"
                + "index 73894\n"
                + "gSKyXoYZUgZ6jduWYrkDOARinOMGJveXjgMkBTcdPlQ=\n"
                + "B95lDa8R83lS8n0eG+o0buTxRKQTYFi//1U8anccXmA=\n"
                + "\n" + NOTE;
        TlogProof proof = TlogProof.parse(text);
        assertThat(proof.index()).isEqualTo(73894);
        assertThat(new String(proof.extra(), StandardCharsets.UTF_8)).isEqualTo("age-v1.2.1-darwin-arm64.tar.gz");
        assertThat(proof.proof()).extracting(Hash::base64).containsExactly(
                "gSKyXoYZUgZ6jduWYrkDOARinOMGJveXjgMkBTcdPlQ=", "B95lDa8R83lS8n0eG+o0buTxRKQTYFi//1U8anccXmA=");
        assertThat(proof.serialize()).isEqualTo(text);
    }
}
