package io.stenographer.application.service.fakes;

import io.stenographer.application.port.out.ArchiveSegmentsPort.Lock;
import io.stenographer.application.port.out.CatalogSegmentsPort;
import io.stenographer.application.port.out.PurgeEventsPort;
import io.stenographer.domain.archive.SegmentManifest;
import io.stenographer.domain.event.AuditEvent;
import io.stenographer.domain.event.EventId;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.log.LogLeaf;
import io.stenographer.domain.query.EventCriteria;
import io.stenographer.domain.query.EventCursor;
import io.stenographer.domain.query.PageRequest;
import io.stenographer.domain.retention.HoldCriteria;
import io.stenographer.domain.retention.RetentionSubject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The archive catalog and the purge path as the SQL behaves: the table constraints of archive_segment
 * (COMPLIANCE only, confirmed lock not shorter than the manifest's, one segment per first index, each event
 * once) and the purge function, which removes only events indexed in a segment that is not deleted, under the
 * same leaf hash the log holds. Every call must run inside a transaction.
 */
public final class InMemoryArchiveCatalog implements CatalogSegmentsPort, PurgeEventsPort {

    public record Recorded(SegmentManifest manifest, Lock lock, Instant confirmedRetainUntil,
            List<ArchivedEvent> events, Instant deletedAt, UUID deletedBy) {
    }

    private final FakeTransactionRunner transactions;
    private final InMemoryLog log;
    private final Map<String, Recorded> segments = new LinkedHashMap<>();
    private final List<List<EventId>> purgeCalls = new ArrayList<>();
    private boolean failNextRecord;

    public InMemoryArchiveCatalog(FakeTransactionRunner transactions, InMemoryLog log) {
        this.transactions = transactions;
        this.log = log;
    }

    public List<Recorded> recorded() {
        return List.copyOf(segments.values());
    }

    public Optional<Recorded> recorded(String key) {
        return Optional.ofNullable(segments.get(key));
    }

    /** The next recordSegment fails, as if the database went away after the upload. */
    public void failNextRecord() {
        failNextRecord = true;
    }

    /** The event ids of every purge call, in order. */
    public List<List<EventId>> purgeCalls() {
        return List.copyOf(purgeCalls);
    }

    @Override
    public long archivedUpTo(TenantId tenant) {
        requireTransaction();
        return ofTenant(tenant).mapToLong(r -> r.manifest().to()).max().orElse(0);
    }

    @Override
    public void recordSegment(SegmentManifest manifest, Lock confirmedLock, Instant confirmedRetainUntil,
            List<ArchivedEvent> events) {
        requireTransaction();
        if (failNextRecord) {
            failNextRecord = false;
            throw new IllegalStateException("the database connection was lost");
        }
        if (confirmedLock != Lock.WRITE_ONCE || confirmedRetainUntil.isBefore(manifest.retainUntil())) {
            throw new IllegalStateException("check constraint: the confirmed lock must be COMPLIANCE until at least "
                    + manifest.retainUntil());
        }
        if (segments.containsKey(manifest.objectKey()) || ofTenant(manifest.tenant())
                .anyMatch(r -> r.manifest().from() == manifest.from())) {
            throw new IllegalStateException("unique violation: segment " + manifest.objectKey());
        }
        Set<EventId> known = new HashSet<>();
        segments.values().forEach(r -> r.events().forEach(e -> known.add(e.id())));
        if (events.stream().anyMatch(e -> !known.add(e.id()))) {
            throw new IllegalStateException("unique violation: an event is archived twice");
        }
        segments.put(manifest.objectKey(), new Recorded(manifest, confirmedLock, confirmedRetainUntil,
                List.copyOf(events), null, null));
    }

    @Override
    public Optional<ArchivedSegment> segment(String objectKey) {
        requireTransaction();
        return Optional.ofNullable(segments.get(objectKey))
                .map(r -> new ArchivedSegment(r.manifest(), r.deletedAt()));
    }

    @Override
    public Optional<ArchivedSegment> segmentCovering(TenantId tenant, long index) {
        requireTransaction();
        return segments.values().stream()
                .filter(r -> r.manifest().tenant().equals(tenant) && r.manifest().from() <= index
                        && index < r.manifest().to())
                .findFirst().map(r -> new ArchivedSegment(r.manifest(), r.deletedAt()));
    }

    @Override
    public Optional<ArchivedEventRef> archivedEvent(EventId id) {
        requireTransaction();
        return refs().filter(ref -> ref.id().equals(id)).findFirst();
    }

    @Override
    public List<ArchivedSegment> liveSegments(TenantId tenant) {
        requireTransaction();
        return ofTenant(tenant)
                .filter(r -> r.deletedAt() == null)
                .sorted(Comparator.comparingLong(r -> r.manifest().from()))
                .map(r -> new ArchivedSegment(r.manifest(), null))
                .toList();
    }

    @Override
    public List<ArchivedSegment> segmentsPastRetention(TenantId tenant, Instant now, int limit) {
        requireTransaction();
        return ofTenant(tenant)
                .filter(r -> r.deletedAt() == null && !r.manifest().retainUntil().isAfter(now))
                .sorted(Comparator.comparingLong(r -> r.manifest().from()))
                .limit(limit)
                .map(r -> new ArchivedSegment(r.manifest(), null))
                .toList();
    }

