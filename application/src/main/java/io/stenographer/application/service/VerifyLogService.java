package io.stenographer.application.service;

import io.stenographer.application.port.in.VerificationRunQuery;
import io.stenographer.application.port.in.VerificationRunsQuery;
import io.stenographer.application.port.in.VerifyLogCommand;
import io.stenographer.application.port.in.VerifyLogUseCase;
import io.stenographer.application.port.out.LoadLogPort;
import io.stenographer.application.port.out.RecordVerificationRunsPort;
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
import io.stenographer.domain.merkle.Hash;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Trusts nothing derived: every leaf hash is recomputed from its stored event, the tree is rebuilt
 * from those leaves in index order, and every stored or caller-supplied checkpoint is checked against
 * the rebuilt tree and the log's key. Works in ranges, so memory stays bounded at any log size. Each
 * range's events are hashed straight from their stored fields on all cores ({@link LeafWithStoredFields});
 * only an event whose hash differs is rebuilt, to say what is wrong with it.
 * The rebuilding and comparing is the domain's {@link LogVerifier}; this service checks the caller,
 * loads the log through its ports and records the report.
 */
public final class VerifyLogService implements VerifyLogUseCase {

    static final String AUDIT_VERIFY = "audit.verify";
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
        return verifyAndRecord(command.caller(), command.tenant(), command.trustedCheckpoints(),
                command.allCheckpoints());
    }

    @Override
    public List<VerificationReport> verifyAll() {
        List<VerificationReport> reports = new ArrayList<>();
        for (TenantId tenant : transactions.inTransaction(log::tenantsWithLogs)) {
            try {
                reports.add(verifyAndRecord(SYSTEM, tenant, List.of(), false));
            } catch (RuntimeException e) {
                // One tenant's failure must not skip the others; an unfinished check is reported, never a pass.
                Instant now = clock.instant();
                reports.add(new VerificationReport(UUID.randomUUID(), tenant, now, now, 0, 0, 0, 0, SYSTEM.subject(),
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
    private VerificationReport verifyAndRecord(Caller caller, TenantId tenant, List<String> trusted,
            boolean allCheckpoints) {
        Instant started = clock.instant();
        LogVerifier verifier = check(tenant, trusted, allCheckpoints);
        VerificationReport report = verifier.report(UUID.randomUUID(), started, clock.instant(), caller.subject());
        String anchor = verifier.newestAcceptedCheckpoint().orElse(null);
        return transactions.inTransaction(() -> record(caller, tenant, report, anchor));
    }

    private VerificationReport record(Caller caller, TenantId tenant, VerificationReport report, String anchor) {
        runs.save(report, anchor);
        Map<String, JsonValue> metadata = new LinkedHashMap<>();
        metadata.put("runId", new JsonString(report.id().toString()));
        metadata.put("ok", JsonBoolean.of(report.ok()));
        metadata.put("treeSize", new JsonNumber(report.treeSize()));
        metadata.put("eventsChecked", new JsonNumber(report.eventsChecked()));
        metadata.put("checkpointsChecked", new JsonNumber(report.checkpointsChecked()));
        metadata.put("anchoredAtSize", new JsonNumber(report.anchoredAtSize()));
        metadata.put("findings", new JsonNumber(report.findings().size()));
        selfAudit.record(caller, tenant, AUDIT_VERIFY, new JsonObject(metadata));
        return report;
    }

    /**
     * Loads the log through the ports, range by range, and feeds it to the domain's {@link LogVerifier}. Stored
     * checkpoints are checked incrementally unless {@code allCheckpoints}: the newest one an earlier run with no
     * findings accepted is checked again, and only those above it besides.
     */
    private LogVerifier check(TenantId tenant, List<String> trusted, boolean allCheckpoints) {
        KeySet keys = transactions.inTransaction(() -> keySets.of(tenant));
        LogVerifier verifier = new LogVerifier(tenant, keys, origins.originOf(tenant));

        if (!allCheckpoints) {
            transactions.inTransaction(() -> runs.newestAcceptedCheckpoint(tenant))
                    .ifPresent(verifier::anchorFromEarlierRun);
        }
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
        checkLeaves(tenant, treeSize, verifier);
        if (verifier.leavesUnpublished()) {
            // The sequencer may have published a checkpoint between reading the checkpoints and the tree size.
            verifier.latestCheckpoint(transactions.inTransaction(() -> log.latestCheckpoint(tenant))
                    .map(PublishedCheckpoint::treeSize).orElse(0L));
        }
        if (verifier.leavesUnpublished() && !verifier.full()) {
            long first = verifier.firstUnpublishedIndex();
            verifier.unpublishedLeaves(transactions.inTransaction(() -> log.leafAt(tenant, first)));
        }
        if (!verifier.full()) {
            retentionRecords.check(tenant, verifier.room()).forEach(verifier::add);
        }
        for (EventId outside : transactions.inTransaction(() -> log.eventsOutsideTheLog(tenant, 100))) {
            verifier.eventOutsideLog(outside);
        }
        return verifier;
    }

    /**
     * Reading and hashing overlap: the ranges stream in on their own threads, one database statement per stream,
     * and are hashed on the common pool as they arrive; this thread rebuilds the tree and compares the stored tile
     * hashes in index order as each range's hashes are ready.
     */
    private void checkLeaves(TenantId tenant, long treeSize, LogVerifier verifier) {
        leafReads.inIndexOrder(tenant, treeSize, range -> {
            Map<NodeRef, Hash> rebuilt = verifier.rebuild(range.from(), range.to(), range.leaves());
            verifier.compareSubtrees(rebuilt, transactions.inTransaction(
                    () -> new StoredTree(log, tenant, treeSize, LogCache.none()).nodeHashes(rebuilt.keySet())));
            return !verifier.full();
        });
    }
}
