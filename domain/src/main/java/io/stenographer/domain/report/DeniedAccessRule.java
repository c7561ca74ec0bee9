package io.stenographer.domain.report;

import io.stenographer.domain.event.AuditEvent;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Rule {@value #ID}: denied events grouped by actor and by resource, and repeated attempts flagged: an
 * actor with at least {@code threshold} denied events whose {@code occurredAt} fall within
 * {@code window} (both ends inclusive) raises a {@code repeated-denials} finding. Overlapping flagged
 * windows of one actor merge into one finding (one burst), whose count is the attempts in the burst.
 *
 * <p>Bounded state: per actor only the {@code threshold} latest attempt times are kept, which is
 * exactly enough when events arrive in time order (log order nearly is). An attempt that arrives later
 * than {@code threshold} newer ones is still counted in the groups but not in windows. At most
 * min(10,000, 1,000,000 / threshold) actors are tracked for windows; the report notes any beyond.
 */
final class DeniedAccessRule implements ReportRule {

    static final String ID = "denied-access/1";
    static final int MAX_FINDINGS = 1_000;

    private final int threshold;
    private final long windowMicros;
    private final Duration window;
    private final int maxTrackedActors;
    private final BoundedCounter byActor = new BoundedCounter(10_000);
    private final BoundedCounter byResource = new BoundedCounter(10_000);
    private final Map<String, Track> tracks = new HashMap<>();
    private final List<Finding> bursts = new ArrayList<>();
    private long untrackedActors;
    private long lateAttempts;
    private long droppedBursts;

    DeniedAccessRule(int threshold, Duration window) {
        this.threshold = threshold;
        this.window = window;
        this.windowMicros = window.toNanos() / 1_000;
        this.maxTrackedActors = Math.min(10_000, 1_000_000 / threshold);
    }

    /** The latest attempt times of one actor (sorted, at most threshold) and its open burst. */
    private static final class Track {
        final long[] times;
        int size;
        long burstStart;
        long burstEnd;
        long burstCount;

        Track(int capacity) {
            times = new long[capacity];
        }
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public void accept(AuditEvent event) {
        String actor = event.content().actor().id();
        byActor.add(actor);
        byResource.add(event.content().resource() == null ? "(none)"
                : event.content().resource().type() + "/" + event.content().resource().id());
        Track track = tracks.get(actor);
        if (track == null) {
            if (tracks.size() >= maxTrackedActors) {
                untrackedActors++;
                return;
            }
            track = new Track(threshold);
            tracks.put(actor, track);
        }
        long t = micros(event.content().occurredAt());
        int position = Arrays.binarySearch(track.times, 0, track.size, t);
        if (position < 0) {
            position = -position - 1;
        }
        if (track.size == threshold) {
            if (position == 0) {
                lateAttempts++;
                return;
            }
            System.arraycopy(track.times, 1, track.times, 0, position - 1);
            track.times[position - 1] = t;
        } else {
            System.arraycopy(track.times, position, track.times, position + 1, track.size - position);
            track.times[position] = t;
            track.size++;
        }
        int endingAt = countIn(track, t - windowMicros, t);
        int startingAt = countIn(track, t, t + windowMicros);
        if (endingAt < threshold && startingAt < threshold) {
            return;
        }
        long start = endingAt >= threshold ? t - windowMicros : t;
        long end = endingAt >= threshold ? t : t + windowMicros;
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        for (int i = 0; i < track.size; i++) {
            if (track.times[i] >= start && track.times[i] <= end) {
                first = Math.min(first, track.times[i]);
                last = Math.max(last, track.times[i]);
            }
        }
        if (track.burstCount > 0 && first - windowMicros <= track.burstEnd) {
            track.burstStart = Math.min(track.burstStart, first);
            track.burstEnd = Math.max(track.burstEnd, last);
            track.burstCount++;
        } else {
            close(actor, track);
            track.burstStart = first;
            track.burstEnd = last;
            track.burstCount = Math.max(endingAt, startingAt);
        }
    }

    private static int countIn(Track track, long from, long to) {
        int count = 0;
        for (int i = 0; i < track.size; i++) {
            if (track.times[i] >= from && track.times[i] <= to) {
                count++;
            }
        }
        return count;
    }

    private void close(String actor, Track track) {
        if (track.burstCount == 0) {
            return;
        }
        if (bursts.size() >= MAX_FINDINGS) {
            droppedBursts++;
        } else {
            bursts.add(new Finding(ID, "repeated-denials", actor, track.burstCount, instant(track.burstStart),
                    instant(track.burstEnd), actor + " was denied " + track.burstCount + " times between "
                            + instant(track.burstStart) + " and " + instant(track.burstEnd) + " (threshold "
                            + threshold + " within " + window + ")"));
        }
        track.burstCount = 0;
    }

    @Override
    public RuleResult result() {
        List<String> actors = new ArrayList<>(tracks.keySet());
        actors.sort(Comparator.naturalOrder());
        for (String actor : actors) {
            close(actor, tracks.get(actor));
        }
        List<Finding> findings = new ArrayList<>(bursts);
        findings.sort(Comparator.comparing(Finding::from).thenComparing(Finding::subject));
        List<String> notes = new ArrayList<>();
        if (untrackedActors > 0) {
            notes.add(untrackedActors + " denied events of actors beyond the first " + maxTrackedActors
                    + " were grouped but not checked for repeated attempts");
        }
        if (lateAttempts > 0) {
            notes.add(lateAttempts + " denied events arrived in the log after " + threshold
                    + " later attempts of the same actor and were grouped but not checked for repeated attempts");
        }
        if (droppedBursts > 0) {
            notes.add("only the first " + MAX_FINDINGS + " repeated-attempt findings are listed; " + droppedBursts
                    + " more were found");
        }
        List<ReportTable> tables = List.of(byActor.table("Denied events by actor", "actor", 100, notes),
                byResource.table("Denied events by resource", "resource", 100, notes));
        return new RuleResult(ID, tables, findings, notes);
    }

    static long micros(Instant instant) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, instant);
    }

    static Instant instant(long micros) {
        return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
    }
}
