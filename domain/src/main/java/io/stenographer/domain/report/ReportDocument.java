package io.stenographer.domain.report;

import io.stenographer.domain.json.JsonArray;
import io.stenographer.domain.json.JsonObject;
import io.stenographer.domain.json.JsonValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Everything of a report but its event table, which is streamed (see {@link ReportEvents}). */
public record ReportDocument(ReportHeader header, ReportSummary summary, List<RuleResult> results) {

    public ReportDocument {
        Objects.requireNonNull(header, "header");
        Objects.requireNonNull(summary, "summary");
        results = List.copyOf(results);
    }

    public List<Finding> findings() {
        List<Finding> all = new ArrayList<>();
        results.forEach(result -> all.addAll(result.findings()));
        return all;
    }

    public List<String> notes() {
        List<String> all = new ArrayList<>();
        results.forEach(result -> all.addAll(result.notes()));
        return all;
    }

    /** The report without its events: format, header, summary and each rule's tables, findings, notes. */
    public ReportJson.Builder toJsonBuilder() {
        List<JsonValue> rules = new ArrayList<>();
        for (RuleResult result : results) {
            List<JsonValue> tables = new ArrayList<>();
            result.tables().forEach(table -> tables.add(table.toJson()));
            List<JsonValue> findings = new ArrayList<>();
            result.findings().forEach(finding -> findings.add(finding.toJson()));
            rules.add(ReportJson.object().put("rule", result.rule()).put("tables", new JsonArray(tables))
                    .put("findings", new JsonArray(findings)).putStrings("notes", result.notes()).build());
        }
        return ReportJson.object()
                .put("format", ReportHeader.FORMAT)
                .put("header", header.toJson())
                .put("summary", summary.toJson())
                .put("rules", new JsonArray(rules));
    }

    public JsonObject toJson() {
        return toJsonBuilder().build();
    }
}
