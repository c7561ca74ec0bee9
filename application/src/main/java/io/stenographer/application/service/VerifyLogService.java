package io.stenographer.application.service;

import io.stenographer.application.port.in.VerificationRunQuery;
import io.stenographer.application.port.in.VerificationRunsQuery;
import io.stenographer.application.port.in.VerifyLogCommand;
import io.stenographer.application.port.in.VerifyLogUseCase;
import io.stenographer.application.port.out.LoadLogPort;
import io.stenographer.application.port.out.RecordVerificationRunsPort;
import io.stenographer.application.port.out.TransactionRunner;
import io.stenographer.domain.access.Caller;
import io.stenographer.domain.checkpoint.Checkpoint;
import io.stenographer.domain.checkpoint.KeySet;
import io.stenographer.domain.checkpoint.SignedNote;
import io.stenographer.domain.event.AuditEvent;
import io.stenographer.domain.event.EventId;
import io.stenographer.domain.event.FieldViolation;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.json.JsonBoolean;
import io.stenographer.domain.json.JsonNumber;
import io.stenographer.domain.json.JsonObject;
import io.stenographer.domain.json.JsonString;
import io.stenographer.domain.json.JsonValue;
import io.stenographer.domain.log.LogIntegrityViolation;
import io.stenographer.domain.log.LogLeaf;
import io.stenographer.domain.log.LogOrigins;
import io.stenographer.domain.log.NodeRef;
import io.stenographer.domain.log.PublishedCheckpoint;
import io.stenographer.domain.log.VerificationFinding;
import io.stenographer.domain.log.VerificationFinding.Kind;
import io.stenographer.domain.log.VerificationReport;
import io.stenographer.domain.merkle.Hash;
import io.stenographer.domain.merkle.MerkleFrontier;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Trusts nothing derived: every leaf hash is recomputed from its stored event, the tree is rebuilt
 * from those leaves in index order, and every stored or caller-supplied checkpoint is checked against
 * the rebuilt tree and the log's key. Works in chunks, so memory stays bounded at any log size.
 */
public final class VerifyLogService implements VerifyLogUseCase {

    static final String AUDIT_VERIFY = "audit.verify";
    private static final int CHUNK = 10_000;
    private static final int MAX_FINDINGS = 1_000;
    private static final Caller SYSTEM = new Caller("stenographer-scheduler", Set.of());

    private final LoadLogPort log;
    private final SelfAudit selfAudit;
    private final RecordVerificationRunsPort runs;
    private final TenantKeySets keySets;
    private final TransactionRunner transactions;
    private final Clock clock;
    private final LogOrigins origins;
    private final RetentionRecordsCheck retentionRecords;

    public VerifyLogService(LoadLogPort log, SelfAudit selfAudit, RecordVerificationRunsPort runs,
            TenantKeySets keySets, TransactionRunner transactions, Clock clock, LogOrigins origins,
            RetentionRecordsCheck retentionRecords) {
        this.log = log;
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
        return verifyAndRecord(command.caller(), command.tenant(), command.trustedCheckpoints());
    }

