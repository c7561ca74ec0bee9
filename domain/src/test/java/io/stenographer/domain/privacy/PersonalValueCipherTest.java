package io.stenographer.domain.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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

    /**
     * Pinned: the sealed format must never change. Key 0x00..0x1f, nonce 0x01..0x0c; expected value computed
     * independently (Python cryptography's AESGCM over the same associated data).
     */
    @Test
    void aPinnedVectorSealsAndOpens() {
        DataKey pinned = DataKey.of(sequence(0, 32));
        String vector = "01" + "0102030405060708090a0b0c" + "448e3bf5a0fb86e320c300225b86e8ce2994ae5890b35af230fe08aa";

        byte[] sealed = PersonalValueCipher.seal(pinned, binding, PLAINTEXT, fixedNonce(sequence(1, 12)));

        assertThat(HexFormat.of().formatHex(sealed)).isEqualTo(vector);
        assertThat(PersonalValueCipher.open(pinned, binding, HexFormat.of().parseHex(vector))).isEqualTo(PLAINTEXT);
    }

    @Test
    void aRandomSourceRepeatingANonceUnderOneKeyIsRefusedNotUsed() {
        SecureRandom broken = fixedNonce(sequence(7, 12));
        byte[] first = PersonalValueCipher.seal(key, binding, PLAINTEXT, broken);

        assertThatThrownBy(() -> PersonalValueCipher.seal(key, binding, PLAINTEXT, broken))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("repeated a nonce");
        assertThat(PersonalValueCipher.open(key, binding, first)).isEqualTo(PLAINTEXT);
        assertThat(PersonalValueCipher.open(key, binding, PersonalValueCipher.seal(key, binding, PLAINTEXT, RANDOM)))
                .isEqualTo(PLAINTEXT);
    }

    @Test
    void onOneThreadNothingCarriesOverFromOneValueToTheNext() {
        DataKey other = DataKey.generate(RANDOM);
        byte[] otherBinding = PersonalValueCipher.associatedData("globex", EVENT, "reason");
        byte[] sealed = PersonalValueCipher.seal(key, binding, PLAINTEXT, RANDOM);
        byte[] sealedByOther = PersonalValueCipher.seal(other, otherBinding, "Grace".getBytes(StandardCharsets.UTF_8),
                RANDOM);

        assertUnreadable(other, binding, sealed);
        assertThat(PersonalValueCipher.open(key, binding, sealed)).isEqualTo(PLAINTEXT);
        assertUnreadable(key, otherBinding, sealedByOther);
        assertThat(PersonalValueCipher.open(other, otherBinding, sealedByOther)).asString(StandardCharsets.UTF_8)
                .isEqualTo("Grace");
        assertThat(PersonalValueCipher.open(key, binding, sealed)).isEqualTo(PLAINTEXT);
    }

    @Test
    void threadsSealAndOpenAtTheSameTime() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int thread = 0; thread < 4; thread++) {
                done.add(threads.submit(() -> {
                    DataKey own = DataKey.generate(RANDOM);
                    for (int i = 0; i < 1_000; i++) {
                        DataKey which = i % 2 == 0 ? own : key;
                        byte[] plain = ("value " + i).getBytes(StandardCharsets.UTF_8);
                        byte[] sealed = PersonalValueCipher.seal(which, binding, plain, RANDOM);
                        assertThat(PersonalValueCipher.open(which, binding, sealed)).isEqualTo(plain);
                    }
                    return null;
                }));
            }
            for (Future<?> future : done) {
                future.get();
            }
        } finally {
            threads.shutdownNow();
        }
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

    private static byte[] sequence(int first, int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (first + i);
        }
        return bytes;
    }

    /** A random source that returns the same bytes every time: for pinned vectors, never for real sealing. */
    @SuppressWarnings("serial")
    private static SecureRandom fixedNonce(byte[] nonce) {
        return new SecureRandom() {
            @Override
            public void nextBytes(byte[] bytes) {
                System.arraycopy(nonce, 0, bytes, 0, bytes.length);
            }
        };
    }

    private static void assertUnreadable(DataKey key, byte[] binding, byte[] sealed) {
        assertThatThrownBy(() -> PersonalValueCipher.open(key, binding, sealed))
                .isInstanceOf(PersonalDataUnreadable.class)
                .hasMessageStartingWith("the personal value cannot be read")
                .hasMessageNotContaining("Ada");
    }
}
