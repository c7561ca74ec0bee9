package io.stenographer.application.port.out;

import io.stenographer.domain.event.StoredEventFields;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.log.LogLeaf;
import io.stenographer.domain.merkle.Hash;
import java.util.List;

/** Reads a tenant's leaves with their events' stored fields as they are, for verification to hash them directly. */
public interface LoadLeafFieldsPort {

    /**
     * Streams the leaves with {@code from <= index < to} in index order, read by one statement (one snapshot, no
     * transaction), to {@code ranges} as consecutive ranges that together cover {@code [from, to)} exactly, also
     * where leaves are missing. A range holds at most {@code maxRows} rows and ends early once its stored fields
     * pass {@code maxBytes}, so memory stays bounded by bytes, not only by count. Each row carries its event's
     * stored fields read in the same statement: {@code fields} is null when the event row is missing or was purged
     * after archiving ({@code archivedLeafHash} set; it is read only for a leaf without its event row). Nothing is validated: an altered column comes back as it is
     * stored. The stream stops early when {@code ranges} returns false.
     */
    void streamLeavesWithFields(TenantId tenant, long from, long to, int maxRows, long maxBytes, LeafRanges ranges);

    /** Receives the consecutive ranges of {@link #streamLeavesWithFields}, on the calling thread. */
    @FunctionalInterface
    interface LeafRanges {

        /** @return whether to go on reading */
        boolean next(long from, long to, List<LeafFields> rows);
    }

    record LeafFields(LogLeaf leaf, StoredEventFields fields, Hash archivedLeafHash) {
    }
}
