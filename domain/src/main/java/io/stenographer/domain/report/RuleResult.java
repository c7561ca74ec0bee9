package io.stenographer.domain.report;

import java.util.List;
import java.util.Objects;

/** What one rule found over the whole range: grouped tables, findings and notes on its own limits. */
public record RuleResult(String rule, List<ReportTable> tables, List<Finding> findings, List<String> notes) {

    public RuleResult {
        Objects.requireNonNull(rule, "rule");
        tables = List.copyOf(tables);
        findings = List.copyOf(findings);
        notes = List.copyOf(notes);
    }
}
