package io.stenographer.domain.tiles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class EntryBundleTest {

    @Test
    void entriesAreBigEndianLengthPrefixed() {
        byte[] bundle = EntryBundle.encode(List.of("ab".getBytes(StandardCharsets.UTF_8), new byte[300]));
        assertThat(bundle).startsWith(0, 2, 'a', 'b', 1, 44);
        assertThat(bundle).hasSize(2 + 2 + 2 + 300);
        assertThat(EntryBundle.decode(bundle)).hasSize(2).first().isEqualTo("ab".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void anEntryTooLongForItsPrefixIsCarriedAsTheEmptyMarker() {
        byte[] largest = new byte[EntryBundle.MAX_ENTRY_BYTES];
        byte[] bundle = EntryBundle.encode(List.of(largest, new byte[EntryBundle.MAX_ENTRY_BYTES + 1], new byte[] {7}));
        List<byte[]> entries = EntryBundle.decode(bundle);
        assertThat(entries.get(0)).hasSize(EntryBundle.MAX_ENTRY_BYTES);
        assertThat(entries.get(1)).isEmpty();
        assertThat(entries.get(2)).containsExactly(7);
    }

    @Test
    void truncatedBundlesAreRefused() {
        assertThatThrownBy(() -> EntryBundle.decode(new byte[] {0, 5, 1, 2})).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("claims 5 bytes");
        assertThatThrownBy(() -> EntryBundle.decode(new byte[] {0, 1, 9, 0})).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("length prefix");
    }
}
