package io.stenographer.domain.tiles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TilePathTest {

    @Test
    void theSpecsIndexExampleIsSpelledAsTheSpecSpellsIt() {
        assertThat(TilePath.encodeIndex(1234067)).isEqualTo("x001/x234/067");
        assertThat(TilePath.encodeIndex(0)).isEqualTo("000");
        assertThat(TilePath.encodeIndex(999)).isEqualTo("999");
        assertThat(TilePath.encodeIndex(1000)).isEqualTo("x001/000");
    }

    @Test
    void fullPartialAndEntryPathsRoundTrip() {
        assertThat(Tile.full(1, 1234067).path()).isEqualTo("tile/1/x001/x234/067");
        assertThat(new Tile(0, 273, 112).path()).isEqualTo("tile/0/273.p/112");
        assertThat(new Tile(0, 5, 7).entriesPath()).isEqualTo("tile/entries/005.p/7");
        for (String path : new String[] {"tile/1/x001/x234/067", "tile/0/273.p/112", "tile/entries/005.p/7",
                "tile/2/000.p/1", "tile/entries/x123/456"}) {
            assertThat(TilePath.parse(path).path()).isEqualTo(path);
        }
        assertThat(TilePath.parse("tile/entries/005.p/7")).isEqualTo(new TilePath(true, new Tile(0, 5, 7)));
        assertThat(TilePath.parse("tile/3/x001/000")).isEqualTo(new TilePath(false, Tile.full(3, 1000)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"tile/0/1", "tile/0/0001", "tile/00/000", "tile/01/000", "tile/64/000",
            "tile/0/x000/001", "tile/0/001/002", "tile/0/x001", "tile/0/000.p/0", "tile/0/000.p/256",
            "tile/0/000.p/07", "tile/0/000.p/", "tile/0/abc", "tile/-1/000", "tile/0/000/", "tiles/0/000",
            "tile/entries/", "tile/0", "tile/0/x1000/000", "tile/0/x-01/000", "tile/0/+00",
            "tile/0/x922/x337/x203/x685/x477/x580/x807/000"})
    void everyOtherSpellingIsRefused(String path) {
        assertThatThrownBy(() -> TilePath.parse(path)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void overlongPathsAreRefusedBeforeParsing() {
        assertThatThrownBy(() -> TilePath.parse("tile/0/" + "x000/".repeat(40) + "001"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most");
    }
}
