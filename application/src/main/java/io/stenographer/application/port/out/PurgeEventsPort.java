package io.stenographer.application.port.out;

import io.stenographer.domain.event.EventId;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.retention.RetentionSubject;
import java.util.List;

/**
 * The one narrow path that removes events from the hot store. It can only remove events held by a
 * confirmed archive segment under the same leaf hash; the database enforces that, whatever the caller
 * asks. The caller decides retention and legal holds before asking.
 */
public interface PurgeEventsPort {

    /** Archived events still in the hot store with {@code index >= fromIndex}, in index order. */
    List<PurgeCandidate> purgeCandidates(TenantId tenant, long fromIndex, int limit);

    /**
     * Where the tenant's per-event purge resumes: every archived event of the tenant below this index has left the
     * hot store (0 before its first run). Archiving proceeds in index order, so nothing archived later lies below it.
     */
    long resumeIndex(TenantId tenant);

    /** Records where the next per-event purge of the tenant resumes; never moves it back. */
    void resumeFrom(TenantId tenant, long index);

    /** Removes the given events (at most 1000) and returns the log indices actually removed. */
    List<Long> purge(TenantId tenant, List<EventId> events);

    record PurgeCandidate(long index, EventId id, RetentionSubject subject) {
    }
}
