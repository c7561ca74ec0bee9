package io.stenographer.application.service.fakes;

import io.stenographer.application.port.out.ArchiveSegmentsPort.Lock;
import io.stenographer.application.port.out.CatalogSegmentsPort;
import io.stenographer.domain.archive.SegmentManifest;
import io.stenographer.domain.event.EventId;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.query.EventCriteria;
import io.stenographer.domain.query.PageRequest;
import io.stenographer.domain.retention.HoldCriteria;
import io.stenographer.domain.retention.RetentionSubject;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** A catalog of a deployment that has archived nothing yet. */
public final class EmptyArchiveCatalog implements CatalogSegmentsPort {

    @Override
    public long archivedUpTo(TenantId tenant) {
        return 0;
    }

    @Override
    public void recordSegment(SegmentManifest manifest, Lock confirmedLock, Instant confirmedRetainUntil,
            List<ArchivedEvent> events) {
        throw new UnsupportedOperationException("this catalog stays empty");
    }

    @Override
    public Optional<ArchivedSegment> segment(String objectKey) {
        return Optional.empty();
    }

    @Override
    public Optional<ArchivedSegment> segmentCovering(TenantId tenant, long index) {
        return Optional.empty();
    }

    @Override
    public Optional<ArchivedEventRef> archivedEvent(EventId id) {
        return Optional.empty();
    }

    @Override
    public List<ArchivedSegment> liveSegments(TenantId tenant, long fromIndex) {
        return List.of();
    }

    @Override
    public List<ArchivedSegment> segmentsPastRetention(TenantId tenant, Instant now, long fromIndex, int limit) {
        return List.of();
    }

    @Override
    public Set<String> liveSegmentsMatching(TenantId tenant, HoldCriteria criteria) {
        return Set.of();
    }

    @Override
    public List<RetentionSubject> subjectsOf(String objectKey) {
        return List.of();
    }

    @Override
    public long eventsStillHot(String objectKey) {
        return 0;
    }

    @Override
    public void recordSegmentDeletion(String objectKey, Instant deletedAt, UUID jobRunId) {
        throw new UnsupportedOperationException("this catalog stays empty");
    }

    @Override
    public List<ArchivedEventRef> purgedMatching(EventCriteria criteria, PageRequest page, int limit) {
        return List.of();
    }
}