    @Override
    public Set<String> liveSegmentsMatching(TenantId tenant, HoldCriteria criteria) {
        requireTransaction();
        Set<String> keys = new TreeSet<>();
        ofTenant(tenant).filter(r -> r.deletedAt() == null)
                .filter(r -> r.events().stream().anyMatch(e -> criteria.matches(e.subject())))
                .forEach(r -> keys.add(r.manifest().objectKey()));
        return keys;
    }

    @Override
    public List<RetentionSubject> subjectsOf(String objectKey) {
        requireTransaction();
        Recorded recorded = segments.get(objectKey);
        return recorded == null ? List.of() : recorded.events().stream().map(ArchivedEvent::subject).toList();
    }

    @Override
    public long eventsStillHot(String objectKey) {
        requireTransaction();
        return segments.get(objectKey).events().stream().filter(e -> log.isHot(e.id())).count();
    }

    @Override
    public void recordSegmentDeletion(String objectKey, Instant deletedAt, UUID jobRunId) {
        requireTransaction();
        Recorded r = segments.get(objectKey);
        if (r == null || r.deletedAt() != null) {
            throw new IllegalStateException("foreign key or unique violation deleting " + objectKey);
        }
        segments.put(objectKey, new Recorded(r.manifest(), r.lock(), r.confirmedRetainUntil(), r.events(),
                deletedAt, jobRunId));
    }

    @Override
    public List<ArchivedEventRef> purgedMatching(EventCriteria criteria, PageRequest page, int limit) {
        requireTransaction();
        EventCursor after = page.after();
        Comparator<Map.Entry<Recorded, ArchivedEvent>> order = Comparator
                .comparing((Map.Entry<Recorded, ArchivedEvent> e) -> e.getValue().subject().occurredAt())
                .thenComparing(e -> e.getValue().id().value());
        return ofTenant(criteria.tenant())
                .flatMap(r -> r.events().stream().map(e -> Map.entry(r, e)))
                .filter(e -> !log.isHot(e.getValue().id()))
                .filter(e -> matches(criteria, e.getValue()))
                .filter(e -> after == null || isAfter(e.getValue(), after))
                .sorted(order)
                .limit(limit)
                .map(e -> ref(e.getKey(), e.getValue()))
                .toList();
    }

    @Override
    public List<PurgeCandidate> purgeCandidates(TenantId tenant, long fromIndex, int limit) {
        requireTransaction();
        return ofTenant(tenant).flatMap(r -> r.events().stream())
                .filter(e -> e.index() >= fromIndex && log.isHot(e.id()))
                .sorted(Comparator.comparingLong(ArchivedEvent::index))
                .limit(limit)
                .map(e -> new PurgeCandidate(e.index(), e.id(), e.subject()))
                .toList();
    }

    @Override
    public List<Long> purge(TenantId tenant, List<EventId> events) {
        requireTransaction();
        if (events.size() > 1000) {
            throw new IllegalStateException("purge at most 1000 events per call, got " + events.size());
        }
        purgeCalls.add(List.copyOf(events));
        List<Long> removed = new ArrayList<>();
        for (EventId id : events) {
            Optional<Map.Entry<Recorded, ArchivedEvent>> archived = ofTenant(tenant)
                    .filter(r -> r.deletedAt() == null)
                    .flatMap(r -> r.events().stream().map(e -> Map.entry(r, e)))
                    .filter(e -> e.getValue().id().equals(id))
                    .findFirst();
            Optional<AuditEvent> stored = log.hotEvent(id);
            if (archived.isEmpty() || stored.isEmpty() || !stored.get().tenant().equals(tenant)) {
                continue;
            }
            ArchivedEvent event = archived.get().getValue();
            Optional<LogLeaf> leaf = log.leafAt(tenant, event.index());
            if (stored.get().leafHash().equals(event.leafHash()) && leaf.isPresent()
                    && leaf.get().eventId().equals(id)) {
                log.removeHot(id);
                removed.add(event.index());
            }
        }
        removed.sort(null);
        return removed;
    }

    private Stream<Recorded> ofTenant(TenantId tenant) {
        return segments.values().stream().filter(r -> r.manifest().tenant().equals(tenant));
    }

    private Stream<ArchivedEventRef> refs() {
        return segments.values().stream().flatMap(r -> r.events().stream().map(e -> ref(r, e)));
    }

    private static ArchivedEventRef ref(Recorded r, ArchivedEvent e) {
        return new ArchivedEventRef(r.manifest().tenant(), e.index(), e.id(), e.leafHash(), r.manifest().objectKey());
    }

    private static boolean matches(EventCriteria c, ArchivedEvent e) {
        RetentionSubject s = e.subject();
        return (c.actorId() == null || c.actorId().equals(s.actorId()))
                && (c.action() == null || c.action().matches(s.action()))
                && (c.resourceType() == null || c.resourceType().equals(s.resourceType()))
                && (c.resourceId() == null || c.resourceId().equals(s.resourceId()))
                && (c.outcome() == null || c.outcome().wireName().equals(e.outcome()))
                && (c.from() == null || !s.occurredAt().isBefore(c.from()))
                && (c.to() == null || s.occurredAt().isBefore(c.to()));
    }

    private static boolean isAfter(ArchivedEvent e, EventCursor cursor) {
        int byTime = e.subject().occurredAt().compareTo(cursor.occurredAt());
        return byTime > 0 || byTime == 0 && e.id().value().compareTo(cursor.id().value()) > 0;
    }

    private void requireTransaction() {
        if (transactions.current() == 0) {
            throw new IllegalStateException("the catalog was used outside a transaction");
        }
    }
}
