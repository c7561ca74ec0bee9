package io.stenographer.application.service;

import io.stenographer.application.port.in.EventPastRetention;
import io.stenographer.application.port.out.ArchiveCatalogPort;
import io.stenographer.application.port.out.ArchiveCatalogPort.ArchivedEventRef;
import io.stenographer.application.port.out.ArchiveCatalogPort.ArchivedSegment;
import io.stenographer.application.port.out.ArchiveSegmentsPort;
import io.stenographer.application.port.out.LoadLogPort;
import io.stenographer.domain.archive.SegmentCheck;
import io.stenographer.domain.archive.SegmentCodec;
import io.stenographer.domain.archive.SegmentEntry;
import io.stenographer.domain.archive.SegmentManifest;
import io.stenographer.domain.event.AuditEvent;
import io.stenographer.domain.event.EventId;
import io.stenographer.domain.log.LogIntegrityViolation;
import io.stenographer.domain.merkle.Hash;
import java.io.ByteArrayInputStream;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads events back from archive segments, and trusts nothing it reads: before an event is returned, the
 * segment's SHA-256 must match its recorded manifest and every leaf hash of the segment must recompute from
 * its event and match the log's tree. Runs inside the caller's transaction (the catalog and the tree are
 * read there).
 */
public final class ArchivedEventReader {

    private final ArchiveCatalogPort catalog;
    private final ArchiveSegmentsPort archive;
    private final LoadLogPort log;

    public ArchivedEventReader(ArchiveCatalogPort catalog, ArchiveSegmentsPort archive, LoadLogPort log) {
        this.catalog = catalog;
        this.archive = archive;
        this.log = log;
    }

    /** The archived events, in the order asked, each segment read and checked once. */
    public List<AuditEvent> read(List<ArchivedEventRef> refs) {
        Map<String, Map<EventId, AuditEvent>> bySegment = new LinkedHashMap<>();
        for (ArchivedEventRef ref : refs) {
            bySegment.computeIfAbsent(ref.segmentKey(), key -> segmentEvents(ref));
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

    private Map<EventId, AuditEvent> segmentEvents(ArchivedEventRef ref) {
        ArchivedSegment segment = catalog.segment(ref.segmentKey()).orElseThrow(() -> new LogIntegrityViolation(
                "event " + ref.id() + " is indexed in segment " + ref.segmentKey() + ", which is not recorded"));
        if (segment.deleted()) {
            throw new EventPastRetention(ref.id(), segment.deletedAt());
        }
        SegmentManifest manifest = segment.manifest();
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
        Map<EventId, AuditEvent> events = new HashMap<>();
        entries.forEach(entry -> events.put(entry.event().id(), entry.event()));
        return events;
    }
}
