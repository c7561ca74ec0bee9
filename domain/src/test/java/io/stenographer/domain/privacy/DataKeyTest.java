package io.stenographer.domain.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class DataKeyTest {

    private static final SecureRandom RANDOM = new SecureRandom();

    @Test
    void aGeneratedKeyHas32BytesAndTwoGeneratedKeysDiffer() {
        DataKey one = DataKey.generate(RANDOM);
        DataKey two = DataKey.generate(RANDOM);

        assertThat(one.bytes()).hasSize(32);
        assertThat(one).isNotEqualTo(two);
    }

    @Test
    void keysAreEqualByTheirBytes() {
        byte[] bytes = new byte[32];
        bytes[5] = 7;

        assertThat(DataKey.of(bytes)).isEqualTo(DataKey.of(bytes.clone()))
                .hasSameHashCodeAs(DataKey.of(bytes.clone()))
                .isNotEqualTo(DataKey.of(new byte[32]));
    }

    @Test
    void theBytesAreCopiedInAndOut() {
        byte[] bytes = new byte[32];
        DataKey key = DataKey.of(bytes);

        bytes[0] = 1;
        key.bytes()[1] = 1;

        assertThat(key.bytes()).containsOnly(0);
    }

    @Test
    void onlyA32ByteKeyIsAccepted() {
        assertThatThrownBy(() -> DataKey.of(new byte[16])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("32 bytes, not 16");
    }

    @Test
    void toStringNeverShowsTheKey() {
        byte[] bytes = new byte[32];
        Arrays.fill(bytes, (byte) 0xab);
        DataKey key = DataKey.of(bytes);

        assertThat(key.toString()).isEqualTo("DataKey[hidden]")
                .doesNotContainIgnoringCase(HexFormat.of().formatHex(bytes, 0, 2));
    }
}
