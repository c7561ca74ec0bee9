package io.stenographer.application.service;

import io.stenographer.application.port.in.VerificationAlreadyRunning;
import io.stenographer.application.port.in.VerificationRunQuery;
import io.stenographer.application.port.in.VerificationRunsQuery;
import io.stenographer.application.port.in.VerifyLogCommand;
import io.stenographer.application.port.in.VerifyLogUseCase;
import io.stenographer.application.port.out.LoadLogPort;
import io.stenographer.application.port.out.RecordVerificationRunsPort;
import io.stenographer.application.port.out.RecordVerificationRunsPort.Anchor;
import io.stenographer.application.port.out.TransactionRunner;
import io.stenographer.domain.access.Caller;
import io.stenographer.domain.checkpoint.KeySet;
import io.stenographer.domain.event.EventId;
import io.stenographer.domain.event.FieldViolation;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.json.JsonBoolean;
import io.stenographer.domain.json.JsonNumber;
import io.stenographer.domain.json.JsonObject;
import io.stenographer.domain.json.JsonString;
import io.stenographer.domain.json.JsonValue;
import io.stenographer.domain.log.LogIntegrityViolation;
import io.stenographer.domain.log.LogOrigins;
import io.stenographer.domain.log.LogVerifier;
import io.stenographer.domain.merkle.NodeRef;
import io.stenographer.domain.log.PublishedCheckpoint;
import io.stenographer.domain.log.VerificationFinding;
import io.stenographer.domain.log.VerificationFinding.Kind;
import io.stenographer.domain.log.VerificationReport;
import io.stenographer.domain.merkle.ConsistencyProof;
import io.stenographer.domain.merkle.Hash;
import io.stenographer.domain.merkle.MerkleFrontier;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Trusts nothing derived: every leaf hash is recomputed from its stored event, the tree is rebuilt
 * from those leaves in index order, and every stored or caller-supplied checkpoint is checked against
 * the rebuilt tree and the log's key. Works in ranges, so memory stays bounded at any log size.
 * An incremental run does the same from the newest checkpoint the last sound run accepted, on the stored tree's
 * edge at that size, which must fold to that checkpoint's signed root; it proves the checkpoints below and above
 * consistent with it through the stored tree. Its cost follows what was appended since, not the log's size. Each
 * range's events are hashed straight from their stored fields on all cores ({@link LeafWithStoredFields});
 * only an event whose hash differs is rebuilt, to say what is wrong with it.
 * The rebuilding and comparing is the domain's {@link LogVerifier}; this service checks the caller,
 * loads the log through its ports and records the report.
 */
public final class VerifyLogService implements VerifyLogUseCase {

    static final String AUDIT_VERIFY = "audit.verify";
    /** How long before its run's start an event may have been received yet not committed: ingest's timeout, ample. */
    private static final Duration EVENTS_IN_FLIGHT = Duration.ofHours(1);
    private static final Caller SYSTEM = new Caller("stenographer-scheduler", Set.of());

    private final LoadLogPort log;
    private final ParallelLeafReads leafReads;
    private final SelfAudit selfAudit;
    private final RecordVerificationRunsPort runs;
    private final TenantKeySets keySets;
    private final TransactionRunner transactions;
    private final Clock clock;
    private final LogOrigins origins;
    private final RetentionRecordsCheck retentionRecords;
    /** Logs being verified on this instance: one run per log at a time, requested or scheduled. */
    private final Set<TenantId> running = ConcurrentHashMap.newKeySet();

    public VerifyLogService(LoadLogPort log, ParallelLeafReads leafReads, SelfAudit selfAudit, RecordVerificationRunsPort runs,
            TenantKeySets keySets, TransactionRunner transactions, Clock clock, LogOrigins origins,
            RetentionRecordsCheck retentionRecords) {
        this.log = log;
        this.leafReads = leafReads;
        this.selfAudit = selfAudit;
        this.runs = runs;
        this.keySets = keySets;
        this.transactions = transactions;
        this.clock = clock;
        this.origins = origins;
        this.retentionRecords = retentionRecords;
    }

    @Override
    public VerificationReport verify(VerifyLogCommand command) {
        command.caller().requireGovernanceReader(command.tenant());
        return verifyAndRecord(command.caller(), command.tenant(), command.trustedCheckpoints(), command.full());
    }

