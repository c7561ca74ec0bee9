package io.stenographer.domain.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class PersonalValueCipherTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final UUID EVENT = UUID.fromString("0190a6e2-3b4c-7d5e-8f60-112233445566");
    private static final byte[] PLAINTEXT = "Ada Lovelace".getBytes(StandardCharsets.UTF_8);

    private final DataKey key = DataKey.generate(RANDOM);
    private final byte[] binding = PersonalValueCipher.associatedData("acme", EVENT, "actor.displayName");

    @Test
    void aSealedValueOpensToItsPlaintext() {
        byte[] sealed = PersonalValueCipher.seal(key, binding, PLAINTEXT, RANDOM);

        assertThat(sealed).hasSize(PLAINTEXT.length + PersonalValueCipher.OVERHEAD);
        assertThat(sealed[0]).isEqualTo(PersonalValueCipher.VERSION);
        assertThat(PersonalValueCipher.open(key, binding, sealed)).isEqualTo(PLAINTEXT);
    }

    @Test
    void anEmptyValueRoundTrips() {
        byte[] sealed = PersonalValueCipher.seal(key, binding, new byte[0], RANDOM);

        assertThat(PersonalValueCipher.open(key, binding, sealed)).isEmpty();
    }

    @Test
    void theSameValueSealsDifferentlyEachTimeWithAFreshNonce() {
        byte[] first = PersonalValueCipher.seal(key, binding, PLAINTEXT, RANDOM);
        byte[] second = PersonalValueCipher.seal(key, binding, PLAINTEXT, RANDOM);

        assertThat(Arrays.copyOfRange(first, 1, 13)).isNotEqualTo(Arrays.copyOfRange(second, 1, 13));
        assertThat(first).isNotEqualTo(second);
    }

    @Test
    void anotherKeyCannotOpenIt() {
        byte[] sealed = PersonalValueCipher.seal(key, binding, PLAINTEXT, RANDOM);

        assertUnreadable(DataKey.generate(RANDOM), binding, sealed);
    }

    @Test
    void aValueMovedToAnotherEventFieldOrTenantCannotBeOpened() {
        byte[] sealed = PersonalValueCipher.seal(key, binding, PLAINTEXT, RANDOM);

        assertUnreadable(key, PersonalValueCipher.associatedData("acme", UUID.randomUUID(), "actor.displayName"),
                sealed);
        assertUnreadable(key, PersonalValueCipher.associatedData("acme", EVENT, "reason"), sealed);
        assertUnreadable(key, PersonalValueCipher.associatedData("globex", EVENT, "actor.displayName"), sealed);
    }

    @Test
    void anyFlippedBitMakesItUnreadable() {
        byte[] sealed = PersonalValueCipher.seal(key, binding, PLAINTEXT, RANDOM);

        for (int bit = 0; bit < sealed.length * 8; bit++) {
            byte[] altered = sealed.clone();
            altered[bit / 8] ^= (byte) (1 << (bit % 8));
            assertUnreadable(key, binding, altered);
        }
    }

    @Test
    void aTruncatedValueIsUnreadable() {
        byte[] sealed = PersonalValueCipher.seal(key, binding, PLAINTEXT, RANDOM);

        for (int length = 0; length < sealed.length; length++) {
            assertUnreadable(key, binding, Arrays.copyOf(sealed, length));
        }
    }

    @Test
    void anUnknownVersionIsNamed() {
        byte[] sealed = PersonalValueCipher.seal(key, binding, PLAINTEXT, RANDOM);
        sealed[0] = 2;

        assertThatThrownBy(() -> PersonalValueCipher.open(key, binding, sealed))
                .isInstanceOf(PersonalDataUnreadable.class).hasMessageContaining("unknown format version 2");
    }

    @Test
    void theBindingIsUnambiguous() {
        assertThat(PersonalValueCipher.binding("c", List.of("ab", "c")))
                .isNotEqualTo(PersonalValueCipher.binding("c", List.of("a", "bc")));
        assertThat(PersonalValueCipher.associatedData("acme", EVENT, "reason"))
                .isNotEqualTo(PersonalValueCipher.binding("stenographer.personal-value/v1",
                        List.of("acme" + EVENT, "reason")));
    }

    @Test
    void theBindingIsLengthPrefixedUtf8AfterItsContext() {
        assertThat(PersonalValueCipher.binding("x", List.of("é")))
                .containsExactly(0, 0, 0, 1, 'x', 0, 0, 0, 2, 0xc3, 0xa9);
    }

    private static void assertUnreadable(DataKey key, byte[] binding, byte[] sealed) {
        assertThatThrownBy(() -> PersonalValueCipher.open(key, binding, sealed))
                .isInstanceOf(PersonalDataUnreadable.class)
                .hasMessageStartingWith("the personal value cannot be read")
                .hasMessageNotContaining("Ada");
    }
}
