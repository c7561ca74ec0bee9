package io.stenographer.domain.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stenographer.domain.merkle.Hash;
import io.stenographer.domain.merkle.MerkleHashes;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CheckpointTest {

    private static final Hash ROOT = Hash.fromHex("5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328");

    @Test
    void writesTheC2spBody() {
        assertThat(Checkpoint.of("example.com/log", 8, ROOT).body())
                .isEqualTo("example.com/log\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n");
        assertThat(new Checkpoint("o", 0, MerkleHashes.emptyRoot(), List.of("ext one", "ext two")).body())
                .isEqualTo("o\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\next one\next two\n");
    }

    @Test
    void parsesWhatItWrites() {
        Checkpoint checkpoint = new Checkpoint("example.com/log", 1234567, ROOT, List.of("a", "b c"));
        assertThat(Checkpoint.parseBody(checkpoint.body())).isEqualTo(checkpoint);
        assertThat(Checkpoint.parseBody("o\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n").treeSize()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "o\n8\n",
        "o\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=",
        "\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n",
        "o\n08\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n",
        "o\n-8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n",
        "o\n+8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n",
        "o\n\u0668\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n",
        "o\n99999999999999999999\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n",
        "o\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg\n",
        "o\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQ==\n",
        "o\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n\n",
        "o\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\next\n\n",
        "o\r\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n",
    })
    void rejectsMalformedBodies(String body) {
        assertThatThrownBy(() -> Checkpoint.parseBody(body)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void explainsWhatIsWrong() {
        assertThatThrownBy(() -> Checkpoint.parseBody("o\n08\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n"))
                .hasMessageContaining("leading zeros");
        assertThatThrownBy(() -> Checkpoint.parseBody("o\n8\n")).hasMessageContaining("root hash");
        assertThatThrownBy(() -> Checkpoint.parseBody("o\n8\nAAAA\n")).hasMessageContaining("root hash");
    }

    @Test
    void validatesFields() {
        assertThatThrownBy(() -> Checkpoint.of("", 1, ROOT)).hasMessageContaining("origin");
        assertThatThrownBy(() -> Checkpoint.of("a\nb", 1, ROOT)).hasMessageContaining("origin");
        assertThatThrownBy(() -> Checkpoint.of("o", -1, ROOT)).hasMessageContaining("treeSize");
        assertThatThrownBy(() -> Checkpoint.of("o", 1, null)).hasMessageContaining("rootHash");
        assertThatThrownBy(() -> new Checkpoint("o", 1, ROOT, List.of(""))).hasMessageContaining("extensionLines");
        assertThatThrownBy(() -> new Checkpoint("o", 1, ROOT, List.of("a\nb"))).hasMessageContaining("extensionLines");
    }
}
