package io.stenographer.domain.report;

import io.stenographer.domain.event.AuditEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Rule {@value #ID}: actors with more than {@code threshold} of the volume actions (by default views
 * and exports) in one window. Windows are fixed, consecutive and aligned to the report's {@code from}
 * ({@code [from + k*window, from + (k+1)*window)}), so a burst split across a window boundary can stay
 * below the threshold in both; choose a window of half the span of interest to be sure to catch it.
 *
 * <p>Counts are kept per (actor, window); at most {@value #MAX_KEYS} pairs are tracked and the report
 * notes the events beyond. The event table of the report holds exactly the events of flagged windows.
 */
final class UnusualVolumeRule implements ReportRule {

    static final String ID = "unusual-volume/1";
    static final int MAX_KEYS = 200_000;

    private final Instant from;
    private final Duration window;
    private final long windowNanos;
    private final int threshold;
    private final Map<Key, long[]> counts = new HashMap<>();
    private final BoundedCounter byActor = new BoundedCounter(10_000);
    private long untracked;

    private record Key(String actor, long window) {
    }

    UnusualVolumeRule(Instant from, Duration window, int threshold) {
        this.from = from;
        this.window = window;
        this.windowNanos = window.toNanos();
        this.threshold = threshold;
    }

    @Override
    public String id() {
        return ID;
    }

    private Key key(AuditEvent event) {
        long offset = Duration.between(from, event.content().occurredAt()).toNanos();
        return new Key(event.content().actor().id(), offset / windowNanos);
    }

    @Override
    public void accept(AuditEvent event) {
        byActor.add(event.content().actor().id());
        Key key = key(event);
        long[] count = counts.get(key);
        if (count == null) {
            if (counts.size() >= MAX_KEYS) {
                untracked++;
                return;
            }
            count = new long[1];
            counts.put(key, count);
        }
        count[0]++;
    }

    /** Whether the event lies in a flagged (actor, window); valid after all events were accepted. */
    boolean inFlaggedWindow(AuditEvent event) {
        long[] count = counts.get(key(event));
        return count != null && count[0] > threshold;
    }

    /** Events in flagged windows: the size of the report's event table. */
    long flaggedEvents() {
        long sum = 0;
        for (long[] count : counts.values()) {
            if (count[0] > threshold) {
                sum += count[0];
            }
        }
        return sum;
    }

    @Override
    public RuleResult result() {
        List<Map.Entry<Key, long[]>> flagged = new ArrayList<>();
        counts.entrySet().stream().filter(e -> e.getValue()[0] > threshold).forEach(flagged::add);
        flagged.sort(Comparator.<Map.Entry<Key, long[]>>comparingLong(e -> e.getKey().window())
                .thenComparing(e -> e.getKey().actor()));
        List<Finding> findings = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        BoundedCounter flaggedByActor = new BoundedCounter(10_000);
        for (Map.Entry<Key, long[]> entry : flagged) {
            Instant start = from.plus(window.multipliedBy(entry.getKey().window()));
            Instant end = start.plus(window).minusNanos(1_000);
            flaggedByActor.add(entry.getKey().actor());
            if (findings.size() < 1_000) {
                findings.add(new Finding(ID, "volume-above-threshold", entry.getKey().actor(), entry.getValue()[0],
                        start, end, entry.getKey().actor() + " performed " + entry.getValue()[0]
                                + " actions in the window starting " + start + " (threshold " + threshold + " per "
                                + window + ")"));
            }
        }
        if (flagged.size() > 1_000) {
            notes.add("only the first 1000 of " + flagged.size() + " flagged windows are listed as findings");
        }
        if (untracked > 0) {
            notes.add(untracked + " events beyond " + MAX_KEYS + " tracked (actor, window) pairs were not counted");
        }
        return new RuleResult(ID, List.of(byActor.table("Volume actions by actor", "actor", 100, notes),
                flaggedByActor.table("Flagged windows by actor", "actor", "windows", 100, notes)), findings, notes);
    }
}