    @Override
    public List<VerificationReport> verifyAll(boolean full) {
        List<VerificationReport> reports = new ArrayList<>();
        for (TenantId tenant : transactions.inTransaction(log::tenantsWithLogs)) {
            try {
                reports.add(verifyAndRecord(SYSTEM, tenant, List.of(), full));
            } catch (VerificationAlreadyRunning e) {
                // A requested run of this log is under way; its report is stored like a scheduled one.
            } catch (RuntimeException e) {
                // One tenant's failure must not skip the others; an unfinished check is reported, never a pass.
                Instant now = clock.instant();
                reports.add(new VerificationReport(UUID.randomUUID(), tenant, now, now, 0, 0, 0, 0, 0, SYSTEM.subject(),
                        List.of(new VerificationFinding(Kind.VERIFICATION_INCOMPLETE, null, null,
                                "verification could not complete: " + e)), false));
            }
        }
        return reports;
    }

    @Override
    public List<VerificationReport> recentRuns(VerificationRunsQuery query) {
        query.caller().requireGovernanceReader(query.tenant());
        int limit = query.limit();
        if (limit < 1 || limit > 100) {
            throw new FieldViolation("limit", "must be between 1 and 100");
        }
        return transactions.inTransaction(() -> runs.recent(query.tenant(), limit));
    }

    @Override
    public Optional<VerificationReport> run(VerificationRunQuery query) {
        query.caller().requireGovernanceReader(query.tenant());
        return transactions.inTransaction(() -> runs.find(query.tenant(), query.id()));
    }

    /**
     * The check reads the leaves with their events in streamed statements (one or several at once, each its own
     * snapshot) and the rest in short read-only transactions: log rows never change, so the reads add up to one
     * consistent picture, and no transaction timeout caps the log size. Storing the report and its audit event is
     * one transaction.
     */
    private VerificationReport verifyAndRecord(Caller caller, TenantId tenant, List<String> trusted, boolean full) {
        if (!running.add(tenant)) {
            throw new VerificationAlreadyRunning(tenant);
        }
        try {
            return checkAndRecord(caller, tenant, trusted, full);
        } finally {
            running.remove(tenant);
        }
    }

    private VerificationReport checkAndRecord(Caller caller, TenantId tenant, List<String> trusted, boolean full) {
        Instant started = clock.instant();
        Checked checked = check(tenant, trusted, full);
        VerificationReport report = checked.verifier().report(UUID.randomUUID(), started, clock.instant(),
                caller.subject());
        String anchor = checked.verifier().newestAcceptedCheckpoint().orElse(null);
        return transactions.inTransaction(() -> record(caller, tenant, report, anchor, checked.segmentsCheckedUpTo()));
    }

    private VerificationReport record(Caller caller, TenantId tenant, VerificationReport report, String anchor,
            long segmentsCheckedUpTo) {
        runs.save(report, anchor, segmentsCheckedUpTo);
        Map<String, JsonValue> metadata = new LinkedHashMap<>();
        metadata.put("runId", new JsonString(report.id().toString()));
        metadata.put("ok", JsonBoolean.of(report.ok()));
        metadata.put("treeSize", new JsonNumber(report.treeSize()));
        metadata.put("eventsChecked", new JsonNumber(report.eventsChecked()));
        metadata.put("checkpointsChecked", new JsonNumber(report.checkpointsChecked()));
        metadata.put("anchoredAtSize", new JsonNumber(report.anchoredAtSize()));
        metadata.put("leavesCheckedFrom", new JsonNumber(report.leavesCheckedFrom()));
        metadata.put("findings", new JsonNumber(report.findings().size()));
        selfAudit.record(caller, tenant, AUDIT_VERIFY, new JsonObject(metadata));
        return report;
    }

    /** What a run found, and where the archive catalogue ended when it read the segments back. */
    private record Checked(LogVerifier verifier, long segmentsCheckedUpTo) {
    }

