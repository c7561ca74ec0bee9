package io.stenographer.domain.report;

import io.stenographer.domain.json.JsonArray;
import io.stenographer.domain.json.JsonObject;
import io.stenographer.domain.json.JsonString;
import io.stenographer.domain.json.JsonValue;
import io.stenographer.domain.merkle.Hash;
import io.stenographer.domain.merkle.InclusionProof;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One row of a report's event table: the event as published (sealed, or redacted with the list of
 * changes), its place in the log and its leaf hash, and an inclusion proof when the format carries one.
 */
public record ReportEntry(long index, Hash leafHash, JsonObject event, List<String> redactions,
        InclusionProof proof) {

    public ReportEntry {
        Objects.requireNonNull(leafHash, "leafHash");
        Objects.requireNonNull(event, "event");
        redactions = List.copyOf(redactions);
        if (proof != null && proof.leafIndex() != index) {
            throw new IllegalArgumentException("the proof is for index " + proof.leafIndex() + ", not " + index);
        }
    }

    public boolean redacted() {
        return !redactions.isEmpty();
    }

    public JsonObject toJson() {
        ReportJson.Builder out = ReportJson.object().put("index", index).put("leafHash", leafHash.hex())
                .put("event", event);
        if (redacted()) {
            out.putStrings("redactions", redactions);
        }
        if (proof != null) {
            List<JsonValue> path = new ArrayList<>(proof.path().size());
            proof.path().forEach(hash -> path.add(new JsonString(hash.base64())));
            out.put("inclusionProof", new JsonArray(path));
        }
        return out.build();
    }
}
