package io.stenographer.application.service.fakes;

import io.stenographer.application.port.out.ArchiveSegmentsPort.Lock;
import io.stenographer.application.port.out.CatalogSegmentsPort;
import io.stenographer.application.port.out.PurgeEventsPort;
import io.stenographer.application.port.out.PurgePartitionsPort;
import io.stenographer.application.port.out.StorePersonalDataPort;
import io.stenographer.domain.archive.SegmentManifest;
import io.stenographer.domain.event.AuditEvent;
import io.stenographer.domain.event.EventId;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.log.LogLeaf;
import io.stenographer.domain.query.EventCriteria;
import io.stenographer.domain.query.EventCursor;
import io.stenographer.domain.query.PageRequest;
import io.stenographer.domain.retention.HoldCriteria;
import io.stenographer.domain.retention.LegalHold;
import io.stenographer.domain.retention.RetentionSubject;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The archive catalog and the purge path as the SQL behaves: the table constraints of archive_segment
 * (COMPLIANCE only, confirmed lock not shorter than the manifest's, one segment per first index, each event
 * once) and the purge function, which removes only events indexed in a segment that is not deleted, under the
 * same leaf hash the log holds. Every call must run inside a transaction.
 */
public final class InMemoryArchiveCatalog implements CatalogSegmentsPort, PurgeEventsPort, PurgePartitionsPort {

    public record Recorded(SegmentManifest manifest, Lock lock, Instant confirmedRetainUntil,
            List<ArchivedEvent> events, Instant deletedAt, UUID deletedBy) {
    }

    private final FakeTransactionRunner transactions;
    private final InMemoryLog log;
    private final Map<String, Recorded> segments = new LinkedHashMap<>();
    private final List<List<EventId>> purgeCalls = new ArrayList<>();
    private final Map<TenantId, Long> resumeIndices = new LinkedHashMap<>();
    private final Map<TenantId, String> holdsSeen = new HashMap<>();
    private final Map<TenantId, TreeMap<Long, Deferral>> deferred = new HashMap<>();
    private long candidatesRead;
    private final Set<String> droppedPartitions = new HashSet<>();
    private final Set<String> refusedPartitions = new HashSet<>();
    private Function<TenantId, List<LegalHold>> activeHolds = tenant -> List.of();
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
    public List<ArchivedSegment> liveSegments(TenantId tenant, long fromIndex) {
        requireTransaction();
        return ofTenant(tenant)
                .filter(r -> r.deletedAt() == null && r.manifest().from() >= fromIndex)
                .sorted(Comparator.comparingLong(r -> r.manifest().from()))
                .map(r -> new ArchivedSegment(r.manifest(), null))
                .toList();
    }

