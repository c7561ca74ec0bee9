package io.stenographer.application.port.in;

import java.util.List;

/**
 * One tenant's part of a purge run: events removed from the hot store (or that would be, in a dry run),
 * kept by a hold or not yet due, and archive copies deleted, kept or given a longer lock.
 *
 * @param personalValuesDeleted events whose personal values were deleted with the last archive copy of them
 * @param purgedIndexRanges the purged log indices as contiguous ranges, in order
 * @param error             why the tenant failed, or null
 */
public record PurgeTenantOutcome(long eventsPurged, long eventsWouldPurge, long eventsHeld, long eventsNotYetDue,
        List<JobOutcome.IndexRange> purgedIndexRanges, int segmentsDeleted, int segmentsWouldDelete,
        int segmentsKept, int segmentsLockExtended, long personalValuesDeleted, String error) implements JobOutcome.TenantOutcome {

    public PurgeTenantOutcome {
        purgedIndexRanges = List.copyOf(purgedIndexRanges);
    }
}
