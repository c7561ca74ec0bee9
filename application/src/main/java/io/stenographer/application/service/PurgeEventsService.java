package io.stenographer.application.service;

import io.stenographer.application.port.in.JobOutcome;
import io.stenographer.application.port.in.JobRun;
import io.stenographer.application.port.in.PurgeTenantOutcome;
import io.stenographer.application.port.in.RunJobCommand;
import io.stenographer.application.port.in.RunPurgeJobUseCase;
import io.stenographer.application.port.out.ArchiveSegmentsPort;
import io.stenographer.application.port.out.ArchiveSegmentsPort.StoredObject;
import io.stenographer.application.port.out.CatalogSegmentsPort;
import io.stenographer.application.port.out.CatalogSegmentsPort.ArchivedSegment;
import io.stenographer.application.port.out.LoadLogPort;
import io.stenographer.application.port.out.PurgeEventsPort;
import io.stenographer.application.port.out.PurgeEventsPort.Deferral;
import io.stenographer.application.port.out.PurgeEventsPort.PurgeCandidate;
import io.stenographer.application.port.out.PurgeEventsPort.PurgeCursor;
import io.stenographer.application.port.out.PurgeEventsPort.RevisitKey;
import io.stenographer.application.port.out.PurgeEventsPort.Revisits;
import io.stenographer.application.port.out.PurgePartitionsPort;
import io.stenographer.application.port.out.PurgePartitionsPort.HotPartition;
import io.stenographer.application.port.out.PurgePartitionsPort.PartitionEvent;
import io.stenographer.application.port.out.PurgePartitionsPort.PartitionKept;
import io.stenographer.application.port.out.PurgePartitionsPort.PartitionKind;
import io.stenographer.application.port.out.PurgePartitionsPort.PurgedRange;
import io.stenographer.application.port.out.ReportPurgeProgressPort;
import io.stenographer.application.port.out.StoreLegalHoldsPort;
import io.stenographer.application.port.out.StorePersonalDataPort;
import io.stenographer.application.port.out.TransactionRunner;
import io.stenographer.domain.archive.SegmentKeys;
import io.stenographer.domain.event.EventId;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.json.JsonArray;
import io.stenographer.domain.json.JsonNumber;
import io.stenographer.domain.json.JsonObject;
import io.stenographer.domain.json.JsonString;
import io.stenographer.domain.json.JsonValue;
import io.stenographer.domain.retention.LegalHold;
import io.stenographer.domain.retention.RetentionDecision;
import io.stenographer.domain.retention.RetentionPolicies;
import io.stenographer.domain.retention.RetentionPolicy;
import io.stenographer.domain.retention.RetentionRules;
import io.stenographer.domain.retention.RetentionSubject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The purge job. Step 1 drops whole months: a partition of the hot store whose every event the domain rules release
 * leaves in one DETACH and DROP, which the database refuses unless every event in it is archived and unheld. Step 2
 * removes, in small batches each in its own short transaction, the released events of the months that stay (confirmed
 * copy, past archive-after, no hold), resuming each tenant where its previous run left off. Each archived event is read
 * once: one that stays is deferred to its archive date (or, if held, to the next change of the tenant's holds) and is
 * read again only then. The database function removes nothing that is not in a confirmed segment. Step 3 deletes
 * archive copies whose retention ended, which no hold covers and whose events have all left the hot store; that was
 * the events' last copy, so their personal values are deleted in the same transaction that records the deletion. Log
 * leaves and subtree hashes are never touched, so every purged event stays provably included.
 */
public final class PurgeEventsService implements RunPurgeJobUseCase {

    static final String PURGE_RUN = "purge.run";
    static final String SEGMENT_DELETED = "archive.segment.deleted";
    /** Expired segments judged per page. */
    static final int SEGMENT_PAGE = 1_000;
    private static final int PARTITION_PAGE = 1_000;

    private final CatalogSegmentsPort catalog;
    private final PurgeEventsPort purge;
    private final PurgePartitionsPort partitions;
    private final ArchiveSegmentsPort archive;
    private final StorePersonalDataPort personalData;
    private final ActiveRetentionPolicies policies;
    private final StoreLegalHoldsPort holds;
    private final LoadLogPort log;
    private final SelfAudit selfAudit;
    private final JobRuns jobRuns;
    private final TransactionRunner transactions;
    private final Clock clock;
    private final int batchSize;
    private final ReportPurgeProgressPort counter;

    public PurgeEventsService(CatalogSegmentsPort catalog, PurgeEventsPort purge, PurgePartitionsPort partitions,
            ArchiveSegmentsPort archive, StorePersonalDataPort personalData, ActiveRetentionPolicies policies,
            StoreLegalHoldsPort holds, LoadLogPort log, SelfAudit selfAudit, JobRuns jobRuns,
            TransactionRunner transactions, Clock clock, int batchSize, ReportPurgeProgressPort counter) {
        if (batchSize < 1 || batchSize > 1000) {
            throw new IllegalArgumentException("purge batch size must be 1..1000, was " + batchSize);
        }
        this.catalog = catalog;
        this.purge = purge;
        this.partitions = partitions;
        this.archive = archive;
        this.personalData = personalData;
        this.policies = policies;
        this.holds = holds;
        this.log = log;
        this.selfAudit = selfAudit;
        this.jobRuns = jobRuns;
        this.transactions = transactions;
        this.clock = clock;
        this.batchSize = batchSize;
        this.counter = counter;
    }

    @Override
    public JobRun run(RunJobCommand request) {
        return jobRuns.run(JobRun.Job.PURGE, request, () -> transactions.inTransaction(log::tenantsWithLogs),
                (run, tenants, progress) -> {
                    Map<TenantId, TenantOutcome> outcomes = new LinkedHashMap<>();
                    tenants.forEach(tenant -> outcomes.put(tenant, new TenantOutcome()));
                    List<String> failures = new ArrayList<>();
                    try {
                        if (!request.dryRun()) {
                            // A dry run judges every event one by one below, which counts the same events.
                            purgeWholePartitions(outcomes);
                        }
                    } catch (RuntimeException e) {
                        // The per-event purge below still reaches every released event.
                        failures.add("partitions: " + JobFailures.describe(run, "partitions", e));
                    }
                    long purgedTotal = 0;
                    for (Map.Entry<TenantId, TenantOutcome> entry : outcomes.entrySet()) {
                        TenantId tenant = entry.getKey();
                        TenantOutcome outcome = entry.getValue();
                        try {
                            purgeTenant(tenant, request, run, outcome);
                        } catch (RuntimeException e) {
                            outcome.error = JobFailures.describe(run, "tenant " + tenant.value(), e);
                            failures.add(tenant.value() + ": " + outcome.error);
                        } finally {
                            progress.tenant(tenant, outcome.toOutcome());
                        }
                        purgedTotal += outcome.purged;
                        if (outcome.error == null) {
                            recordRun(tenant, request, run, outcome);
                        }
                    }
                    progress.eventsTotal(purgedTotal);
                    if (!failures.isEmpty()) {
                        throw new JobRuns.PartialFailure(String.join("; ", failures));
                    }
                });
    }

    /**
     * Drops each month that has ended, oldest first, once every event in it is released; a month with one event
     * not yet due, held or not archived stays whole, and its released events go through the per-event purge.
     */
    private void purgeWholePartitions(Map<TenantId, TenantOutcome> outcomes) {
        Instant now = clock.instant();
        Map<TenantId, RetentionPolicies> tenantPolicies = new HashMap<>();
        Map<TenantId, List<LegalHold>> tenantHolds = new HashMap<>();
        for (HotPartition partition : transactions.inTransaction(() -> partitions.partitionsEndedBefore(now))) {
            boolean allReleased = true;
            boolean anyHold = false;
            // Policy and due date depend only on tenant, action, resource type and receipt: a kind is due when its
            // latest event is. Events are judged one by one only where a hold may cover some of them.
            for (PartitionKind kind : transactions.inTransaction(() -> partitions.kindsOf(partition))) {
                TenantId tenant = kind.tenant();
                if (!outcomes.containsKey(tenant)) {
                    // A run for some tenants never removes another tenant's events.
                    allReleased = false;
                    break;
                }
                RetentionPolicy policy = tenantPolicies.computeIfAbsent(tenant,
                        t -> transactions.inTransaction(() -> this.policies.forTenant(t)))
                        .resolve(tenant, kind.action(), kind.resourceType());
                if (now.isBefore(RetentionRules.archiveDueAt(kind.latestReceivedAt(), policy))) {
                    allReleased = false;
                    break;
                }
                anyHold |= !tenantHolds.computeIfAbsent(tenant,
                        t -> transactions.inTransaction(() -> holds.active(t))).isEmpty();
            }
            if (allReleased && anyHold) {
                allReleased = noEventHeld(partition, tenantHolds);
            }
            if (!allReleased) {
                continue;
            }
            // An ended month with no event left (its events went one by one) is dropped too, so the number of
            // partitions stays bounded.
            List<PurgedRange> purged;
            try {
                purged = transactions.inTransaction(() -> partitions.drop(partition));
            } catch (PartitionKept kept) {
                continue;
            }
            Map<TenantId, Long> counts = new HashMap<>();
            for (PurgedRange range : purged) {
                // Only judged tenants: an event arriving since is not archived yet, so the drop would refuse.
                outcomes.computeIfAbsent(range.tenant(), t -> new TenantOutcome())
                        .addPurgedRange(range.first(), range.last());
                counts.merge(range.tenant(), range.last() - range.first() + 1, Long::sum);
            }
            counts.forEach(counter::purged);
        }
    }

    /** Reads the partition's events one by one and answers whether none is under one of the tenants' holds. */
    private boolean noEventHeld(HotPartition partition, Map<TenantId, List<LegalHold>> tenantHolds) {
        EventId after = null;
        while (true) {
            EventId from = after;
            List<PartitionEvent> page = transactions.inTransaction(
                    () -> partitions.eventsOf(partition, from, PARTITION_PAGE));
            if (page.isEmpty()) {
                return true;
            }
            for (PartitionEvent event : page) {
                List<LegalHold> holdsNow = tenantHolds.getOrDefault(event.subject().tenant(), List.of());
                if (holdsNow.stream().anyMatch(hold -> hold.covers(event.subject()))) {
                    return false;
                }
            }
            after = page.get(page.size() - 1).id();
        }
    }

    private void purgeTenant(TenantId tenant, RunJobCommand request, JobRun run, TenantOutcome outcome) {
        Instant now = clock.instant();
        RetentionPolicies tenantPolicies = transactions.inTransaction(() -> policies.forTenant(tenant));
        List<LegalHold> tenantHolds = transactions.inTransaction(() -> holds.active(tenant));
        PurgeCursor cursor = transactions.inTransaction(() -> purge.cursor(tenant));
        String holdsNow = holdsFingerprint(tenantHolds);
        // Held events are looked at again only when the tenant's holds changed: a release may free them.
        boolean holdsChanged = !holdsNow.equals(cursor.holdsSeen());
        Judge judge = new Judge(tenant, request, tenantPolicies, tenantHolds, now, outcome);
        revisit(tenant, false, now, judge);
        if (holdsChanged) {
            revisit(tenant, true, null, judge);
        }
        long next = outcome.skipPurgedRanges(cursor.nextIndex());
        while (true) {
            long from = next;
            List<PurgeCandidate> candidates = transactions.inTransaction(
                    () -> purge.purgeCandidates(tenant, from, batchSize));
            if (candidates.isEmpty()) {
                break;
            }
            judge.judge(candidates, List.of(), false);
            next = outcome.skipPurgedRanges(candidates.get(candidates.size() - 1).index() + 1);
        }
        if (!request.dryRun()) {
            long resumeNext = next;
            // Holds that moved during the run may have deferred events as held under a hold the start did not see:
            // the saved fingerprint must then differ from any the next run computes, so that it looks at them again.
            String holdsSeen = judge.holdsMoved ? HOLDS_MOVED_DURING_RUN : holdsNow;
            transactions.inTransaction(() -> {
                purge.saveCursor(tenant, resumeNext, holdsSeen);
                return null;
            });
        }
        deleteExpiredSegments(tenant, request, run, tenantPolicies, now, outcome);
    }

    /** Judges again the deferred events whose time came (or the held ones), page by page. */
    private void revisit(TenantId tenant, boolean held, Instant upTo, Judge judge) {
        RevisitKey after = RevisitKey.START;
        while (true) {
            RevisitKey from = after;
            Revisits revisits = transactions.inTransaction(
                    () -> purge.revisits(tenant, held, upTo, from, batchSize));
            if (revisits.isEmpty()) {
                return;
            }
            judge.judge(revisits.inHotStore(), revisits.gone(), true);
            after = revisits.last();
        }
    }

    /** Judges a page of archived events: the released ones leave the hot store, the others are deferred. */
    private final class Judge {
        private final TenantId tenant;
        private final RunJobCommand request;
        private final RetentionPolicies tenantPolicies;
        private final List<LegalHold> tenantHolds;
        private final Instant now;
        private final TenantOutcome outcome;
        /** Whether a batch's own read of the holds found other holds than the run's start did. */
        boolean holdsMoved;

        Judge(TenantId tenant, RunJobCommand request, RetentionPolicies tenantPolicies, List<LegalHold> tenantHolds,
                Instant now, TenantOutcome outcome) {
            this.tenant = tenant;
            this.request = request;
            this.tenantPolicies = tenantPolicies;
            this.tenantHolds = tenantHolds;
            this.now = now;
            this.outcome = outcome;
        }

        void judge(List<PurgeCandidate> candidates, List<Long> gone, boolean deferredBefore) {
            List<PurgeCandidate> released = new ArrayList<>();
            List<Deferral> kept = new ArrayList<>();
            for (PurgeCandidate candidate : candidates) {
                RetentionSubject subject = candidate.subject();
                RetentionPolicy policy = tenantPolicies.resolve(subject);
                if (RetentionRules.mayLeaveHotStore(subject, policy, true, tenantHolds, now).allowed()) {
                    released.add(candidate);
                } else {
                    boolean held = tenantHolds.stream().anyMatch(hold -> hold.covers(subject));
                    if (held) {
                        outcome.held++;
                    } else {
                        outcome.notYetDue++;
                    }
                    kept.add(new Deferral(candidate.index(), candidate.id(),
                            RetentionRules.archiveDueAt(subject, policy), held));
                }
            }
            if (request.dryRun()) {
                outcome.wouldPurge += released.size();
                return;
            }
            List<Long> removed = transactions.inTransaction(() -> {
                // Holds are read again in the purge's own transaction: one placed since the candidates were judged
                // keeps its events (the database function refuses held events as well).
                List<LegalHold> current = holds.active(tenant);
                if (!holdsFingerprint(current).equals(holdsFingerprint(tenantHolds))) {
                    holdsMoved = true;
                }
                Set<EventId> stillFree = new LinkedHashSet<>();
                for (PurgeCandidate candidate : released) {
                    if (current.stream().anyMatch(hold -> hold.covers(candidate.subject()))) {
                        outcome.held++;
                        kept.add(new Deferral(candidate.index(), candidate.id(), now, true));
                    } else {
                        stillFree.add(candidate.id());
                    }
                }
                // Personal values stay: the archived copy can still be read, and its values revealed, until the
                // segment is deleted (deleteExpiredSegments).
                List<Long> purged = stillFree.isEmpty() ? List.<Long>of() : purge.purge(tenant, List.copyOf(stillFree));
                Set<Long> purgedSet = new HashSet<>(purged);
                for (PurgeCandidate candidate : released) {
                    if (stillFree.contains(candidate.id()) && !purgedSet.contains(candidate.index())) {
                        // The database kept it (its copy is no longer confirmed): look again next run, not this one.
                        kept.add(new Deferral(candidate.index(), candidate.id(), now.plusSeconds(1), false));
                    }
                }
                purge.defer(tenant, kept);
                if (deferredBefore) {
                    List<Long> forgotten = new ArrayList<>(gone);
                    forgotten.addAll(purged);
                    purge.forget(tenant, forgotten);
                }
                return purged;
            });
            outcome.addPurged(removed);
            if (!released.isEmpty()) {
                counter.purged(tenant, removed.size());
            }
        }
    }

    /** Names the tenant's active holds, so a run can tell whether they changed since the previous one. */
    /** Never a fingerprint of a set of holds (those are "none" or hex): forces the next run to look again. */
    static final String HOLDS_MOVED_DURING_RUN = "moved-during-run";

    static String holdsFingerprint(List<LegalHold> activeHolds) {
        return activeHolds.stream().map(hold -> hold.id().toString()).sorted()
                .reduce((a, b) -> a + "," + b).map(PurgeEventsService::sha256Hex).orElse("none");
    }

    private static String sha256Hex(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /**
     * Every segment past its catalogued retention, page by page: kept ones (held, lengthened, still hot) stay in the
     * list for good, so a run must not stop at the first page of them.
     */
    private void deleteExpiredSegments(TenantId tenant, RunJobCommand request, JobRun run,
            RetentionPolicies tenantPolicies, Instant now, TenantOutcome outcome) {
        long from = 0;
        while (true) {
            long pageFrom = from;
            List<ArchivedSegment> expired = transactions.inTransaction(
                    () -> catalog.segmentsPastRetention(tenant, now, pageFrom, SEGMENT_PAGE));
            if (expired.isEmpty()) {
                return;
            }
            deleteExpiredSegments(tenant, request, run, tenantPolicies, now, outcome, expired);
            from = expired.get(expired.size() - 1).manifest().to();
        }
    }

    private void deleteExpiredSegments(TenantId tenant, RunJobCommand request, JobRun run,
            RetentionPolicies tenantPolicies, Instant now, TenantOutcome outcome, List<ArchivedSegment> expired) {
        for (ArchivedSegment segment : expired) {
            String key = segment.manifest().objectKey();
            List<RetentionSubject> subjects = transactions.inTransaction(() -> catalog.subjectsOf(key));
            // The policy in force now decides, not the one the segment was archived under: a lengthened policy
            // extends the copy's lock and keeps it.
            Instant retainUntil = segment.manifest().retainUntil();
            for (RetentionSubject subject : subjects) {
                retainUntil = RetentionRules.lockUntil(retainUntil,
                        RetentionRules.retainUntil(subject, tenantPolicies.resolve(subject)));
            }
            if (retainUntil.isAfter(now)) {
                if (!request.dryRun()) {
                    Optional<StoredObject> current = archive.describe(key);
                    if (current.isPresent() && (current.get().retainUntil() == null
                            || current.get().retainUntil().isBefore(retainUntil))) {
                        archive.extendLock(key, retainUntil);
                        outcome.segmentsLockExtended++;
                    }
                }
                outcome.segmentsKept++;
                continue;
            }
            // Holds are read again right before the copy is deleted, not once per run.
            List<LegalHold> tenantHolds = transactions.inTransaction(() -> holds.active(tenant));
            RetentionDecision decision = RetentionRules.mayDeleteArchiveCopy(segment.manifest().retainUntil(),
                    subjects, tenantHolds, now);
            if (!decision.allowed()) {
                outcome.segmentsKept++;
                continue;
            }
            if (transactions.inTransaction(() -> catalog.eventsStillHot(key)) > 0) {
                outcome.segmentsKept++;
                continue;
            }
            Optional<StoredObject> stored = archive.describe(key);
            if (stored.isPresent() && stored.get().legalHold()) {
                // The database knows no hold, the store still carries one: a hold flag is never cleared here.
                outcome.segmentsKept++;
                continue;
            }
            if (request.dryRun()) {
                outcome.segmentsWouldDelete++;
                continue;
            }
            Map<String, JsonValue> metadata = new LinkedHashMap<>();
            metadata.put("jobRunId", new JsonString(run.id().toString()));
            metadata.put("segment", new JsonString(key));
            metadata.put("indexRange", new JsonArray(List.of(new JsonNumber(segment.manifest().from()),
                    new JsonNumber(segment.manifest().to() - 1))));
            metadata.put("retainUntil", new JsonString(segment.manifest().retainUntil().toString()));
            metadata.put("reason", new JsonString(decision.reason()));
            long valuesDeleted = transactions.inTransaction(() -> {
                // Recorded first: the database checks the holds again under a lock that makes a hold being placed
                // wait until this commits, so none can arrive between that check and the deletion of the copy.
                catalog.recordSegmentDeletion(key, clock.instant(), run.id());
                // No copy of these events is left anywhere, so their personal values go now (storage limitation);
                // the database refuses while a hold covers one of them, and then nothing here commits.
                long deleted = personalData.deleteValuesOfDeletedSegment(key);
                metadata.put("personalValuesDeleted", new JsonNumber(deleted));
                selfAudit.record(request.requestedBy(), tenant, SEGMENT_DELETED, new JsonObject(metadata));
                // Last, still inside: a failed deletion rolls the record back. A commit that fails after it leaves
                // the copy gone and unrecorded, and the next run records it (the copy is then found absent).
                if (stored.isPresent()) {
                    archive.delete(key);
                }
                String manifestKey = SegmentKeys.manifestKey(key);
                if (archive.describe(manifestKey).isPresent()) {
                    archive.delete(manifestKey);
                }
                return deleted;
            });
            outcome.segmentsDeleted++;
            outcome.personalValuesDeleted += valuesDeleted;
        }
    }

    private void recordRun(TenantId tenant, RunJobCommand request, JobRun run, TenantOutcome outcome) {
        boolean nothingHappened = outcome.purged == 0 && outcome.segmentsDeleted == 0;
        if (nothingHappened && request.trigger() == JobRun.Trigger.SCHEDULE) {
            return;
        }
        Map<String, JsonValue> counts = auditMetadata(outcome.toOutcome());
        transactions.inTransaction(() -> {
            selfAudit.recordJobRun(request, run, tenant, PURGE_RUN, counts);
            return null;
        });
    }

    /** The counts a {@code purge.run} event carries (event content: its shape stays as it is). */
    private static Map<String, JsonValue> auditMetadata(PurgeTenantOutcome outcome) {
        Map<String, JsonValue> json = new LinkedHashMap<>();
        json.put("eventsPurged", new JsonNumber(outcome.eventsPurged()));
        json.put("eventsWouldPurge", new JsonNumber(outcome.eventsWouldPurge()));
        json.put("eventsHeld", new JsonNumber(outcome.eventsHeld()));
        json.put("eventsNotYetDue", new JsonNumber(outcome.eventsNotYetDue()));
        List<JsonValue> ranges = new ArrayList<>();
        for (JobOutcome.IndexRange range : outcome.purgedIndexRanges()) {
            ranges.add(new JsonArray(List.of(new JsonNumber(range.first()), new JsonNumber(range.last()))));
        }
        json.put("purgedIndexRanges", new JsonArray(ranges));
        json.put("segmentsDeleted", new JsonNumber(outcome.segmentsDeleted()));
        json.put("segmentsWouldDelete", new JsonNumber(outcome.segmentsWouldDelete()));
        json.put("segmentsKept", new JsonNumber(outcome.segmentsKept()));
        json.put("segmentsLockExtended", new JsonNumber(outcome.segmentsLockExtended()));
        if (outcome.error() != null) {
            json.put("error", new JsonString(outcome.error()));
        }
        return json;
    }

    private static final class TenantOutcome {
        long purged;
        long wouldPurge;
        long held;
        long notYetDue;
        int segmentsDeleted;
        int segmentsWouldDelete;
        int segmentsKept;
        int segmentsLockExtended;
        long personalValuesDeleted;
        String error;
        /** Purged leaves: first index to last index. */
        final TreeMap<Long, Long> ranges = new TreeMap<>();

        /** A range of leaves a dropped partition purged. */
        void addPurgedRange(long first, long last) {
            addRange(first, last);
            purged += last - first + 1;
        }

        /** The indices the per-event purge removed. */
        void addPurged(List<Long> indices) {
            for (long index : indices) {
                addRange(index, index);
                purged++;
            }
        }

        /** The first index at or after {@code index} that this run has not already purged. */
        long skipPurgedRanges(long index) {
            Map.Entry<Long, Long> covering = ranges.floorEntry(index);
            return covering != null && covering.getValue() >= index ? covering.getValue() + 1 : index;
        }

        /** Keeps the purged indices as disjoint, non-adjacent ranges, whatever order they arrive in. */
        private void addRange(long first, long last) {
            long start = first;
            long end = last;
            Map.Entry<Long, Long> before = ranges.floorEntry(start);
            if (before != null && before.getValue() + 1 >= start) {
                start = before.getKey();
                end = Math.max(end, before.getValue());
                ranges.remove(before.getKey());
            }
            Map.Entry<Long, Long> next = ranges.ceilingEntry(start);
            while (next != null && next.getKey() <= end + 1) {
                end = Math.max(end, next.getValue());
                ranges.remove(next.getKey());
                next = ranges.ceilingEntry(start);
            }
            ranges.put(start, end);
        }

        PurgeTenantOutcome toOutcome() {
            List<JobOutcome.IndexRange> purgedRanges = ranges.entrySet().stream()
                    .map(range -> new JobOutcome.IndexRange(range.getKey(), range.getValue())).toList();
            return new PurgeTenantOutcome(purged, wouldPurge, held, notYetDue, purgedRanges, segmentsDeleted,
                    segmentsWouldDelete, segmentsKept, segmentsLockExtended, personalValuesDeleted, error);
        }
    }
}
