package io.stenographer.application.port.out;

import io.stenographer.application.port.out.ArchiveSegmentsPort.Lock;
import io.stenographer.domain.archive.SegmentManifest;
import io.stenographer.domain.event.EventId;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.merkle.Hash;
import io.stenographer.domain.query.EventCriteria;
import io.stenographer.domain.query.PageRequest;
import io.stenographer.domain.retention.HoldCriteria;
import io.stenographer.domain.retention.RetentionSubject;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The database's record of what is archived: confirmed segments, an index of the events each holds
 * (which outlives the purged payloads), and deleted archive copies. Append-only.
 */
public interface CatalogSegmentsPort {

    /** One past the last archived index of the tenant's log; 0 when nothing is archived. */
    long archivedUpTo(TenantId tenant);

    /** Records a segment the archive confirmed, with the index of the events it holds. */
    void recordSegment(SegmentManifest manifest, Lock confirmedLock, Instant confirmedRetainUntil,
            List<ArchivedEvent> events);

    Optional<ArchivedSegment> segment(String objectKey);

    /**
     * The tenant's segments starting at {@code fromIndex} or later whose archive copy has not been deleted, in index
     * order. Segments are recorded in index order, each continuing the catalogue, so those recorded after a moment are
     * those starting at or after where the catalogue ended then.
     */
    List<ArchivedSegment> liveSegments(TenantId tenant, long fromIndex);

    /** The segment holding the tenant's leaf at {@code index}, deleted or not; empty if it was never archived. */
    Optional<ArchivedSegment> segmentCovering(TenantId tenant, long index);

    /** Where an archived event lives, if it was archived. */
    Optional<ArchivedEventRef> archivedEvent(EventId id);

    /**
     * Segments of the tenant whose retain-until date has passed and whose copy still exists, in log order, those
     * starting at or after {@code fromIndex} (a page: the next one starts after the last one's end).
     */
    List<ArchivedSegment> segmentsPastRetention(TenantId tenant, Instant now, long fromIndex, int limit);

    /** Segments of the tenant that hold at least one event the criteria match (copy not deleted). */
    Set<String> liveSegmentsMatching(TenantId tenant, HoldCriteria criteria);

    /** What each event of the segment was about, for legal-hold checks. */
    List<RetentionSubject> subjectsOf(String objectKey);

    /** How many of the segment's events are still in the hot store. */
    long eventsStillHot(String objectKey);

    void recordSegmentDeletion(String objectKey, Instant deletedAt, UUID jobRunId);

    /**
     * Purged events (archived, no longer in the hot store) matching the criteria, after the page's cursor in
     * (occurredAt, id) order, at most {@code limit}. The archive index holds no source application or
     * correlation id; the caller refuses criteria naming those.
     */
    List<ArchivedEventRef> purgedMatching(EventCriteria criteria, PageRequest page, int limit);

    /** An archived event's index row: what holds and queries need after its payload is purged. */
    record ArchivedEvent(long index, EventId id, Hash leafHash, RetentionSubject subject, String outcome) {
    }

    record ArchivedEventRef(TenantId tenant, long index, EventId id, Hash leafHash, String segmentKey) {
    }

    record ArchivedSegment(SegmentManifest manifest, Instant deletedAt) {
        public boolean deleted() {
            return deletedAt != null;
        }
    }
}
