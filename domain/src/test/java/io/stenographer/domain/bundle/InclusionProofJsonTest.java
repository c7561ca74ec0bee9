package io.stenographer.domain.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stenographer.domain.json.JsonArray;
import io.stenographer.domain.json.JsonNumber;
import io.stenographer.domain.json.JsonObject;
import io.stenographer.domain.json.JsonString;
import io.stenographer.domain.json.JsonValue;
import io.stenographer.domain.merkle.Hash;
import io.stenographer.domain.merkle.InclusionProof;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InclusionProofJsonTest {

    private static final BundleFixture LOG = new BundleFixture(13);

    private static JsonArray json(List<Hash> path) {
        List<JsonValue> elements = new ArrayList<>();
        path.forEach(hash -> elements.add(new JsonString(hash.base64())));
        return new JsonArray(elements);
    }

    @Test
    void readsTheHashesOfAProofInOrder() {
        InclusionProof proof = LOG.tree.inclusionProof(9, 13);
        assertThat(InclusionProofJson.read(json(proof.path()))).isEqualTo(proof.path());
        assertThat(InclusionProofJson.read(new JsonArray(List.of()))).isEmpty();
    }

    @Test
    void acceptsTheLimitAndRefusesOneHashMore() {
        Hash hash = LOG.tree.inclusionProof(0, 13).path().get(0);
        assertThat(InclusionProofJson.read(json(Collections.nCopies(InclusionProofJson.MAX_HASHES, hash))))
                .hasSize(InclusionProofJson.MAX_HASHES);
        assertThatThrownBy(() -> InclusionProofJson.read(json(Collections.nCopies(InclusionProofJson.MAX_HASHES + 1,
                hash)))).isInstanceOf(InclusionProofJson.MalformedProof.class)
                .hasMessage("inclusionProof has 54 hashes, more than any tree of at most 2^53 leaves needs");
    }

    @Test
    void refusesWhatIsNoArray() {
        for (JsonValue value : new JsonValue[] {null, new JsonString("AAAA"), new JsonNumber(1),
                new JsonObject(Map.of())}) {
            assertThatThrownBy(() -> InclusionProofJson.read(value))
                    .isInstanceOf(InclusionProofJson.MalformedProof.class)
                    .hasMessage("inclusionProof must be an array of base64 hashes");
        }
    }

    @Test
    void refusesAnElementThatIsNoString() {
        Hash hash = LOG.tree.inclusionProof(0, 13).path().get(0);
        assertThatThrownBy(() -> InclusionProofJson.read(new JsonArray(List.of(new JsonString(hash.base64()),
                new JsonNumber(7))))).isInstanceOf(InclusionProofJson.MalformedProof.class)
                .hasMessage("inclusionProof hash 1 is not a string");
    }

    @Test
    void refusesAnElementThatIsNoCanonicalBase64Hash() {
        String hash = LOG.tree.inclusionProof(0, 13).path().get(0).base64();
        for (String bad : List.of("not base64!", "AAAA", hash.substring(0, hash.length() - 1),
                hash.replace("=", ""))) {
            assertThatThrownBy(() -> InclusionProofJson.read(new JsonArray(List.of(new JsonString(bad)))))
                    .isInstanceOf(InclusionProofJson.MalformedProof.class)
                    .hasMessageStartingWith("inclusionProof hash 0 is invalid: ");
        }
    }
}
