package io.stenographer.domain.bundle;

import io.stenographer.domain.json.JsonArray;
import io.stenographer.domain.json.JsonString;
import io.stenographer.domain.json.JsonValue;
import io.stenographer.domain.merkle.Hash;
import java.util.ArrayList;
import java.util.List;

/**
 * The one reader of an inclusion proof as bundles carry it in JSON: an array of base64 hashes, from the
 * leaf's sibling up. Used by {@link BundleVerifier} and the report bundle verifier alike, with one limit.
 */
public final class InclusionProofJson {

    /**
     * The most hashes a proof may have: one per level of a tree of at most 2^53 leaves, the largest tree
     * whose indices a JSON number holds exactly.
     */
    public static final int MAX_HASHES = 53;

    private InclusionProofJson() {
    }

    /** A proof member that is not a well-formed list of hashes; the message names what is wrong. */
    public static final class MalformedProof extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        MalformedProof(String message) {
            super(message);
        }
    }

    /** The proof's hashes, in order; throws {@link MalformedProof} for anything else (including null). */
    public static List<Hash> read(JsonValue value) {
        if (!(value instanceof JsonArray array)) {
            throw new MalformedProof("inclusionProof must be an array of base64 hashes");
        }
        List<JsonValue> elements = array.elements();
        if (elements.size() > MAX_HASHES) {
            throw new MalformedProof("inclusionProof has " + elements.size() + " hashes, more than any tree of at "
                    + "most 2^" + MAX_HASHES + " leaves needs");
        }
        List<Hash> path = new ArrayList<>(elements.size());
        for (int i = 0; i < elements.size(); i++) {
            if (!(elements.get(i) instanceof JsonString text)) {
                throw new MalformedProof("inclusionProof hash " + i + " is not a string");
            }
            try {
                path.add(Hash.fromBase64(text.value()));
            } catch (IllegalArgumentException e) {
                throw new MalformedProof("inclusionProof hash " + i + " is invalid: " + e.getMessage());
            }
        }
        return List.copyOf(path);
    }
}
