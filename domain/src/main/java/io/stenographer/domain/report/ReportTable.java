package io.stenographer.domain.report;

import io.stenographer.domain.json.JsonArray;
import io.stenographer.domain.json.JsonObject;
import io.stenographer.domain.json.JsonValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** A small summary table (grouped counts) for people and machines alike. */
public record ReportTable(String title, List<String> columns, List<List<String>> rows) {

    public ReportTable {
        Objects.requireNonNull(title, "title");
        columns = List.copyOf(columns);
        List<List<String>> copy = new ArrayList<>(rows.size());
        for (List<String> row : rows) {
            if (row.size() != columns.size()) {
                throw new IllegalArgumentException("row " + row + " does not have " + columns.size() + " cells");
            }
            copy.add(List.copyOf(row));
        }
        rows = List.copyOf(copy);
    }

    public JsonObject toJson() {
        List<JsonValue> jsonRows = new ArrayList<>(rows.size());
        rows.forEach(row -> jsonRows.add(ReportJson.strings(row)));
        return ReportJson.object().put("title", title).putStrings("columns", columns)
                .put("rows", new JsonArray(jsonRows)).build();
    }
}
