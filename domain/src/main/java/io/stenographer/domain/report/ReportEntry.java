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
 * changes), its place in the log, its leaf hash (withheld for a redacted event), and an inclusion proof
 * when the format carries one (withheld in a redacting export).
 */
public record ReportEntry(long index, Hash leafHash, JsonObject event, List<String> redactions,
        InclusionProof proof) {

    public ReportEntry {
        Objects.requireNonNull(event, "event");
        if (proof != null && leafHash == null) {
            throw new IllegalArgumentException("a proof needs the leaf hash it proves");
        }
        redactions = List.copyOf(redactions);
        if (proof != null && proof.leafIndex() != index) {
            throw new IllegalArgumentException("the proof is for index " + proof.leafIndex() + ", not " + index);
        }
    }

    /**
     * The row as published. The leaf hash is an unsalted commitment to the whole sealed event, and every
     * hash on an inclusion proof is one to its neighbours (which may be redacted rows of the same report):
     * anyone could test a guess of the removed values against either by folding it up to the signed root.
     * So a redacted event carries neither, and a report that redacts carries no proofs at all.
     *
     * @param redactingReport whether the report redacts anything (then {@code proof} is dropped)
     */
    public static ReportEntry publish(long index, Hash leafHash, Redactor.Redacted published,
            boolean redactingReport, InclusionProof proof) {
        boolean redacted = !published.changes().isEmpty();
        return new ReportEntry(index, redacted ? null : leafHash, published.event(), published.changes(),
                redactingReport ? null : proof);
    }

    public boolean redacted() {
        return !redactions.isEmpty();
    }

    public JsonObject toJson() {
        ReportJson.Builder out = ReportJson.object().put("index", index);
        if (leafHash != null) {
            out.put("leafHash", leafHash.hex());
        }
        out.put("event", event);
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
