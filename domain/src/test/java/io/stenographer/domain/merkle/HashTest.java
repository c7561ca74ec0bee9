package io.stenographer.domain.merkle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HashTest {

    private static final String HEX = "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328";

    @Test
    void requiresExactly32Bytes() {
        assertThatThrownBy(() -> new Hash(new byte[31])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bytes").hasMessageContaining("32");
        assertThatThrownBy(() -> new Hash(new byte[33])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Hash(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void copiesBytesInAndOut() {
        byte[] bytes = new byte[32];
        Hash hash = new Hash(bytes);
        bytes[0] = 1;
        assertThat(hash.bytes()[0]).isZero();
        hash.bytes()[1] = 1;
        assertThat(hash.bytes()[1]).isZero();
    }

    @Test
    void comparesByContent() {
        assertThat(Hash.fromHex(HEX)).isEqualTo(Hash.fromHex(HEX.toUpperCase()))
                .hasSameHashCodeAs(Hash.fromHex(HEX))
                .isNotEqualTo(MerkleHashes.emptyRoot());
    }

    @Test
    void convertsBetweenHexAndBase64() {
        Hash hash = Hash.fromHex(HEX);
        assertThat(hash.hex()).isEqualTo(HEX);
        assertThat(Hash.fromBase64(hash.base64())).isEqualTo(hash);
        assertThat(MerkleHashes.emptyRoot().base64()).isEqualTo("47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=");
        assertThat(hash.toString()).contains(HEX);
    }

    @Test
    void rejectsBadHexWithAClearMessage() {
        assertThatThrownBy(() -> Hash.fromHex("abc")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("64 characters");
        assertThatThrownBy(() -> Hash.fromHex("z" + HEX.substring(1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("non-hexadecimal");
    }

    @Test
    void rejectsBadBase64WithAClearMessage() {
        assertThatThrownBy(() -> Hash.fromBase64("not base64!")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("base64");
        assertThatThrownBy(() -> Hash.fromBase64("AAAA")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("32 bytes");
        // Same bytes without padding, or with non-zero trailing bits, are not the canonical form.
        assertThatThrownBy(() -> Hash.fromBase64("47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("canonical");
        assertThatThrownBy(() -> Hash.fromBase64("47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFV="))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("canonical");
    }
}
