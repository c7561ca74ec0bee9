package io.stenographer.domain.report;

import io.stenographer.domain.event.AuditEvent;
import io.stenographer.domain.event.Outcome;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Rule {@value #ID}: who accessed one resource. Fed the accesses (the configured access actions on the
 * resource in the period); one finding per actor with counts, denials, accesses without a reason, and
 * the first and last access. At most {@value #MAX_ACTORS} actors are tracked individually.
 */
final class RecordAccessRule implements ReportRule {

    static final String ID = "record-access/1";
    static final int MAX_ACTORS = 10_000;

    private final String resource;
    private final Map<String, Stats> byActor = new HashMap<>();
    private final BoundedCounter byAction = new BoundedCounter(1_000);
    private long untracked;

    RecordAccessRule(String resourceType, String resourceId) {
        this.resource = resourceType + "/" + resourceId;
    }

    private static final class Stats {
        long count;
        long denied;
        long withoutReason;
        Instant first;
        Instant last;
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public void accept(AuditEvent event) {
        byAction.add(event.content().action().value());
        String actor = event.content().actor().id();
        Stats stats = byActor.get(actor);
        if (stats == null) {
            if (byActor.size() >= MAX_ACTORS) {
                untracked++;
                return;
            }
            stats = new Stats();
            byActor.put(actor, stats);
        }
        Instant at = event.content().occurredAt();
        stats.count++;
        if (event.content().outcome() == Outcome.DENIED) {
            stats.denied++;
        }
        if (UnjustifiedAccessRule.noReason(event)) {
            stats.withoutReason++;
        }
        stats.first = stats.first == null || at.isBefore(stats.first) ? at : stats.first;
        stats.last = stats.last == null || at.isAfter(stats.last) ? at : stats.last;
    }

    @Override
    public RuleResult result() {
        List<String> notes = new ArrayList<>();
        List<Map.Entry<String, Stats>> actors = new ArrayList<>(byActor.entrySet());
        actors.sort(Comparator.<Map.Entry<String, Stats>>comparingLong(e -> e.getValue().count).reversed()
                .thenComparing(Map.Entry::getKey));
        List<Finding> findings = new ArrayList<>();
        List<List<String>> rows = new ArrayList<>();
        for (Map.Entry<String, Stats> entry : actors) {
            Stats s = entry.getValue();
            if (findings.size() < DeniedAccessRule.MAX_FINDINGS) {
                findings.add(new Finding(ID, "actor-access", entry.getKey(), s.count, s.first, s.last,
                        entry.getKey() + " accessed " + resource + " " + s.count + " time(s): " + s.denied
                                + " denied, " + s.withoutReason + " without a stated reason"));
            }
            rows.add(List.of(entry.getKey(), Long.toString(s.count), Long.toString(s.denied),
                    Long.toString(s.withoutReason)));
        }
        if (actors.size() > DeniedAccessRule.MAX_FINDINGS) {
            notes.add("only the " + DeniedAccessRule.MAX_FINDINGS + " actors with the most accesses are listed as"
                    + " findings; all " + actors.size() + " are in the table by actor");
        }
        if (untracked > 0) {
            notes.add(untracked + " accesses by actors beyond the first " + MAX_ACTORS
                    + " are in the event table but not broken down by actor");
        }
        List<ReportTable> tables = List.of(
                new ReportTable("Accesses by actor", List.of("actor", "accesses", "denied", "without reason"), rows),
                byAction.table("Accesses by action", "action", 100, notes));
        return new RuleResult(ID, tables, findings, notes);
    }
}