    /**
     * Loads the log through the ports, range by range, and feeds it to the domain's {@link LogVerifier}. Unless
     * {@code full}, the run continues from the newest checkpoint an earlier run with no findings accepted: that one is
     * checked again, then only the checkpoints, leaves, events and archive segments above it. A full run never reads
     * an anchor, so nothing stored in the database can shorten it.
     */
    private Checked check(TenantId tenant, List<String> trusted, boolean full) {
        KeySet keys = transactions.inTransaction(() -> keySets.of(tenant));
        LogVerifier verifier = new LogVerifier(tenant, keys, origins.originOf(tenant));

        Optional<Anchor> anchor = full ? Optional.empty() : transactions.inTransaction(() -> runs.anchor(tenant));
        anchor.ifPresent(earlier -> verifier.anchorFromEarlierRun(earlier.note()));
        long above = verifier.anchoredAtSize();
        List<PublishedCheckpoint> stored = List.of();
        try {
            stored = transactions.inTransaction(() -> log.checkpointsAbove(tenant, above));
        } catch (LogIntegrityViolation | IllegalArgumentException e) {
            verifier.checkpointsUnreadable(e.getMessage());
        }
        stored.forEach(verifier::storedCheckpoint);
        trusted.forEach(verifier::suppliedCheckpoint);

        long treeSize = transactions.inTransaction(() -> log.treeSize(tenant));
        verifier.treeSize(treeSize);
        boolean resumed = verifier.mayResumeAtAnchor() && resumeAtAnchor(tenant, treeSize, verifier);
        checkLeaves(tenant, verifier.leavesCheckedFrom(), treeSize, verifier);
        if (verifier.leavesUnpublished()) {
            // The sequencer may have published a checkpoint between reading the checkpoints and the tree size.
            verifier.latestCheckpoint(transactions.inTransaction(() -> log.latestCheckpoint(tenant))
                    .map(PublishedCheckpoint::treeSize).orElse(0L));
        }
        if (verifier.leavesUnpublished() && !verifier.full()) {
            long first = verifier.firstUnpublishedIndex();
            verifier.unpublishedLeaves(transactions.inTransaction(() -> log.leafAt(tenant, first)));
        }
        long segmentsCheckedUpTo = 0;
        if (!verifier.full()) {
            RetentionRecordsCheck.Result retention = retentionRecords.check(tenant, verifier.room(),
                    resumed ? anchor.get().segmentsCheckedUpTo() : 0);
            retention.findings().forEach(verifier::add);
            segmentsCheckedUpTo = retention.segmentsCheckedUpTo();
        }
        // Events received before the anchor's run were looked at by it or by the runs it continued, and segments
        // recorded before it were read back.
        Instant receivedFrom = resumed ? anchor.get().runStartedAt().minus(EVENTS_IN_FLIGHT) : Instant.EPOCH;
        for (EventId outside : transactions.inTransaction(() -> log.eventsOutsideTheLog(tenant, receivedFrom, 100))) {
            verifier.eventOutsideLog(outside);
        }
        return new Checked(verifier, segmentsCheckedUpTo);
    }

    /**
     * Reads the stored tree's edge at the anchor's size (one tile read per level at most) and the consistency proofs
     * the verifier wants, as the log serves them to clients, in one read-only transaction.
     *
     * @return whether the leaf checks start at the anchor; false when the stored tree below it changed, with a finding
     */
    private boolean resumeAtAnchor(TenantId tenant, long treeSize, LogVerifier verifier) {
        return transactions.inTransaction(() -> {
            StoredTree tree = new StoredTree(log, tenant, treeSize, LogCache.none());
            MerkleFrontier atAnchor;
            try {
                atAnchor = tree.compute(source -> MerkleFrontier.of(verifier.anchoredAtSize(), source));
            } catch (LogIntegrityViolation e) {
                verifier.storedTreeBelowAnchorUnreadable(e.getMessage());
                return false;
            }
            if (!verifier.resumeAtAnchor(atAnchor)) {
                return false;
            }
            for (LogVerifier.ProofSizes sizes : verifier.consistencyProofsWanted()) {
                try {
                    verifier.consistencyProof(tree.compute(source -> ConsistencyProof.compute(sizes.fromSize(),
                            sizes.toSize(), source)));
                } catch (LogIntegrityViolation e) {
                    verifier.add(new VerificationFinding(Kind.SUBTREE_MISMATCH, null, null, "no consistency proof "
                            + "from size " + sizes.fromSize() + " to " + sizes.toSize() + " can be built: "
                            + e.getMessage()));
                }
            }
            return true;
        });
    }

    /**
     * Reading and hashing overlap: the ranges stream in on their own threads, one database statement per stream,
     * and are hashed on the common pool as they arrive; this thread rebuilds the tree and compares the stored tile
     * hashes in index order as each range's hashes are ready.
     */
    private void checkLeaves(TenantId tenant, long from, long treeSize, LogVerifier verifier) {
        leafReads.inIndexOrder(tenant, from, treeSize, range -> {
            Map<NodeRef, Hash> rebuilt = verifier.rebuild(range.from(), range.to(), range.leaves());
            verifier.compareSubtrees(rebuilt, transactions.inTransaction(
                    () -> new StoredTree(log, tenant, treeSize, LogCache.none()).nodeHashes(rebuilt.keySet())));
            return !verifier.full();
        });
    }
}
