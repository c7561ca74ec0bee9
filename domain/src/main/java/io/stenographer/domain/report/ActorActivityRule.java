package io.stenographer.domain.report;

import io.stenographer.domain.event.AuditEvent;
import io.stenographer.domain.event.Outcome;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Rule {@value #ID}: everything one actor did. Groups by action, outcome and resource type; finds the
 * number of distinct resources touched (exact up to {@value #MAX_RESOURCES}), and the denied attempts.
 */
final class ActorActivityRule implements ReportRule {

    static final String ID = "actor-activity/1";
    static final int MAX_RESOURCES = 100_000;

    private final String actor;
    private final BoundedCounter byAction = new BoundedCounter(1_000);
    private final BoundedCounter byOutcome = new BoundedCounter(3);
    private final BoundedCounter byResourceType = new BoundedCounter(1_000);
    private final Set<String> resources = new HashSet<>();
    private boolean resourcesCapped;
    private long total;
    private long denied;
    private Instant firstDenied;
    private Instant lastDenied;

    ActorActivityRule(String actor) {
        this.actor = actor;
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public void accept(AuditEvent event) {
        total++;
        byAction.add(event.content().action().value());
        byOutcome.add(event.content().outcome().wireName());
        if (event.content().resource() != null) {
            byResourceType.add(event.content().resource().type());
            if (resources.size() < MAX_RESOURCES) {
                resources.add(event.content().resource().type() + "/" + event.content().resource().id());
            } else {
                resourcesCapped = true;
            }
        }
        if (event.content().outcome() == Outcome.DENIED) {
            Instant at = event.content().occurredAt();
            denied++;
            firstDenied = firstDenied == null || at.isBefore(firstDenied) ? at : firstDenied;
            lastDenied = lastDenied == null || at.isAfter(lastDenied) ? at : lastDenied;
        }
    }

    @Override
    public RuleResult result() {
        List<String> notes = new ArrayList<>();
        List<Finding> findings = new ArrayList<>();
        findings.add(new Finding(ID, "activity", actor, total, null, null,
                actor + " performed " + total + " action(s) on " + (resourcesCapped ? "more than " : "")
                        + resources.size() + " distinct resource(s)"));
        if (denied > 0) {
            findings.add(new Finding(ID, "denied", actor, denied, firstDenied, lastDenied,
                    actor + " was denied " + denied + " time(s)"));
        }
        if (resourcesCapped) {
            notes.add("distinct resources are counted exactly up to " + MAX_RESOURCES);
        }
        List<ReportTable> tables = List.of(byAction.table("Actions", "action", 100, notes),
                byOutcome.table("Outcomes", "outcome", 3, notes),
                byResourceType.table("Resource types", "resource type", 100, notes));
        return new RuleResult(ID, tables, findings, notes);
    }
}