    @Override
    public List<ArchivedSegment> segmentsPastRetention(TenantId tenant, Instant now, long fromIndex, int limit) {
        requireTransaction();
        return ofTenant(tenant)
                .filter(r -> r.deletedAt() == null && !r.manifest().retainUntil().isAfter(now)
                        && r.manifest().from() >= fromIndex)
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

    /**
     * The events of a segment whose deletion is recorded, refused as stenographer_delete_values_of_deleted_segment
     * refuses: a segment not recorded as deleted, one with an event still hot, or one an active hold covers.
     */
    public List<UUID> eventsOfDeletedSegment(String objectKey) {
        requireTransaction();
        Recorded r = segments.get(objectKey);
        if (r == null || r.deletedAt() == null) {
            throw new StorePersonalDataPort.ValuesKept("segment " + objectKey + " is not recorded as deleted", null);
        }
        if (r.events().stream().anyMatch(e -> activeHolds.apply(e.subject().tenant()).stream()
                .anyMatch(hold -> hold.covers(e.subject())))) {
            throw new StorePersonalDataPort.ValuesKept("segment " + objectKey + " holds events under a legal hold",
                    null);
        }
        if (r.events().stream().anyMatch(e -> log.isHot(e.id()))) {
            throw new StorePersonalDataPort.ValuesKept("events of segment " + objectKey + " are still hot", null);
        }
        return r.events().stream().map(e -> e.id().value()).toList();
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
        List<PurgeCandidate> page = ofTenant(tenant).flatMap(r -> r.events().stream())
                .filter(e -> e.index() >= fromIndex && log.isHot(e.id()))
                .sorted(Comparator.comparingLong(ArchivedEvent::index))
                .limit(limit)
                .map(e -> new PurgeCandidate(e.index(), e.id(), e.subject()))
                .toList();
        candidatesRead += page.size();
        return page;
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

    @Override
    public PurgeCursor cursor(TenantId tenant) {
        requireTransaction();
        return new PurgeCursor(resumeIndices.getOrDefault(tenant, 0L), holdsSeen.get(tenant));
    }

    @Override
    public void saveCursor(TenantId tenant, long nextIndex, String holds) {
        requireTransaction();
        resumeIndices.merge(tenant, nextIndex, Math::max);
        holdsSeen.put(tenant, holds);
    }

    @Override
    public Revisits revisits(TenantId tenant, boolean held, Instant upTo, RevisitKey after, int limit) {
        requireTransaction();
        Comparator<Deferral> order = Comparator.comparing(Deferral::revisitAt).thenComparingLong(Deferral::index);
        Deferral afterKey = new Deferral(after.index(), null, after.revisitAt(), held);
        List<Deferral> due = deferred.computeIfAbsent(tenant, t -> new TreeMap<>()).values().stream()
                .filter(d -> d.held() == held && (upTo == null || !d.revisitAt().isAfter(upTo)))
                .filter(d -> order.compare(d, afterKey) > 0)
                .sorted(order)
                .limit(limit)
                .toList();
        List<PurgeCandidate> hot = new ArrayList<>();
        List<Long> gone = new ArrayList<>();
        for (Deferral deferral : due) {
            Optional<ArchivedEvent> archived = ofTenant(tenant).flatMap(r -> r.events().stream())
                    .filter(e -> e.index() == deferral.index()).findFirst();
            if (archived.isPresent() && log.isHot(deferral.id())) {
                hot.add(new PurgeCandidate(deferral.index(), deferral.id(), archived.get().subject()));
            } else {
                gone.add(deferral.index());
            }
        }
        candidatesRead += due.size();
        Deferral last = due.isEmpty() ? null : due.get(due.size() - 1);
        return new Revisits(hot, gone, last == null ? null : new RevisitKey(last.revisitAt(), last.index()));
    }

    @Override
    public void defer(TenantId tenant, List<Deferral> deferrals) {
        requireTransaction();
        deferrals.forEach(d -> deferred.computeIfAbsent(tenant, t -> new TreeMap<>()).put(d.index(), d));
    }

    @Override
    public void forget(TenantId tenant, List<Long> indices) {
        requireTransaction();
        indices.forEach(deferred.computeIfAbsent(tenant, t -> new TreeMap<>())::remove);
    }

    /** The events each tenant's purge deferred, by index. */
    public Map<Long, Deferral> deferred(TenantId tenant) {
        return Map.copyOf(deferred.getOrDefault(tenant, new TreeMap<>()));
    }

    /** How many archived events the purge has read, walking and revisiting, since this catalogue was made. */
    public long candidatesRead() {
        return candidatesRead;
    }

    /** Where each tenant's per-event purge resumes. */
    public Map<TenantId, Long> resumeIndices() {
        return Map.copyOf(resumeIndices);
    }

    /** One partition per calendar month (UTC) of receipt, as the database keeps them. */
    @Override
    public List<HotPartition> partitionsEndedBefore(Instant now) {
        requireTransaction();
        YearMonth current = YearMonth.from(now.atOffset(ZoneOffset.UTC));
        return log.hotEvents().stream()
                .map(event -> YearMonth.from(event.receivedAt().atOffset(ZoneOffset.UTC)))
                .filter(month -> month.isBefore(current))
                .distinct()
                .sorted()
                .map(InMemoryArchiveCatalog::partition)
                .filter(partition -> !droppedPartitions.contains(partition.name()))
                .toList();
    }

    @Override
    public List<PartitionKind> kindsOf(HotPartition partition) {
        requireTransaction();
        Map<List<Object>, List<AuditEvent>> kinds = new LinkedHashMap<>();
        inPartition(partition).forEach(event -> kinds.computeIfAbsent(Arrays.asList(event.tenant(),
                event.content().action().value(),
                event.content().resource() == null ? null : event.content().resource().type()),
                k -> new ArrayList<>()).add(event));
        return kinds.values().stream().map(events -> {
            AuditEvent first = events.get(0);
            return new PartitionKind(first.tenant(), first.content().action().value(),
                    first.content().resource() == null ? null : first.content().resource().type(),
                    events.stream().map(AuditEvent::receivedAt).max(Comparator.naturalOrder()).orElseThrow(),
                    events.size());
        }).toList();
    }

    @Override
    public List<PartitionEvent> eventsOf(HotPartition partition, EventId after, int limit) {
        requireTransaction();
        Set<EventId> archived = new HashSet<>();
        segments.values().stream().filter(r -> r.deletedAt() == null)
                .forEach(r -> r.events().forEach(e -> archived.add(e.id())));
        return inPartition(partition)
                .filter(event -> after == null || event.id().value().compareTo(after.value()) > 0)
                .limit(limit)
                .map(event -> new PartitionEvent(event.id(), RetentionSubject.of(event), archived.contains(event.id())))
                .toList();
    }

    @Override
    public List<PurgedRange> drop(HotPartition partition) {
        requireTransaction();
        if (refusedPartitions.contains(partition.name())) {
            throw new PartitionKept("refused by the test", null);
        }
        // As the database function does: an event under a hold placed since the judging keeps the whole month.
        if (inPartition(partition).anyMatch(event -> activeHolds.apply(event.tenant()).stream()
                .anyMatch(hold -> hold.covers(RetentionSubject.of(event))))) {
            throw new PartitionKept("an event of " + partition.name() + " is held", null);
        }
        List<PurgedRange> ranges = new ArrayList<>();
        for (AuditEvent event : inPartition(partition).toList()) {
            ArchivedEvent archived = ofTenant(event.tenant()).filter(r -> r.deletedAt() == null)
                    .flatMap(r -> r.events().stream()).filter(e -> e.id().equals(event.id())).findFirst()
                    .orElseThrow(() -> new PartitionKept("event " + event.id() + " is not archived", null));
            ranges.add(new PurgedRange(event.tenant(), archived.index(), archived.index()));
        }
        inPartition(partition).toList().forEach(event -> log.removeHot(event.id()));
        droppedPartitions.add(partition.name());
        return ranges;
    }

    /** Where the database function reads the holds it refuses to drop under. */
    public void checkHoldsIn(Function<TenantId, List<LegalHold>> holds) {
        this.activeHolds = holds;
    }

    /** Makes the database refuse to drop this partition, as it does when a hold arrived after the judging. */
    public void refuseToDrop(String partitionName) {
        refusedPartitions.add(partitionName);
    }

    public Set<String> droppedPartitions() {
        return Set.copyOf(droppedPartitions);
    }

    private Stream<AuditEvent> inPartition(HotPartition partition) {
        return log.hotEvents().stream()
                .filter(event -> partition(YearMonth.from(event.receivedAt().atOffset(ZoneOffset.UTC))).name()
                        .equals(partition.name()))
                .sorted(Comparator.comparing(event -> event.id().value()));
    }

    private static HotPartition partition(YearMonth month) {
        Instant from = month.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        Instant to = month.plusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        return new HotPartition("audit_event_" + month, idFloor(from), idFloor(to), to);
    }

    /** The smallest UUIDv7 of the instant's millisecond, as the database's partition bounds are. */
    private static EventId idFloor(Instant at) {
        return new EventId(new UUID(at.toEpochMilli() << 16, 0));
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
