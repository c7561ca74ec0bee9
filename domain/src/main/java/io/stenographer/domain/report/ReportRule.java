package io.stenographer.domain.report;

import io.stenographer.domain.event.AuditEvent;

/**
 * A report rule as a streaming accumulator: it is fed every event the report considers, in log-index
 * order, keeps bounded state, and answers once at the end. Its id carries a version that changes
 * whenever its meaning does, so a report says exactly which logic produced it.
 */
public interface ReportRule {

    /** For example {@code denied-access/1}. */
    String id();

    void accept(AuditEvent event);

    RuleResult result();
}
