package io.stenographer.application.service.fakes;

import io.stenographer.application.port.out.ArchiveSegmentsPort.Lock;
import io.stenographer.application.port.out.CatalogSegmentsPort.ArchivedEvent;
import io.stenographer.domain.archive.SegmentCheck;
import io.stenographer.domain.archive.SegmentCodec;
import io.stenographer.domain.archive.SegmentEntry;
import io.stenographer.domain.archive.SegmentKeys;
import io.stenographer.domain.archive.SegmentManifest;
import io.stenographer.domain.archive.SegmentManifest.PolicyRef;
import io.stenographer.domain.event.AuditEvent;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.log.LogLeaf;
import io.stenographer.domain.log.PublishedCheckpoint;
import io.stenographer.domain.merkle.MerkleTree;
import io.stenographer.domain.retention.RetentionSubject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Archives a range of a log directly (as a successful archive run would have): the segment and its manifest
 * in the store, the segment recorded in the catalog. For tests of what comes after archiving.
 */
public final class TestSegments {

    private final FakeTransactionRunner transactions;
    private final InMemoryLog log;
    private final InMemoryArchive archive;
    private final InMemoryArchiveCatalog catalog;

    public TestSegments(FakeTransactionRunner transactions, InMemoryLog log, InMemoryArchive archive,
            InMemoryArchiveCatalog catalog) {
        this.transactions = transactions;
        this.log = log;
        this.archive = archive;
        this.catalog = catalog;
    }

    /** Archives the tenant's leaves [from, to), whose events must all be hot; returns the manifest. */
    public SegmentManifest archive(TenantId tenant, long from, long to, Instant retainUntil, Instant at) {
        PublishedCheckpoint checkpoint = log.publishCheckpoint(tenant, at);
        List<SegmentEntry> entries = new ArrayList<>();
        List<ArchivedEvent> index = new ArrayList<>();
        transactions.inTransaction(() -> {
            for (LogLeaf leaf : log.leaves(tenant, from, to)) {
                AuditEvent event = log.hotEvent(leaf.eventId()).orElseThrow();
                entries.add(new SegmentEntry(leaf.index(), leaf.leafHash(), event));
                index.add(new ArchivedEvent(leaf.index(), leaf.eventId(), leaf.leafHash(), RetentionSubject.of(event),
                        event.content().outcome().wireName()));
            }
            return null;
        });
        byte[] object = SegmentCodec.encode(entries);
        String key = SegmentKeys.segmentKey(tenant, from);
        SegmentManifest manifest = new SegmentManifest(tenant, key, from, to, SegmentCheck.sha256Hex(object),
                MerkleTree.root(entries.stream().map(SegmentEntry::leafHash).toList()), checkpoint.treeSize(),
                checkpoint.signedNote(), List.of(new PolicyRef("default", 1, "statutory minimum")), retainUntil, at);
        archive.put(key, object, manifest.objectSha256(), retainUntil);
        byte[] manifestBytes = manifest.toCanonicalBytes();
        archive.put(SegmentKeys.manifestKey(key), manifestBytes, SegmentCheck.sha256Hex(manifestBytes), retainUntil);
        transactions.inTransaction(() -> {
            catalog.recordSegment(manifest, Lock.WRITE_ONCE, retainUntil, index);
            return null;
        });
        return manifest;
    }
}