    @Override
    public List<VerificationReport> verifyAll() {
        List<VerificationReport> reports = new ArrayList<>();
        for (TenantId tenant : transactions.inTransaction(log::tenantsWithLogs)) {
            try {
                reports.add(verifyAndRecord(SYSTEM, tenant, List.of()));
            } catch (RuntimeException e) {
                // One tenant's failure must not skip the others; an unfinished check is reported, never a pass.
                Instant now = clock.instant();
                reports.add(new VerificationReport(UUID.randomUUID(), tenant, now, now, 0, 0, 0, SYSTEM.subject(),
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
     * The check reads the log in short read-only transactions, one per chunk: log rows never change, so
     * the chunks add up to one consistent picture, and no transaction timeout caps the log size. Storing
     * the report and its audit event is one transaction.
     */
    private VerificationReport verifyAndRecord(Caller caller, TenantId tenant, List<String> trusted) {
        VerificationReport report = check(caller, tenant, trusted);
        return transactions.inTransaction(() -> record(caller, tenant, report));
    }

    private VerificationReport record(Caller caller, TenantId tenant, VerificationReport report) {
        runs.save(report);
        Map<String, JsonValue> metadata = new LinkedHashMap<>();
        metadata.put("runId", new JsonString(report.id().toString()));
        metadata.put("ok", JsonBoolean.of(report.ok()));
        metadata.put("treeSize", new JsonNumber(report.treeSize()));
        metadata.put("eventsChecked", new JsonNumber(report.eventsChecked()));
        metadata.put("checkpointsChecked", new JsonNumber(report.checkpointsChecked()));
        metadata.put("findings", new JsonNumber(report.findings().size()));
        selfAudit.record(caller, tenant, AUDIT_VERIFY, new JsonObject(metadata));
        return report;
    }

    private VerificationReport check(Caller caller, TenantId tenant, List<String> trusted) {
        Instant started = clock.instant();
        Findings findings = new Findings();
        KeySet verifier = transactions.inTransaction(() -> keySets.of(tenant));
        String origin = origins.originOf(tenant);

        // Checkpoints to hold the rebuilt tree against, by size: stored ones and the caller's own.
        TreeMap<Long, List<Checkpoint>> expectedRoots = new TreeMap<>();
        long checkpointsChecked = 0;
        List<PublishedCheckpoint> stored = List.of();
        try {
            stored = transactions.inTransaction(() -> log.checkpoints(tenant));
        } catch (LogIntegrityViolation | IllegalArgumentException e) {
            findings.add(new VerificationFinding(Kind.CHECKPOINT_MALFORMED, null, null, e.getMessage()));
        }
        for (PublishedCheckpoint checkpoint : stored) {
            checkpointsChecked++;
            if (acceptSignedCheckpoint(checkpoint.signedNote(), verifier, origin, "stored checkpoint at size "
                    + checkpoint.treeSize(), findings) != null) {
                expectedRoots.computeIfAbsent(checkpoint.treeSize(), s -> new ArrayList<>()).add(checkpoint.checkpoint());
            }
        }
        for (String note : trusted) {
            checkpointsChecked++;
            Checkpoint checkpoint = acceptSignedCheckpoint(note, verifier, origin, "supplied checkpoint", findings);
            if (checkpoint != null) {
                expectedRoots.computeIfAbsent(checkpoint.treeSize(), s -> new ArrayList<>()).add(checkpoint);
            }
        }

        long treeSize = transactions.inTransaction(() -> log.treeSize(tenant));
        if (!expectedRoots.isEmpty() && expectedRoots.lastKey() > treeSize) {
            findings.add(new VerificationFinding(Kind.LOG_ROLLED_BACK, treeSize, null, "a checkpoint of size "
                    + expectedRoots.lastKey() + " was published but the log now holds only " + treeSize
                    + " leaves: it was rolled back, first missing index is " + treeSize));
        }

        MerkleFrontier frontier = MerkleFrontier.empty();
        long eventsChecked = 0;
        for (long from = 0; from < treeSize && !findings.full(); from += CHUNK) {
            long to = Math.min(treeSize, from + CHUNK);
            Map<Long, LoadLogPort.LeafWithEvent> byIndex = new LinkedHashMap<>();
            long chunkFrom = from;
            for (LoadLogPort.LeafWithEvent row : transactions.inTransaction(
                    () -> log.leavesWithEvents(tenant, chunkFrom, to))) {
                byIndex.put(row.leaf().index(), row);
            }
            Map<NodeRef, Hash> completedHere = new LinkedHashMap<>();
            for (long index = from; index < to; index++) {
                LoadLogPort.LeafWithEvent row = byIndex.get(index);
                Hash leafHash;
                if (row == null) {
                    findings.add(new VerificationFinding(Kind.LEAF_MISSING, index, null,
                            "index " + index + ": no leaf is stored (row deleted)"));
                    leafHash = new Hash(new byte[32]);
                } else {
                    LogLeaf leaf = row.leaf();
                    AuditEvent event = row.event();
                    leafHash = leaf.leafHash();
                    if (row.unreadable() != null) {
                        findings.add(new VerificationFinding(Kind.LEAF_MISMATCH, index, leaf.eventId(), "index "
                                + index + ": event " + leaf.eventId() + " was altered into an invalid event: "
                                + row.unreadable()));
                    } else if (row.purged()) {
                        // Purged after archiving: the tree keeps the hash; the payload is checked whenever its
                        // segment is read back (ArchivedEventReader).
                        if (!row.archivedLeafHash().equals(leaf.leafHash())) {
                            findings.add(new VerificationFinding(Kind.LEAF_MISMATCH, index, leaf.eventId(), "index "
                                    + index + ": the archive index records another leaf hash for event "
                                    + leaf.eventId()));
                        }
                    } else if (event == null) {
                        findings.add(new VerificationFinding(Kind.EVENT_MISSING, index, leaf.eventId(), "index "
                                + index + ": event " + leaf.eventId() + " is missing from the event store"));
                    } else {
                        eventsChecked++;
                        Hash recomputed = event.leafHash();
                        if (!recomputed.equals(leaf.leafHash()) || !event.tenant().equals(tenant)) {
                            findings.add(new VerificationFinding(Kind.LEAF_MISMATCH, index, leaf.eventId(),
                                    "index " + index + ": event " + leaf.eventId()
                                            + " no longer hashes to its leaf (content or position changed)"));
                        }
                        leafHash = recomputed;
                    }
                }
                MerkleFrontier.Append step = frontier.append(leafHash);
                frontier = step.frontier();
                for (MerkleFrontier.CompletedSubtree subtree : step.completed()) {
                    if (subtree.level() > 0) {
                        completedHere.put(new NodeRef(subtree.level(), subtree.index()), subtree.hash());
                    }
                }
                List<Checkpoint> atSize = expectedRoots.get(frontier.size());
                if (atSize != null) {
                    for (Checkpoint checkpoint : atSize) {
                        if (!checkpoint.rootHash().equals(frontier.root())) {
                            findings.add(new VerificationFinding(Kind.CHECKPOINT_ROOT_MISMATCH, frontier.size() - 1,
                                    null, "checkpoint at size " + frontier.size()
                                            + ": root does not match the tree rebuilt from the events"));
                        }
                    }
                }
            }
            Map<NodeRef, Hash> storedSubtrees = transactions.inTransaction(
                    () -> log.subtreeHashes(tenant, completedHere.keySet()));
            completedHere.forEach((node, hash) -> {
                if (!hash.equals(storedSubtrees.get(node))) {
                    findings.add(new VerificationFinding(Kind.SUBTREE_MISMATCH, node.start(), null,
                            "stored hash of leaves [" + node.start() + ", " + node.end()
                                    + ") differs from the rebuilt tree"));
                }
            });
        }
        long published = stored.isEmpty() ? 0 : stored.get(stored.size() - 1).treeSize();
        if (treeSize > published) {
            // The sequencer may have published a checkpoint between reading the checkpoints and the tree size.
            published = Math.max(published, transactions.inTransaction(() -> log.latestCheckpoint(tenant))
                    .map(PublishedCheckpoint::treeSize).orElse(0L));
        }
        long unpublishedFrom = published;
        if (treeSize > published && !findings.full()) {
            // Integration stores leaves and their checkpoint in one transaction; unpublished leaves were added by hand.
            Optional<LogLeaf> first = transactions.inTransaction(() -> log.leafAt(tenant, unpublishedFrom));
            findings.add(new VerificationFinding(Kind.LEAF_UNPUBLISHED, published,
                    first.map(LogLeaf::eventId).orElse(null), "leaves [" + published + ", " + treeSize
                            + ") are covered by no checkpoint; the first holds event "
                            + first.map(leaf -> leaf.eventId().toString()).orElse("(none)")));
        }
        if (!findings.full()) {
            retentionRecords.check(tenant, MAX_FINDINGS - findings.list.size()).forEach(findings::add);
        }
        for (EventId outside : transactions.inTransaction(() -> log.eventsOutsideTheLog(tenant, 100))) {
            findings.add(new VerificationFinding(Kind.EVENT_OUTSIDE_LOG, null, outside,
                    "event " + outside + " is stored but holds no log position and is not queued (inserted outside ingest)"));
        }
        return new VerificationReport(UUID.randomUUID(), tenant, started, clock.instant(), treeSize, eventsChecked,
                checkpointsChecked, caller.subject(), findings.list, findings.truncated);
    }

    private static Checkpoint acceptSignedCheckpoint(String note, KeySet keys, String origin, String what,
            Findings findings) {
        try {
            SignedNote signed = SignedNote.parse(note);
            Checkpoint.parseBody(signed.body()); // a malformed body is its own finding, not a signature one
            Checkpoint checkpoint;
            try {
                checkpoint = keys.verify(signed);
            } catch (IllegalArgumentException e) {
                findings.add(new VerificationFinding(Kind.CHECKPOINT_SIGNATURE, null, null,
                        what + ": signature does not verify with key " + keys.label() + ": " + e.getMessage()));
                return null;
            }
            if (!checkpoint.origin().equals(origin)) {
                findings.add(new VerificationFinding(Kind.CHECKPOINT_SIGNATURE, null, null,
                        what + ": origin '" + checkpoint.origin() + "' is not this log's origin '" + origin + "'"));
                return null;
            }
            return checkpoint;
        } catch (IllegalArgumentException e) {
            findings.add(new VerificationFinding(Kind.CHECKPOINT_MALFORMED, null, null, what + ": " + e.getMessage()));
            return null;
        }
    }

    private static final class Findings {
        private final List<VerificationFinding> list = new ArrayList<>();
        private boolean truncated;

        void add(VerificationFinding finding) {
            if (list.size() < MAX_FINDINGS) {
                list.add(finding);
            } else {
                truncated = true;
            }
        }

        boolean full() {
            return list.size() >= MAX_FINDINGS;
        }
    }
}
