package io.stenographer.application.service;

import io.stenographer.application.port.in.ArchiveTenantOutcome;
import io.stenographer.application.port.in.JobOutcome;
import io.stenographer.application.port.in.JobRun;
import io.stenographer.application.port.in.RunArchiveJobUseCase;
import io.stenographer.application.port.in.RunJobCommand;
import io.stenographer.application.port.out.ArchiveSegmentsPort;
import io.stenographer.application.port.out.ArchiveSegmentsPort.Lock;
import io.stenographer.application.port.out.ArchiveSegmentsPort.StoredObject;
import io.stenographer.application.port.out.CatalogSegmentsPort;
import io.stenographer.application.port.out.CatalogSegmentsPort.ArchivedEvent;
import io.stenographer.application.port.out.LoadLogPort;
import io.stenographer.application.port.out.LoadLogPort.LeafWithEvent;
import io.stenographer.application.port.out.ReportArchiveProgressPort;
import io.stenographer.application.port.out.StoreLegalHoldsPort;
import io.stenographer.application.port.out.TransactionRunner;
import io.stenographer.domain.archive.SegmentCheck;
import io.stenographer.domain.archive.SegmentCodec;
import io.stenographer.domain.archive.SegmentEntry;
import io.stenographer.domain.archive.SegmentKeys;
import io.stenographer.domain.archive.SegmentManifest;
import io.stenographer.domain.archive.SegmentPlanner;
import io.stenographer.domain.event.SealedEventBytes;
import io.stenographer.domain.event.StoredEventFields;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.json.JsonArray;
import io.stenographer.domain.json.JsonNumber;
import io.stenographer.domain.json.JsonObject;
import io.stenographer.domain.json.JsonString;
import io.stenographer.domain.json.JsonValue;
import io.stenographer.domain.log.LogIntegrityViolation;
import io.stenographer.domain.log.LogLeaf;
import io.stenographer.domain.log.PublishedCheckpoint;
import io.stenographer.domain.merkle.Hash;
import io.stenographer.domain.retention.LegalHold;
import io.stenographer.domain.retention.RetentionPolicies;
import io.stenographer.domain.retention.RetentionRules;
import io.stenographer.domain.retention.RetentionSubject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The archive job. Per tenant, in index order, it copies the longest run of integrated events whose archive copy is
 * due ({@link RetentionRules#archiveCopyDueAt}: the earliest date of the tenant's policies, so an event under a longer
 * policy never holds back the events behind it) into a segment, uploads it under a write-once lock until the latest
 * retention end of its events, reads lock and checksum back, and only then records the segment (one short
 * transaction). A segment's key depends only on its first index, so a retry after a crash finds the
 * object, checks it against the log and adopts it; nothing is ever uploaded twice or overwritten.
 */
public final class ArchiveEventsService implements RunArchiveJobUseCase {

    static final String ARCHIVE_RUN = "archive.run";
    static final String JOB = "archive";

    private final LoadLogPort log;
    private final CatalogSegmentsPort catalog;
    private final ArchiveSegmentsPort archive;
    private final ActiveRetentionPolicies policies;
    private final StoreLegalHoldsPort holds;
    private final SelfAudit selfAudit;
    private final JobRuns jobRuns;
    private final TransactionRunner transactions;
    private final Clock clock;
    private final SegmentLimits segmentLimits;
    private final int maxSegmentsPerTenant;
    private final ReportArchiveProgressPort progress;
    private final Duration minimumLock;

    public ArchiveEventsService(LoadLogPort log, CatalogSegmentsPort catalog, ArchiveSegmentsPort archive,
            ActiveRetentionPolicies policies, StoreLegalHoldsPort holds, SelfAudit selfAudit, JobRuns jobRuns,
            TransactionRunner transactions, Clock clock, SegmentLimits segmentLimits, int maxSegmentsPerTenant,
            Duration minimumLock, ReportArchiveProgressPort progress) {
        if (minimumLock.isNegative() || minimumLock.isZero()) {
            throw new IllegalArgumentException("the minimum lock must be positive");
        }
        this.minimumLock = minimumLock;
        if (maxSegmentsPerTenant < 1) {
            throw new IllegalArgumentException("the segments per run must be positive");
        }
        this.log = log;
        this.catalog = catalog;
        this.archive = archive;
        this.policies = policies;
        this.holds = holds;
        this.selfAudit = selfAudit;
        this.jobRuns = jobRuns;
        this.transactions = transactions;
        this.clock = clock;
        this.segmentLimits = segmentLimits;
        this.maxSegmentsPerTenant = maxSegmentsPerTenant;
        this.progress = progress;
    }

    @Override
    public JobRun run(RunJobCommand request) {
        return jobRuns.run(JobRun.Job.ARCHIVE, request, this::allTenants, (run, tenants, progress) -> {
            if (!request.dryRun()) {
                archive.checkWormCapable();
            }
            progress.tenantsStarted();
            List<String> failures = new ArrayList<>();
            long archived = 0;
            for (TenantId tenant : tenants) {
                TenantOutcome outcome = new TenantOutcome();
                try {
                    archiveTenant(tenant, request, run, outcome);
                } catch (ArchiveSegmentsPort.ArchiveUnavailable | ArchiveSegmentsPort.ArchiveNotWormCapable e) {
                    progress.tenant(tenant, outcome.toOutcome(JobFailures.publishable(e)));
                    throw e;
                } catch (RuntimeException e) {
                    outcome.error = JobFailures.describe(run, "tenant " + tenant.value(), e);
                    failures.add(tenant.value() + ": " + outcome.error);
                }
                archived += outcome.events;
                progress.tenant(tenant, outcome.toOutcome(outcome.error));
            }
            progress.eventsTotal(archived);
            if (!failures.isEmpty()) {
                throw new JobRuns.PartialFailure(String.join("; ", failures));
            }
        });
    }

    private List<TenantId> allTenants() {
        return transactions.inTransaction(log::tenantsWithLogs);
    }

    private void archiveTenant(TenantId tenant, RunJobCommand request, JobRun run, TenantOutcome outcome) {
        Instant now = clock.instant();
        RetentionPolicies tenantPolicies = transactions.inTransaction(() -> policies.forTenant(tenant));
        // Read each time a store flag is decided, not once per run: a run uploads for minutes, and a hold released
        // meanwhile (whose release cleared its flags) must not be set again, nor one placed meanwhile be missed.
        Supplier<List<LegalHold>> tenantHolds = () -> transactions.inTransaction(() -> holds.active(tenant));
        Optional<PublishedCheckpoint> latest = transactions.inTransaction(() -> log.latestCheckpoint(tenant));
        if (latest.isEmpty()) {
            return;
        }
        PublishedCheckpoint checkpoint = latest.get();
        try {
            archiveSegments(tenant, request, outcome, checkpoint, tenantPolicies, tenantHolds, now);
        } catch (RuntimeException e) {
            // What was confirmed before the failure stays archived; the tenant's log still says so.
            if (!outcome.segments.isEmpty() && !request.dryRun()) {
                recordRun(tenant, request, run, outcome, JobFailures.publishable(e));
            }
            throw e;
        }
        if (!outcome.segments.isEmpty() || request.trigger() == JobRun.Trigger.MANUAL) {
            recordRun(tenant, request, run, outcome, null);
        }
    }

    private void recordRun(TenantId tenant, RunJobCommand request, JobRun run, TenantOutcome outcome, String error) {
        Map<String, JsonValue> counts = auditMetadata(outcome.toOutcome(error));
        transactions.inTransaction(() -> {
            selfAudit.recordJobRun(request, run, tenant, ARCHIVE_RUN, counts);
            return null;
        });
    }

    private void archiveSegments(TenantId tenant, RunJobCommand request, TenantOutcome outcome,
            PublishedCheckpoint checkpoint, RetentionPolicies tenantPolicies, Supplier<List<LegalHold>> tenantHolds,
            Instant now) {
        long next = transactions.inTransaction(() -> catalog.archivedUpTo(tenant));
        while (next < checkpoint.treeSize() && outcome.segments.size() < maxSegmentsPerTenant) {
            String key = SegmentKeys.segmentKey(tenant, next);
            Optional<StoredObject> existing = request.dryRun() ? Optional.empty() : archive.describe(key);
            SegmentManifest manifest;
            if (existing.isPresent()) {
                manifest = adopt(tenant, key, next, existing.get(), checkpoint, tenantPolicies, tenantHolds, now);
                outcome.reused++;
            } else {
                Optional<PlannedSegment> planned = plan(tenant, key, next, checkpoint, tenantPolicies, now);
                if (planned.isEmpty()) {
                    break;
                }
                manifest = request.dryRun() ? planned.get().manifest() : upload(planned.get(), tenantHolds);
            }
            outcome.add(manifest);
            if (!request.dryRun()) {
                progress.archived(tenant, manifest.count());
            }
            next = manifest.to();
        }
        outcome.lagSeconds = lagAfter(tenant, next, checkpoint, tenantPolicies, now).toSeconds();
        if (!request.dryRun()) {
            outcome.holdsApplied = applyHolds(tenant, tenantHolds);
            progress.lag(tenant, Duration.ofSeconds(outcome.lagSeconds));
        }
    }

    private record PlannedSegment(SegmentManifest manifest, byte[] object, List<ArchivedEvent> index,
            List<RetentionSubject> subjects) {
    }

    /**
     * How large a segment may grow: it ends at whichever limit comes first, but always holds at least one event.
     * The events are read {@value #READ_PAGE} at a time, so memory is bounded by the byte limit, not the count.
     */
    public record SegmentLimits(int maxEvents, long maxBytes) {
        public SegmentLimits {
            if (maxEvents < 1 || maxBytes < 1) {
                throw new IllegalArgumentException("segment limits must be positive");
            }
        }
    }

    private static final int READ_PAGE = 256;

    /**
     * The longest run of events from {@code from} whose copy is due, within the segment limits, as a segment ready to
     * upload; empty if none is due.
     */
    private Optional<PlannedSegment> plan(TenantId tenant, String key, long from, PublishedCheckpoint checkpoint,
            RetentionPolicies tenantPolicies, Instant now) {
        long end = Math.min(checkpoint.treeSize(), from + segmentLimits.maxEvents());
        List<SegmentEntry> entries = new ArrayList<>();
        List<ArchivedEvent> index = new ArrayList<>();
        List<RetentionSubject> subjects = new ArrayList<>();
        Map<Long, Hash> treeLeaves = new HashMap<>();
        long bytes = 0;
        boolean cut = false;
        for (long page = from; page < end && !cut; page += READ_PAGE) {
            long pageFrom = page;
            long pageTo = Math.min(end, page + READ_PAGE);
            List<LeafWithEvent> rows = transactions.inTransaction(() -> log.leavesWithEvents(tenant, pageFrom, pageTo));
            for (LeafWithEvent row : rows) {
                LogLeaf leaf = row.leaf();
                if (row.event() == null) {
                    throw new LogIntegrityViolation("index " + leaf.index() + " of " + tenant + " (event "
                            + leaf.eventId() + ") has no readable event and is not archived; run a verification");
                }
                RetentionSubject subject = RetentionSubject.of(row.event());
                long size = SealedEventBytes.leafInput(StoredEventFields.of(row.event())).length;
                if (!RetentionRules.mayArchive(subject, tenantPolicies, true, now).allowed()
                        || (!entries.isEmpty() && bytes + size > segmentLimits.maxBytes())) {
                    cut = true;
                    break;
                }
                bytes += size;
                entries.add(new SegmentEntry(leaf.index(), leaf.leafHash(), row.event()));
                index.add(new ArchivedEvent(leaf.index(), leaf.eventId(), leaf.leafHash(), subject,
                        row.event().content().outcome().wireName()));
                subjects.add(subject);
                treeLeaves.put(leaf.index(), leaf.leafHash());
            }
        }
        if (entries.isEmpty()) {
            return Optional.empty();
        }
        byte[] object = SegmentCodec.encode(entries);
        SegmentManifest manifest = SegmentPlanner.manifest(tenant, key, entries, object, checkpoint, tenantPolicies,
                null, now, minimumLock);
        // Never archive an event that no longer matches its leaf: that is tampering, and the copy would hide it.
        List<String> problems = SegmentCheck.problems(manifest, object, entries, treeLeaves);
        if (!problems.isEmpty()) {
            throw new LogIntegrityViolation("refusing to archive " + key + ": " + String.join("; ", problems));
        }
        return Optional.of(new PlannedSegment(manifest, object, index, subjects));
    }

    private SegmentManifest upload(PlannedSegment planned, Supplier<List<LegalHold>> tenantHolds) {
        SegmentManifest manifest = planned.manifest();
        StoredObject stored = archive.put(manifest.objectKey(), planned.object(), manifest.objectSha256(),
                manifest.retainUntil());
        requireConfirmed(stored, manifest.objectSha256(), manifest.retainUntil());
        putManifest(manifest);
        boolean held = tenantHolds.get().stream()
                .anyMatch(hold -> planned.subjects().stream().anyMatch(hold::covers));
        // All three read back: lock, checksum (above) and the legal-hold state this segment must carry.
        requireHold(held ? archive.setLegalHold(manifest.objectKey(), true) : stored, held);
        transactions.inTransaction(() -> {
            catalog.recordSegment(manifest, stored.lock(), stored.retainUntil(), planned.index());
            return null;
        });
        return manifest;
    }

    /**
     * An object already sits under the key: an earlier run uploaded it and stopped before recording it. It is
     * adopted only if it is sound (checksum, every leaf hash against the log, range root) and locked.
     */
    private SegmentManifest adopt(TenantId tenant, String key, long from, StoredObject stored,
            PublishedCheckpoint checkpoint, RetentionPolicies tenantPolicies, Supplier<List<LegalHold>> tenantHolds,
            Instant now) {
        byte[] object = readAll(archive.open(key));
        List<SegmentEntry> entries;
        try {
            entries = SegmentCodec.decode(new ByteArrayInputStream(object));
        } catch (SegmentCodec.MalformedSegment e) {
            throw new LogIntegrityViolation("archive object " + key + " left by an earlier run is not a readable "
                    + "segment, and archives never overwrite: " + e.getMessage());
        }
        if (entries.isEmpty() || entries.get(0).index() != from) {
            throw new LogIntegrityViolation("archive object " + key + " does not start at index " + from);
        }
        long to = entries.get(entries.size() - 1).index() + 1;
        String manifestKey = SegmentKeys.manifestKey(key);
        SegmentManifest manifest;
        boolean manifestMissing = archive.describe(manifestKey).isEmpty();
        if (!manifestMissing) {
            manifest = SegmentManifest.parse(readAll(archive.open(manifestKey)));
        } else {
            manifest = SegmentPlanner.manifest(tenant, key, entries, object, checkpoint, tenantPolicies,
                    stored.retainUntil(), now, minimumLock);
        }
        Map<Long, Hash> treeLeaves = new HashMap<>();
        List<LogLeaf> leaves = transactions.inTransaction(() -> log.leaves(tenant, from, to));
        leaves.forEach(leaf -> treeLeaves.put(leaf.index(), leaf.leafHash()));
        List<String> problems = new ArrayList<>(SegmentCheck.problems(manifest, object, entries, treeLeaves));
        if (!manifest.objectKey().equals(key) || manifest.from() != from || manifest.to() != to) {
            problems.add("the manifest of " + key + " describes another range");
        }
        if (!problems.isEmpty()) {
            throw new LogIntegrityViolation("archive object " + key + " left by an earlier run is not sound, and "
                    + "archives never overwrite: " + String.join("; ", problems));
        }
        StoredObject locked = stored;
        if (stored.lock() != Lock.WRITE_ONCE || stored.retainUntil() == null
                || stored.retainUntil().isBefore(manifest.retainUntil())) {
            // The earlier run stopped before its retention was set (a store that ignores lock headers on PUT).
            locked = archive.extendLock(key, manifest.retainUntil());
        }
        requireConfirmed(locked, manifest.objectSha256(), manifest.retainUntil());
        if (manifestMissing) {
            // Only now that the object is known sound: a locked manifest must never vouch for a bad object.
            putManifest(manifest);
        }
        List<ArchivedEvent> index = new ArrayList<>();
        List<RetentionSubject> subjects = new ArrayList<>();
        for (SegmentEntry entry : entries) {
            RetentionSubject subject = RetentionSubject.of(entry.event());
            subjects.add(subject);
            index.add(new ArchivedEvent(entry.index(), entry.event().id(), entry.leafHash(), subject,
                    entry.event().content().outcome().wireName()));
        }
        if (!locked.legalHold() && tenantHolds.get().stream()
                .anyMatch(hold -> subjects.stream().anyMatch(hold::covers))) {
            requireHold(archive.setLegalHold(key, true), true);
        }
        SegmentManifest adopted = manifest;
        StoredObject confirmed = locked;
        transactions.inTransaction(() -> {
            catalog.recordSegment(adopted, confirmed.lock(), confirmed.retainUntil(), index);
            return null;
        });
        return manifest;
    }

    private void putManifest(SegmentManifest manifest) {
        byte[] bytes = manifest.toCanonicalBytes();
        String manifestKey = SegmentKeys.manifestKey(manifest.objectKey());
        String sha = SegmentCheck.sha256Hex(bytes);
        StoredObject stored;
        try {
            stored = archive.put(manifestKey, bytes, sha, manifest.retainUntil());
        } catch (ArchiveSegmentsPort.ArchiveObjectExists e) {
            stored = archive.describe(manifestKey).orElseThrow(() -> e);
            if (!sha.equalsIgnoreCase(stored.sha256Hex())) {
                throw new LogIntegrityViolation("a different manifest already exists under " + manifestKey);
            }
        }
        requireConfirmed(stored, sha, manifest.retainUntil());
    }

    /** Turns the archive's legal hold on for every live segment an active hold covers; returns how many changed. */
    private int applyHolds(TenantId tenant, Supplier<List<LegalHold>> tenantHolds) {
        int changed = 0;
        for (LegalHold hold : tenantHolds.get()) {
            Set<String> keys = transactions.inTransaction(() -> catalog.liveSegmentsMatching(tenant, hold.criteria()));
            for (String key : keys) {
                Optional<StoredObject> stored = archive.describe(key);
                if (stored.isPresent() && !stored.get().legalHold()) {
                    requireHold(archive.setLegalHold(key, true), true);
                    changed++;
                }
            }
        }
        return changed;
    }

    /** How long the oldest event whose copy is due but not made has been waiting. */
    private Duration lagAfter(TenantId tenant, long next, PublishedCheckpoint checkpoint,
            RetentionPolicies tenantPolicies, Instant now) {
        if (next >= checkpoint.treeSize()) {
            return Duration.ZERO;
        }
        List<LeafWithEvent> rows = transactions.inTransaction(() -> log.leavesWithEvents(tenant, next, next + 1));
        if (rows.isEmpty() || rows.get(0).event() == null) {
            return Duration.ZERO;
        }
        RetentionSubject subject = RetentionSubject.of(rows.get(0).event());
        Instant due = RetentionRules.archiveCopyDueAt(subject, tenantPolicies);
        return due.isBefore(now) ? Duration.between(due, now) : Duration.ZERO;
    }

    private static void requireConfirmed(StoredObject stored, String sha256Hex, Instant retainUntil) {
        if (!stored.confirms(sha256Hex, retainUntil)) {
            throw new ArchiveNotConfirmed("the archive did not confirm " + stored.key() + ": lock "
                    + stored.lock() + ", retain until " + stored.retainUntil() + ", SHA-256 " + stored.sha256Hex()
                    + " (expected WRITE_ONCE until at least " + retainUntil + ", SHA-256 " + sha256Hex + ")");
        }
    }

    private static void requireHold(StoredObject stored, boolean expected) {
        if (stored.legalHold() != expected) {
            throw new ArchiveNotConfirmed("the archive did not confirm legal hold " + (expected ? "ON" : "OFF")
                    + " on " + stored.key());
        }
    }

    static byte[] readAll(InputStream in) {
        try (in) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new ArchiveSegmentsPort.ArchiveUnavailable("reading from the archive failed: " + e.getMessage(), e);
        }
    }

    /** The store answered, but not with the lock, checksum or hold that was asked for. */
    public static final class ArchiveNotConfirmed extends RuntimeException {
        public ArchiveNotConfirmed(String message) {
            super(message);
        }
    }

    /** The counts an {@code archive.run} event carries (event content: its shape stays as it is). */
    private static Map<String, JsonValue> auditMetadata(ArchiveTenantOutcome outcome) {
        Map<String, JsonValue> json = new LinkedHashMap<>();
        json.put("eventsArchived", new JsonNumber(outcome.eventsArchived()));
        List<JsonValue> segments = new ArrayList<>();
        for (ArchiveTenantOutcome.Segment segment : outcome.segments()) {
            Map<String, JsonValue> members = new LinkedHashMap<>();
            members.put("key", new JsonString(segment.key()));
            members.put("from", new JsonNumber(segment.from()));
            members.put("to", new JsonNumber(segment.to()));
            members.put("retainUntil", new JsonString(segment.retainUntil().toString()));
            segments.add(new JsonObject(members));
        }
        json.put("segments", new JsonArray(segments));
        if (outcome.indexRange() != null) {
            json.put("indexRange", new JsonArray(List.of(new JsonNumber(outcome.indexRange().first()),
                    new JsonNumber(outcome.indexRange().last()))));
        }
        json.put("segmentsReused", new JsonNumber(outcome.segmentsReused()));
        json.put("legalHoldsApplied", new JsonNumber(outcome.legalHoldsApplied()));
        json.put("archiveLagSeconds", new JsonNumber(outcome.archiveLagSeconds()));
        if (outcome.error() != null) {
            json.put("error", new JsonString(outcome.error()));
        }
        return json;
    }

    private static final class TenantOutcome {
        final List<ArchiveTenantOutcome.Segment> segments = new ArrayList<>();
        long events;
        long firstIndex = -1;
        long lastIndex = -1;
        int reused;
        int holdsApplied;
        long lagSeconds;
        String error;

        void add(SegmentManifest manifest) {
            segments.add(new ArchiveTenantOutcome.Segment(manifest.objectKey(), manifest.from(), manifest.to(),
                    manifest.retainUntil()));
            events += manifest.count();
            if (firstIndex < 0) {
                firstIndex = manifest.from();
            }
            lastIndex = manifest.to() - 1;
        }

        ArchiveTenantOutcome toOutcome(String failure) {
            return new ArchiveTenantOutcome(events, segments,
                    firstIndex < 0 ? null : new JobOutcome.IndexRange(firstIndex, lastIndex), reused, holdsApplied,
                    lagSeconds, failure);
        }
    }
}
