package io.stenographer.application.service;

import io.stenographer.application.port.in.EventPastRetention;
import io.stenographer.application.port.out.ArchiveSegmentsPort;
import io.stenographer.application.port.out.CatalogSegmentsPort;
import io.stenographer.application.port.out.CatalogSegmentsPort.ArchivedEventRef;
import io.stenographer.application.port.out.CatalogSegmentsPort.ArchivedSegment;
import io.stenographer.application.port.out.LoadLogPort;
import io.stenographer.domain.archive.SegmentCheck;
import io.stenographer.domain.archive.SegmentCodec;
import io.stenographer.domain.archive.SegmentEntry;
import io.stenographer.domain.archive.SegmentManifest;
import io.stenographer.domain.event.AuditEvent;
import io.stenographer.domain.event.EventId;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.log.LogIntegrityViolation;
import io.stenographer.domain.merkle.Hash;
import java.io.ByteArrayInputStream;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads events back from archive segments, and trusts nothing it reads: before an event is returned, the
 * segment's SHA-256 must match its recorded manifest and every leaf hash of the segment must recompute from
 * its event and match the log's tree. Runs inside the caller's transaction (the catalog and the tree are
 * read there).
 */
public final class ArchivedEventReader {

    private final CatalogSegmentsPort catalog;
    private final ArchiveSegmentsPort archive;
    private final LoadLogPort log;

    public ArchivedEventReader(CatalogSegmentsPort catalog, ArchiveSegmentsPort archive, LoadLogPort log) {
        this.catalog = catalog;
        this.archive = archive;
        this.log = log;
    }

    /** The archived events, in the order asked, each segment read and checked once. */
    public List<AuditEvent> read(List<ArchivedEventRef> refs) {
        Map<String, Set<EventId>> wanted = new HashMap<>();
        refs.forEach(ref -> wanted.computeIfAbsent(ref.segmentKey(), key -> new HashSet<>()).add(ref.id()));
        Map<String, Map<EventId, AuditEvent>> bySegment = new LinkedHashMap<>();
        for (ArchivedEventRef ref : refs) {
            // Only the events asked for are kept: a segment holds up to thousands.
            bySegment.computeIfAbsent(ref.segmentKey(), key -> segmentEvents(ref, wanted.get(key)));
        }
        return refs.stream().map(ref -> {
            AuditEvent event = bySegment.get(ref.segmentKey()).get(ref.id());
            if (event == null) {
                throw new LogIntegrityViolation("segment " + ref.segmentKey() + " does not hold event " + ref.id()
                        + " at index " + ref.index());
            }
            return event;
        }).toList();
    }

    /**
     * Reads purged events by log index for a caller that walks a tenant's log in index order (reports):
     * each segment is read and checked once, and kept until the walk leaves it. Not thread-safe.
     */
    public IndexCursor cursor(TenantId tenant) {
        return new IndexCursor(tenant);
    }

    public final class IndexCursor {
        private final TenantId tenant;
        private SegmentManifest current;
        private Map<Long, AuditEvent> events = Map.of();

        private IndexCursor(TenantId tenant) {
            this.tenant = tenant;
        }

        /**
         * The event at {@code index} read back from its checked segment; empty when it was never archived or
         * its archive copy was deleted at the end of its retention. Runs inside the caller's transaction.
         */
        public Optional<AuditEvent> event(long index) {
            if (current == null || index < current.from() || index >= current.to()) {
                Optional<ArchivedSegment> segment = catalog.segmentCovering(tenant, index);
                if (segment.isEmpty() || segment.get().deleted()) {
                    return Optional.empty();
                }
                current = segment.get().manifest();
                Map<Long, AuditEvent> byIndex = new HashMap<>();
                checkedEntries(current).forEach(entry -> byIndex.put(entry.index(), entry.event()));
                events = byIndex;
            }
            return Optional.ofNullable(events.get(index));
        }
    }

    private Map<EventId, AuditEvent> segmentEvents(ArchivedEventRef ref, Set<EventId> wanted) {
        ArchivedSegment segment = catalog.segment(ref.segmentKey()).orElseThrow(() -> new LogIntegrityViolation(
                "event " + ref.id() + " is indexed in segment " + ref.segmentKey() + ", which is not recorded"));
        if (segment.deleted()) {
            throw new EventPastRetention(ref.id(), segment.deletedAt());
        }
        Map<EventId, AuditEvent> events = new HashMap<>();
        for (SegmentEntry entry : checkedEntries(segment.manifest())) {
            if (wanted.contains(entry.event().id())) {
                events.put(entry.event().id(), entry.event());
            }
        }
        return events;
    }

    /** Everything wrong with the segment's archive copy: missing, unreadable, or failing its check; empty if sound. */
    public List<String> problems(SegmentManifest manifest) {
        try {
            checkedEntries(manifest);
            return List.of();
        } catch (ArchiveSegmentsPort.ArchiveObjectNotFound e) {
            return List.of("its object is missing from the archive store");
        } catch (LogIntegrityViolation e) {
            return List.of(e.getMessage());
        }
    }

    /** The segment's entries, after its checksum and every leaf hash were checked against the log's tree. */
    private List<SegmentEntry> checkedEntries(SegmentManifest manifest) {
        byte[] object = ArchiveEventsService.readAll(archive.open(manifest.objectKey()));
        List<SegmentEntry> entries;
        try {
            entries = SegmentCodec.decode(new ByteArrayInputStream(object));
        } catch (SegmentCodec.MalformedSegment e) {
            throw new LogIntegrityViolation("archive segment " + manifest.objectKey() + " is unreadable: "
                    + e.getMessage());
        }
        Map<Long, Hash> treeLeaves = new HashMap<>();
        log.leaves(manifest.tenant(), manifest.from(), manifest.to())
                .forEach(leaf -> treeLeaves.put(leaf.index(), leaf.leafHash()));
        List<String> problems = SegmentCheck.problems(manifest, object, entries, treeLeaves);
        if (!problems.isEmpty()) {
            throw new LogIntegrityViolation("archive segment " + manifest.objectKey() + " failed its check: "
                    + String.join("; ", problems));
        }
        return entries;
    }
}
