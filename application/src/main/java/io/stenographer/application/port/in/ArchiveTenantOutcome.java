package io.stenographer.application.port.in;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One tenant's part of an archive run.
 *
 * @param segments          the segments written or adopted, in index order
 * @param indexRange        the log indices they hold, or null when there are none
 * @param archiveLagSeconds how long the oldest due event that is still not archived has waited
 * @param error             why the tenant failed, or null
 */
public record ArchiveTenantOutcome(long eventsArchived, List<Segment> segments, JobOutcome.IndexRange indexRange,
        int segmentsReused, int legalHoldsApplied, long archiveLagSeconds, String error)
        implements JobOutcome.TenantOutcome {

    /** A segment: its object key, the log indices {@code [from, to)} and its lock's end. */
    public record Segment(String key, long from, long to, Instant retainUntil) {
        public Segment {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(retainUntil, "retainUntil");
        }
    }

    public ArchiveTenantOutcome {
        segments = List.copyOf(segments);
    }
}
