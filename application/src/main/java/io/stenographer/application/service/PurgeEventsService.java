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
import io.stenographer.application.port.out.PurgeEventsPort.PurgeCandidate;
import io.stenographer.application.port.out.ReportPurgeProgressPort;
import io.stenographer.application.port.out.StoreLegalHoldsPort;
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
import io.stenographer.domain.retention.RetentionRules;
import io.stenographer.domain.retention.RetentionSubject;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The purge job. Step 1 removes from the hot store, in small batches each in its own short transaction,
 * the archived events that the domain rules release (confirmed copy, past archive-after, no hold); the
 * database function removes nothing that is not in a confirmed segment. Step 2 deletes archive copies
 * whose retention ended, which no hold covers and whose events have all left the hot store. Log leaves
 * and subtree hashes are never touched, so every purged event stays provably included.
 */
public final class PurgeEventsService implements RunPurgeJobUseCase {

    static final String PURGE_RUN = "purge.run";
    static final String SEGMENT_DELETED = "archive.segment.deleted";

    private final CatalogSegmentsPort catalog;
    private final PurgeEventsPort purge;
    private final ArchiveSegmentsPort archive;
    private final ActiveRetentionPolicies policies;
    private final StoreLegalHoldsPort holds;
    private final LoadLogPort log;
    private final SelfAudit selfAudit;
    private final JobRuns jobRuns;
    private final TransactionRunner transactions;
    private final Clock clock;
    private final int batchSize;
    private final ReportPurgeProgressPort counter;

    public PurgeEventsService(CatalogSegmentsPort catalog, PurgeEventsPort purge, ArchiveSegmentsPort archive,
            ActiveRetentionPolicies policies, StoreLegalHoldsPort holds, LoadLogPort log, SelfAudit selfAudit,
            JobRuns jobRuns, TransactionRunner transactions, Clock clock, int batchSize,
            ReportPurgeProgressPort counter) {
        if (batchSize < 1 || batchSize > 1000) {
            throw new IllegalArgumentException("purge batch size must be 1..1000, was " + batchSize);
        }
        this.catalog = catalog;
        this.purge = purge;
        this.archive = archive;
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
                    long purgedTotal = 0;
                    List<String> failures = new ArrayList<>();
                    for (TenantId tenant : tenants) {
                        TenantOutcome outcome = new TenantOutcome();
                        try {
                            purgeTenant(tenant, request, run, outcome);
                        } catch (RuntimeException e) {
                            outcome.error = e.getMessage();
                            failures.add(tenant.value() + ": " + e.getMessage());
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

    private void purgeTenant(TenantId tenant, RunJobCommand request, JobRun run, TenantOutcome outcome) {
        Instant now = clock.instant();
        RetentionPolicies tenantPolicies = transactions.inTransaction(() -> policies.forTenant(tenant));
        List<LegalHold> tenantHolds = transactions.inTransaction(() -> holds.active(tenant));
        long cursor = 0;
        while (true) {
            long from = cursor;
            List<PurgeCandidate> candidates = transactions.inTransaction(
                    () -> purge.purgeCandidates(tenant, from, batchSize));
            if (candidates.isEmpty()) {
                break;
            }
            List<EventId> released = new ArrayList<>();
            for (PurgeCandidate candidate : candidates) {
                RetentionSubject subject = candidate.subject();
                RetentionDecision decision = RetentionRules.mayLeaveHotStore(subject,
                        tenantPolicies.resolve(subject), true, tenantHolds, now);
                if (decision.allowed()) {
                    released.add(candidate.id());
                } else if (tenantHolds.stream().anyMatch(hold -> hold.covers(subject))) {
                    outcome.held++;
                } else {
                    outcome.notYetDue++;
                }
            }
            cursor = candidates.get(candidates.size() - 1).index() + 1;
            if (released.isEmpty()) {
                continue;
            }
            if (request.dryRun()) {
                outcome.wouldPurge += released.size();
                continue;
            }
            // Holds are read again in the purge's own transaction: one placed since the candidates were judged
            // keeps its events (the database function refuses held events as well).
            List<Long> removed = transactions.inTransaction(() -> {
                List<LegalHold> current = holds.active(tenant);
                List<EventId> stillFree = candidates.stream()
                        .filter(candidate -> released.contains(candidate.id()))
                        .filter(candidate -> current.stream().noneMatch(hold -> hold.covers(candidate.subject())))
                        .map(PurgeCandidate::id)
                        .toList();
                outcome.held += released.size() - stillFree.size();
                return stillFree.isEmpty() ? List.<Long>of() : purge.purge(tenant, stillFree);
            });
            outcome.addPurged(removed);
            counter.purged(tenant, removed.size());
        }
        deleteExpiredSegments(tenant, request, run, tenantPolicies, now, outcome);
    }

    private void deleteExpiredSegments(TenantId tenant, RunJobCommand request, JobRun run,
            RetentionPolicies tenantPolicies, Instant now, TenantOutcome outcome) {
        List<ArchivedSegment> expired = transactions.inTransaction(
                () -> catalog.segmentsPastRetention(tenant, now, 1_000));
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
            if (stored.isPresent()) {
                archive.delete(key);
            }
            String manifestKey = SegmentKeys.manifestKey(key);
            if (archive.describe(manifestKey).isPresent()) {
                archive.delete(manifestKey);
            }
            Map<String, JsonValue> metadata = new LinkedHashMap<>();
            metadata.put("jobRunId", new JsonString(run.id().toString()));
            metadata.put("segment", new JsonString(key));
            metadata.put("indexRange", new JsonArray(List.of(new JsonNumber(segment.manifest().from()),
                    new JsonNumber(segment.manifest().to() - 1))));
            metadata.put("retainUntil", new JsonString(segment.manifest().retainUntil().toString()));
            metadata.put("reason", new JsonString(decision.reason()));
            transactions.inTransaction(() -> {
                catalog.recordSegmentDeletion(key, clock.instant(), run.id());
                selfAudit.record(request.requestedBy(), tenant, SEGMENT_DELETED, new JsonObject(metadata));
                return null;
            });
            outcome.segmentsDeleted++;
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
        String error;
        final List<long[]> ranges = new ArrayList<>();

        /** Collapses the purged indices into contiguous ranges for the run's record. */
        void addPurged(List<Long> indices) {
            for (long index : indices) {
                long[] last = ranges.isEmpty() ? null : ranges.get(ranges.size() - 1);
                if (last != null && last[1] + 1 == index) {
                    last[1] = index;
                } else {
                    ranges.add(new long[] {index, index});
                }
                purged++;
            }
        }

        PurgeTenantOutcome toOutcome() {
            List<JobOutcome.IndexRange> purgedRanges = ranges.stream()
                    .map(range -> new JobOutcome.IndexRange(range[0], range[1])).toList();
            return new PurgeTenantOutcome(purged, wouldPurge, held, notYetDue, purgedRanges, segmentsDeleted,
                    segmentsWouldDelete, segmentsKept, segmentsLockExtended, error);
        }
    }
}
