package io.stenographer.bootstrap.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stenographer.domain.checkpoint.Checkpoint;
import io.stenographer.domain.checkpoint.Ed25519Keys;
import io.stenographer.domain.checkpoint.NoteSigner;
import io.stenographer.domain.merkle.Hash;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.Signature;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The faster Ed25519 must be the same function as the JDK's: same bytes for every key and message. */
class BouncyCastleEd25519Test {

    @Test
    void givesTheJdksSignatureForEveryKeyAndMessage() throws Exception {
        SplittableRandom random = new SplittableRandom(42);
        for (int k = 0; k < 50; k++) {
            KeyPair pair = Ed25519Keys.generate();
            BouncyCastleEd25519 faster = BouncyCastleEd25519.of(pair.getPrivate());
            for (int m = 0; m < 10; m++) {
                byte[] message = new byte[random.nextInt(0, 600)];
                random.nextBytes(message);
                Signature jdk = Signature.getInstance("Ed25519");
                jdk.initSign(pair.getPrivate());
                jdk.update(message);
                assertThat(faster.sign(message)).isEqualTo(jdk.sign());
            }
        }
    }

    @Test
    void aNoteSignedWithItVerifiesAndEqualsTheJdkSignedNote() {
        KeyPair pair = Ed25519Keys.generate();
        NoteSigner jdk = new NoteSigner("stenographer.test", pair.getPrivate());
        NoteSigner faster = new NoteSigner("stenographer.test", pair.getPrivate(),
                BouncyCastleEd25519.of(pair.getPrivate()));
        String body = Checkpoint.of("stenographer.test/acme", 12, new Hash(new byte[32])).body();

        assertThat(faster.sign(body).serialize()).isEqualTo(jdk.sign(body).serialize());
        assertThat(jdk.verifier().verify(faster.sign(body))).isTrue();
    }

    @Test
    void anImplementationThatDisagreesWithTheJdkIsRefused() {
        KeyPair pair = Ed25519Keys.generate();
        BouncyCastleEd25519 ofAnotherKey = BouncyCastleEd25519.of(Ed25519Keys.generate().getPrivate());

        assertThatThrownBy(() -> new NoteSigner("stenographer.test", pair.getPrivate(), ofAnotherKey))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("refusing to sign with it");
        assertThatThrownBy(() -> new NoteSigner("stenographer.test", pair.getPrivate(),
                message -> "not a signature".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
