package io.stenographer.domain.report;

import io.stenographer.domain.event.AuditEvent;
import io.stenographer.domain.event.EventDraft;
import io.stenographer.domain.event.Outcome;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One report's logic, evaluated in two passes over the pinned log range in index order, each with
 * bounded memory:
 * <ol>
 *   <li>every event is offered to {@link #consider}; those the report considers (its filters and its
 *       type's own condition) feed the summary and the rules;</li>
 *   <li>after {@link #finish()}, {@link #selects} says which events form the event table (for most
 *       types: the considered events; for unusual volume: those in flagged windows).</li>
 * </ol>
 */
public final class ReportDefinition {

    private final ReportType type;
    private final ReportParameters parameters;
    private final ReportSummary summary;
    private final ReportRule rule;
    private final UnusualVolumeRule volume;
    private long considered;
    private List<RuleResult> results;

    private ReportDefinition(ReportType type, ReportParameters parameters) {
        this.type = Objects.requireNonNull(type, "type");
        this.parameters = Objects.requireNonNull(parameters, "parameters");
        parameters.checkFits(type);
        this.summary = new ReportSummary(parameters.from(), parameters.to());
        this.volume = type == ReportType.UNUSUAL_VOLUME
                ? new UnusualVolumeRule(parameters.from(), parameters.volumeWindow(), parameters.volumeThreshold())
                : null;
        this.rule = switch (type) {
            case RECORD_ACCESS -> new RecordAccessRule(parameters.resourceType(), parameters.resourceId());
            case ACTOR_ACTIVITY -> new ActorActivityRule(parameters.actor());
            case DENIED_ACCESS -> new DeniedAccessRule(parameters.deniedThreshold(), parameters.deniedWindow());
            case UNJUSTIFIED_ACCESS -> new UnjustifiedAccessRule();
            case UNUSUAL_VOLUME -> volume;
            case FOIA_EXPORT -> null;
        };
    }

    public static ReportDefinition of(ReportType type, ReportParameters parameters) {
        return new ReportDefinition(type, parameters);
    }

    public ReportType type() {
        return type;
    }

    public ReportParameters parameters() {
        return parameters;
    }

    /** The versions of every rule that shapes this report, recorded in its header. */
    public List<String> ruleVersions() {
        List<String> versions = new ArrayList<>();
        versions.add(ReportSummary.ID);
        if (rule != null) {
            versions.add(rule.id());
        }
        if (type == ReportType.FOIA_EXPORT) {
            versions.add(Redactor.RULE);
        }
        return versions;
    }

    /** Whether the report considers this event: the filters and the type's condition. */
    public boolean considers(AuditEvent event) {
        EventDraft e = event.content();
        Instant at = e.occurredAt();
        if (at.isBefore(parameters.from()) || !at.isBefore(parameters.to())) {
            return false;
        }
        if (parameters.actor() != null && !parameters.actor().equals(e.actor().id())) {
            return false;
        }
        if (parameters.action() != null && !parameters.action().matches(e.action().value())) {
            return false;
        }
        if (parameters.resourceType() != null
                && (e.resource() == null || !parameters.resourceType().equals(e.resource().type()))) {
            return false;
        }
        if (parameters.resourceId() != null
                && (e.resource() == null || !parameters.resourceId().equals(e.resource().id()))) {
            return false;
        }
        if (parameters.outcome() != null && parameters.outcome() != e.outcome()) {
            return false;
        }
        String action = e.action().value();
        return switch (type) {
            case RECORD_ACCESS -> anyMatch(parameters.accessActions(), action);
            case DENIED_ACCESS -> e.outcome() == Outcome.DENIED;
            case UNJUSTIFIED_ACCESS -> anyMatch(parameters.sensitiveActions(), action)
                    && UnjustifiedAccessRule.noReason(event);
            case UNUSUAL_VOLUME -> anyMatch(parameters.volumeActions(), action);
            default -> true;
        };
    }

    private static boolean anyMatch(List<ActionPattern> patterns, String action) {
        for (ActionPattern pattern : patterns) {
            if (pattern.matches(action)) {
                return true;
            }
        }
        return false;
    }

    /** Pass 1: offers an event; returns whether it was considered. */
    public boolean consider(AuditEvent event) {
        requireOpen();
        if (!considers(event)) {
            return false;
        }
        considered++;
        summary.accept(event);
        if (rule != null) {
            rule.accept(event);
        }
        return true;
    }

    /** Ends pass 1. */
    public void finish() {
        requireOpen();
        results = rule == null ? List.of() : List.of(rule.result());
    }

    /** Pass 2: whether the event belongs in the event table. */
    public boolean selects(AuditEvent event) {
        requireFinished();
        if (!considers(event)) {
            return false;
        }
        return volume == null || volume.inFlaggedWindow(event);
    }

    /** The size of the event table, known after pass 1. */
    public long selectedCount() {
        requireFinished();
        return volume == null ? considered : volume.flaggedEvents();
    }

    public ReportSummary summary() {
        requireFinished();
        return summary;
    }

    public List<RuleResult> results() {
        requireFinished();
        return results;
    }

    private void requireOpen() {
        if (results != null) {
            throw new IllegalStateException("pass 1 has already finished");
        }
    }

    private void requireFinished() {
        if (results == null) {
            throw new IllegalStateException("finish pass 1 first");
        }
    }
}
