package io.stenographer.application.service;

import io.stenographer.application.port.out.StoreUnavailable;
import io.stenographer.application.port.in.IntegrateEventsUseCase;
import io.stenographer.application.port.out.AppendLogPort;
import io.stenographer.application.port.out.LoadLogPort;
import io.stenographer.application.port.out.LoadPendingEventsPort;
import io.stenographer.application.port.out.LoadPendingEventsPort.PendingLeaf;
import io.stenographer.application.port.out.SignCheckpointPort;
import io.stenographer.application.port.out.TransactionRunner;
import io.stenographer.domain.checkpoint.Checkpoint;
import io.stenographer.domain.checkpoint.SignedNote;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.log.LogIntegrityViolation;
import io.stenographer.domain.log.LogOrigins;
import io.stenographer.domain.log.PublishedCheckpoint;
import io.stenographer.domain.merkle.ConsistencyProof;
import io.stenographer.domain.merkle.Hash;
import io.stenographer.domain.merkle.MerkleFrontier;
import io.stenographer.domain.merkle.MerkleFrontier.CompletedSubtree;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One sequencer per tenant. Each tenant is integrated in its own transaction under the tenant's
 * sequencer lock, so indices are assigned by exactly one writer: 0, 1, 2, ... with no gaps. Events
 * whose transactions commit late are simply still queued and are taken by the next round.
 */
public final class IntegrateEventsService implements IntegrateEventsUseCase {

    private final LoadPendingEventsPort queue;
    private final LoadLogPort loadLog;
    private final AppendLogPort appendLog;
    private final SignCheckpointPort signer;
    private final TransactionRunner transactions;
    private final Clock clock;
    private final LogOrigins origins;
    private final int maxLeavesPerRound;

    public IntegrateEventsService(LoadPendingEventsPort queue, LoadLogPort loadLog, AppendLogPort appendLog,
            SignCheckpointPort signer, TransactionRunner transactions, Clock clock, LogOrigins origins,
            int maxLeavesPerRound) {
        this.queue = queue;
        this.loadLog = loadLog;
        this.appendLog = appendLog;
        this.signer = signer;
        this.transactions = transactions;
        this.clock = clock;
        this.origins = origins;
        this.maxLeavesPerRound = maxLeavesPerRound;
    }

    @Override
    public IntegrationRound integratePending() {
        long integrated = 0;
        Map<TenantId, String> refused = new HashMap<>();
        Map<TenantId, String> failed = new HashMap<>();
        for (TenantId tenant : transactions.inTransaction(() -> queue.tenantsWithPendingEvents(1_000))) {
            try {
                integrated += transactions.inTransaction(() -> integrate(tenant));
            } catch (LogIntegrityViolation e) {
                refused.put(tenant, e.getMessage());
            } catch (StoreUnavailable e) {
                throw e; // the database is gone for every tenant: the trigger pauses the loop
            } catch (RuntimeException e) {
                // Any other failure stays with its tenant: the tenants after it are still integrated.
                failed.put(tenant, e.getClass().getSimpleName() + ": " + e.getMessage());
            }
        }
        return new IntegrationRound(integrated, refused, failed);
    }

    private long integrate(TenantId tenant) {
        if (!queue.tryLockSequencer(tenant)) {
            return 0;
        }
        long size = loadLog.treeSize(tenant);
        Optional<PublishedCheckpoint> latest = loadLog.latestCheckpoint(tenant);
        long published = latest.map(PublishedCheckpoint::treeSize).orElse(0L);
        if (published != size) {
            throw new LogIntegrityViolation("log of tenant " + tenant + " holds " + size
                    + " leaves but its latest checkpoint covers " + published + "; refusing to extend it");
        }
        List<PendingLeaf> pending = queue.pendingLeaves(tenant, maxLeavesPerRound);
        if (pending.isEmpty()) {
            return 0;
        }
        StoredTree tree = new StoredTree(loadLog, tenant);
        MerkleFrontier frontier = tree.compute(source -> MerkleFrontier.of(size, source));
        List<CompletedSubtree> completed = new ArrayList<>();
        for (PendingLeaf leaf : pending) {
            MerkleFrontier.Append step = frontier.append(leaf.leafHash());
            frontier = step.frontier();
            completed.addAll(step.completed());
        }
        appendLog.appendLeaves(tenant, size, pending, completed);
        long newSize = frontier.size();
        Hash newRoot = frontier.root();
        if (latest.isPresent()) {
            // Never publish a tree that does not extend the previous one.
            ConsistencyProof proof = tree.compute(source -> ConsistencyProof.compute(published, newSize, source));
            if (!proof.verify(latest.get().checkpoint().rootHash(), newRoot)) {
                throw new LogIntegrityViolation("new tree of size " + newSize + " for tenant " + tenant
                        + " is not consistent with the checkpoint at size " + published);
            }
        }
        Checkpoint checkpoint = Checkpoint.of(origins.originOf(tenant), newSize, newRoot);
        SignedNote note = signer.sign(checkpoint);
        appendLog.appendCheckpoint(new PublishedCheckpoint(tenant, checkpoint, note.serialize(), clock.instant()));
        return pending.size();
    }
}
