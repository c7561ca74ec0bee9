package io.stenographer.domain.report;

import io.stenographer.domain.json.CanonicalJson;
import io.stenographer.domain.json.JsonArray;
import io.stenographer.domain.json.JsonObject;
import io.stenographer.domain.json.JsonString;
import io.stenographer.domain.json.JsonValue;
import io.stenographer.domain.merkle.Hash;
import io.stenographer.domain.merkle.InclusionProof;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import io.stenographer.domain.event.PersonalField;
import io.stenographer.domain.privacy.PersonalValueState;

/**
 * One row of a report's event table: the event as published (sealed, or redacted with the list of
 * changes), its place in the log, its leaf hash (withheld for a redacted event), and an inclusion proof
 * when the format carries one (withheld in a redacting export). In a report with personal data, a v2 event's
 * committed fields as its reader may see them ({@code personalData}: by field path, {@code value} and
 * {@code opening} of a revealed value, or the {@code status} of one that is not); null otherwise.
 */
public record ReportEntry(long index, Hash leafHash, JsonObject event, List<String> redactions,
        InclusionProof proof, JsonObject personalData) {

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
                redactingReport ? null : proof, null);
    }

    /** This row with its event's committed fields as the report's reader may see them. */
    public ReportEntry withPersonalData(Map<PersonalField, PersonalValueState> fields) {
        Map<String, JsonValue> members = new TreeMap<>();
        fields.forEach((field, state) -> {
            ReportJson.Builder shown = ReportJson.object();
            if (state instanceof PersonalValueState.Revealed revealed) {
                shown.put("status", "revealed").put("value", revealed.disclosure().value())
                        .put("opening", HexFormat.of().formatHex(revealed.disclosure().opening()));
            } else if (state instanceof PersonalValueState.Unreadable unreadable) {
                shown.put("status", "unreadable").put("detail", unreadable.reason());
            } else {
                shown.put("status", state instanceof PersonalValueState.Erased ? "erased" : "withheld");
            }
            members.put(field.path(), shown.build());
        });
        return new ReportEntry(index, leafHash, event, redactions, proof, new JsonObject(members));
    }

    /**
     * The revealed value of a committed field, or null (not committed, not revealed, or no personal data in the
     * report).
     */
    public JsonValue personalValue(String path) {
        if (personalData == null || !(personalData.get(path) instanceof JsonObject field)) {
            return null;
        }
        return field.get("value");
    }

    /**
     * The revealed personal value of a field (as text), or else the event's own text at that path: for a personal
     * identifier, the real id where it was revealed, else the pseudonym the leaf holds.
     */
    public String text(String path) {
        JsonValue revealed = personalValue(path);
        if (revealed != null) {
            return revealed instanceof JsonString string ? string.value() : CanonicalJson.canonicalize(revealed);
        }
        return ReportJson.string(event, path);
    }

    public boolean redacted() {
        return !redactions.isEmpty();
    }

    /**
     * The paths redacted as a canonical JSON array, for formats that print them as text: a path may hold spaces and
     * commas, so a joined list would not say where one ends. Null when the event is unchanged.
     */
    public String redactionsText() {
        return redactions.isEmpty() ? null : CanonicalJson.canonicalize(
                new JsonArray(redactions.stream().<JsonValue>map(JsonString::new).toList()));
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
        if (personalData != null) {
            out.put("personalData", personalData);
        }
        return out.build();
    }
}
