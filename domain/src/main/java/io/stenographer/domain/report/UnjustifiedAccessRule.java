package io.stenographer.domain.report;

import io.stenographer.domain.event.AuditEvent;
import io.stenographer.domain.event.PersonalField;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Rule {@value #ID}: sensitive actions (matching the configured patterns) that carry no stated reason.
 * "No reason" means the event has no {@code reason}, or one that is only whitespace (ingest refuses
 * blank reasons, so the second case only arises from older or imported data). A reason the tenant's data policy
 * makes personal is not in the event's content but committed beside it: that event has one. One finding per actor.
 */
final class UnjustifiedAccessRule implements ReportRule {

    static final String ID = "unjustified-access/1";

    private final BoundedCounter byActor = new BoundedCounter(10_000);
    private final BoundedCounter byAction = new BoundedCounter(1_000);

    static boolean noReason(AuditEvent event) {
        String reason = event.content().reason();
        if (reason == null) {
            return event.personal().get(PersonalField.REASON) == null;
        }
        return reason.isBlank();
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public void accept(AuditEvent event) {
        byActor.add(event.content().actor().id());
        byAction.add(event.content().action().value());
    }

    @Override
    public RuleResult result() {
        List<String> notes = new ArrayList<>();
        List<Finding> findings = new ArrayList<>();
        for (Map.Entry<String, Long> entry : byActor.top(1_000)) {
            findings.add(new Finding(ID, "unjustified-by-actor", entry.getKey(), entry.getValue(), null, null,
                    entry.getKey() + " performed " + entry.getValue() + " sensitive action(s) without a stated reason"));
        }
        if (byActor.size() > 1_000) {
            notes.add("findings list the 1000 actors with most unjustified actions of " + byActor.size());
        }
        return new RuleResult(ID, List.of(byActor.table("Unjustified actions by actor", "actor", 100, notes),
                byAction.table("Unjustified actions by action", "action", 100, notes)), findings, notes);
    }
}
