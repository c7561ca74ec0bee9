package io.stenographer.domain.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class Ed25519KeysTest {

    /** A throwaway test key made with `openssl genpkey -algorithm ed25519`, and its public half. */
    private static final String OPENSSL_PRIVATE_PEM = "-----BEGIN PRIVATE KEY-----\n"
            + "MC4CAQAwBQYDK2VwBCIEIPvvx6PQ/Oq7wRBf4dO5LQ5NRfNgmcWyo48jC91PyzAD\n"
            + "-----END PRIVATE KEY-----\n";
    private static final String OPENSSL_PUBLIC_PEM = "-----BEGIN PUBLIC KEY-----\n"
            + "MCowBQYDK2VwAyEAoIKstfJb5PWBLGdBITkl9cr9X8ZC9Qt9iLuhYRRNFDE=\n"
            + "-----END PUBLIC KEY-----\n";
    private static final String OPENSSL_RAW_PUBLIC = "a082acb5f25be4f5812c6741213925f5cafd5fc642f50b7d88bba161144d1431";

    /**
     * A checkpoint note signed by `openssl pkeyutl -sign -rawin` with that key; Ed25519 is
     * deterministic, so our signer must produce the identical note.
     */
    private static final String OPENSSL_SIGNED_NOTE = "example.com/stenographer-test\n5\n"
            + "Tju7H3tHjc/nH7YxYxUZo7yhLJrvyhYSv85ME6hiZNQ=\n\n"
            + "\u2014 example.com/stenographer-test "
            + "nppsPsZqe0fE24bd86rKp7hPuynHXflFOQR1nychXwaBRZWm+9krtcC9nDlQUKRI415wEW60dkXtGljacKBwCdKdDwk=\n";
    private static final String OPENSSL_VKEY = "example.com/stenographer-test+9e9a6c3e+AaCCrLXyW+T1gSxnQSE5JfXK/V/GQvULfYi7oWEUTRQx";

    @Test
    void readsOpenSslKeysAndSignsExactlyAsOpenSslDoes() {
        PrivateKey privateKey = Ed25519Keys.privateKeyFromPem(OPENSSL_PRIVATE_PEM);
        assertThat(HexFormat.of().formatHex(Ed25519Keys.rawPublicKey(Ed25519Keys.derivePublicKey(privateKey))))
                .isEqualTo(OPENSSL_RAW_PUBLIC);
        assertThat(HexFormat.of().formatHex(Ed25519Keys.rawPublicKey(Ed25519Keys.publicKeyFromPem(OPENSSL_PUBLIC_PEM))))
                .isEqualTo(OPENSSL_RAW_PUBLIC);

        NoteSigner signer = new NoteSigner("example.com/stenographer-test", privateKey);
        assertThat(signer.verifier().toVerifierKey()).isEqualTo(OPENSSL_VKEY);
        SignedNote note = SignedNote.parse(OPENSSL_SIGNED_NOTE);
        assertThat(NoteVerifier.parse(OPENSSL_VKEY).verify(note)).isTrue();
        assertThat(Checkpoint.parseBody(note.body()).sign(signer).serialize()).isEqualTo(OPENSSL_SIGNED_NOTE);
        assertThat(Ed25519Keys.privateKeyToPem(privateKey)).isEqualTo(OPENSSL_PRIVATE_PEM);
        assertThat(Ed25519Keys.publicKeyToPem(Ed25519Keys.derivePublicKey(privateKey))).isEqualTo(OPENSSL_PUBLIC_PEM);
    }

    /** RFC 8032 section 7.1, TEST 1: secret key, public key and the signature of the empty message. */
    @Test
    void derivesThePublicKeyOfTheRfc8032TestVector() throws Exception {
        byte[] pkcs8 = HexFormat.of().parseHex("302e020100300506032b657004220420"
                + "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
        PrivateKey privateKey = KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        assertThat(HexFormat.of().formatHex(Ed25519Keys.rawPublicKey(Ed25519Keys.derivePublicKey(privateKey))))
                .isEqualTo("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
        Signature signature = Signature.getInstance("Ed25519");
        signature.initSign(privateKey);
        assertThat(HexFormat.of().formatHex(signature.sign())).isEqualTo(
                "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b");
    }

    @Test
    void derivedPublicKeyMatchesTheGeneratedOne() {
        for (int i = 0; i < 20; i++) {
            KeyPair pair = Ed25519Keys.generate();
            assertThat(Ed25519Keys.derivePublicKey(pair.getPrivate()).getEncoded()).isEqualTo(pair.getPublic().getEncoded());
        }
    }

    @Test
    void pemAndRawFormsRoundTrip() {
        KeyPair pair = Ed25519Keys.generate();
        String pem = Ed25519Keys.privateKeyToPem(pair.getPrivate());
        assertThat(pem).startsWith("-----BEGIN PRIVATE KEY-----\n").endsWith("-----END PRIVATE KEY-----\n");
        assertThat(Ed25519Keys.privateKeyFromPem(pem).getEncoded()).isEqualTo(pair.getPrivate().getEncoded());
        assertThat(Ed25519Keys.publicKeyFromPem(Ed25519Keys.publicKeyToPem(pair.getPublic()))).isEqualTo(pair.getPublic());
        byte[] raw = Ed25519Keys.rawPublicKey(pair.getPublic());
        assertThat(raw).hasSize(32);
        assertThat(Ed25519Keys.publicKeyFromRaw(raw)).isEqualTo(pair.getPublic());
    }

    @Test
    void rejectsOtherKeysAndBadInput() throws Exception {
        KeyPair ec = KeyPairGenerator.getInstance("EC").generateKeyPair();
        assertThatThrownBy(() -> Ed25519Keys.rawPublicKey(ec.getPublic())).hasMessageContaining("Ed25519");
        assertThatThrownBy(() -> new NoteSigner("n", ec.getPrivate())).hasMessageContaining("Ed25519");
        KeyPair ed448 = KeyPairGenerator.getInstance("Ed448").generateKeyPair();
        assertThatThrownBy(() -> Ed25519Keys.derivePublicKey(ed448.getPrivate())).hasMessageContaining("Ed25519");
        assertThatThrownBy(() -> Ed25519Keys.publicKeyFromRaw(new byte[31])).hasMessageContaining("32");
        assertThatThrownBy(() -> Ed25519Keys.privateKeyFromPem(OPENSSL_PUBLIC_PEM)).hasMessageContaining("PRIVATE KEY");
        assertThatThrownBy(() -> Ed25519Keys.privateKeyFromPem("-----BEGIN PRIVATE KEY-----\n!!\n-----END PRIVATE KEY-----"))
                .hasMessageContaining("base64");
        assertThatThrownBy(() -> Ed25519Keys.privateKeyFromPem(OPENSSL_PRIVATE_PEM + OPENSSL_PRIVATE_PEM))
                .hasMessageContaining("single");
        assertThatThrownBy(() -> Ed25519Keys.privateKeyFromPem("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----"))
                .hasMessageContaining("Ed25519");
    }
}
