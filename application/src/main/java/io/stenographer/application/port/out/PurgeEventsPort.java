package io.stenographer.application.port.out;

import io.stenographer.domain.event.EventId;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.retention.RetentionSubject;
import java.time.Instant;
import java.util.List;

/**
 * The one narrow path that removes events from the hot store. It can only remove events held by a
 * confirmed archive segment under the same leaf hash; the database enforces that, whatever the caller
 * asks. The caller decides retention and legal holds before asking.
 *
 * <p>Each archived event is walked once: the cursor passes every event it reads, and an event that must stay (not
 * yet due, or held) is deferred with the time to look at it again, so no run reads the same kept events again.
 */
public interface PurgeEventsPort {

    /** Archived events still in the hot store with {@code index >= fromIndex}, in index order. */
    List<PurgeCandidate> purgeCandidates(TenantId tenant, long fromIndex, int limit);

    /** Where the tenant's per-event purge resumes, and the holds it last judged under (0 and null before its first). */
    PurgeCursor cursor(TenantId tenant);

    /** Records where the next per-event purge of the tenant resumes (never moves it back), and the holds it judged. */
    void saveCursor(TenantId tenant, long nextIndex, String holdsSeen);

    /**
     * Deferred events of the tenant, held or not as asked, whose revisit time is at most {@code upTo} (any, if null),
     * after {@code after} in (revisit time, index) order.
     */
    Revisits revisits(TenantId tenant, boolean held, Instant upTo, RevisitKey after, int limit);

    /** Keeps these events for a later run (replacing what was deferred for the same index). */
    void defer(TenantId tenant, List<Deferral> deferrals);

    /** Drops the deferrals at these indices: the events left the hot store. */
    void forget(TenantId tenant, List<Long> indices);

    /** Removes the given events (at most 1000) and returns the log indices actually removed. */
    List<Long> purge(TenantId tenant, List<EventId> events);

    record PurgeCandidate(long index, EventId id, RetentionSubject subject) {
    }

    /** @param nextIndex every archived event below it has left the hot store or is deferred */
    record PurgeCursor(long nextIndex, String holdsSeen) {
    }

    /** An event that stays for now: not yet due until {@code revisitAt}, or held as well. */
    record Deferral(long index, EventId id, Instant revisitAt, boolean held) {
    }

    /** Where a walk over deferred events stands: revisit time, then index. */
    record RevisitKey(Instant revisitAt, long index) {
        public static final RevisitKey START = new RevisitKey(Instant.EPOCH, -1);
    }

    /**
     * @param inHotStore the deferred events still in the hot store
     * @param gone the indices of deferred events no longer there (a dropped partition took them)
     * @param last the key of the last deferral read, or null if none was
     */
    record Revisits(List<PurgeCandidate> inHotStore, List<Long> gone, RevisitKey last) {
        public boolean isEmpty() {
            return last == null;
        }
    }
}
