package io.stenographer.application.service;

import io.stenographer.application.port.out.StoreUnavailable;
import io.stenographer.application.port.in.IntegrateEventsUseCase;
import io.stenographer.application.port.out.AppendLogPort;
import io.stenographer.application.port.out.LoadLogPort;
import io.stenographer.application.port.out.LoadPendingEventsPort;
import io.stenographer.application.port.out.LoadPendingEventsPort.PendingLeaf;
import io.stenographer.application.port.out.SignCheckpointPort;
import io.stenographer.application.port.out.TrackSigningKeysPort;
import io.stenographer.application.port.out.TransactionRunner;
import io.stenographer.application.port.in.RunJobCommand;
import io.stenographer.domain.checkpoint.Checkpoint;
import io.stenographer.domain.checkpoint.KeySet;
import io.stenographer.domain.checkpoint.NoteVerifier;
import io.stenographer.domain.checkpoint.SignedNote;
import io.stenographer.domain.event.ResourceRef;
import io.stenographer.domain.event.SealedEvent;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.json.JsonObject;
import io.stenographer.domain.json.JsonString;
import io.stenographer.domain.log.LogIntegrityViolation;
import io.stenographer.domain.log.LogOrigins;
import io.stenographer.domain.log.PublishedCheckpoint;
import io.stenographer.domain.merkle.Hash;
import io.stenographer.domain.merkle.MerkleFrontier;
import io.stenographer.domain.merkle.MerkleFrontier.CompletedSubtree;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * One sequencer per tenant. Each tenant is integrated in its own transaction under the tenant's
 * sequencer lock, so indices are assigned by exactly one writer: 0, 1, 2, ... with no gaps. Events
 * whose transactions commit late are simply still queued and are taken by the next round. Several tenants may be
 * integrated at once ({@link SequencerLimits#workers()}); the lock, not the thread, keeps each log single-writer.
 *
 * <p>Key rotation happens here too. When a tenant's log was last signed by a key other than the configured one,
 * the next round announces the rotation with a {@value #KEY_ROTATED} event, integrates it, and publishes that
 * checkpoint cosigned by the retired and the current key; only then is the new key's era recorded. A key that
 * is neither current nor configured as retired is never signed over: the tenant's rounds fail until it is.
 */
public final class IntegrateEventsService implements IntegrateEventsUseCase {

    public static final String KEY_ROTATED = "log.key-rotated";
    private static final int MAX_TENANTS_PER_ROUND = 1_000;

    private final LoadPendingEventsPort queue;
    private final LoadLogPort loadLog;
    private final AppendLogPort appendLog;
    private final SignCheckpointPort signer;
    private final TrackSigningKeysPort keyHistory;
    private final SelfAudit selfAudit;
    private final TransactionRunner transactions;
    private final Clock clock;
    private final LogOrigins origins;
    private final SequencerLimits limits;
    /**
     * The last tenant started by a round that could not reach every tenant (out of time, or more tenants waiting than
     * one round takes): the next round starts after it, so no tenant waits for its alphabetical position. Only the
     * thread that runs the rounds writes it.
     */
    private volatile TenantId resumeAfter;
    /** Threads that integrate several tenants at once; null for one at a time, on the caller's thread. */
    private final ExecutorService workers;
    /**
     * Each tenant's right edge of the tree as this instance last built it. It is used only when it has the size the
     * database reports under the sequencer lock and the root of the latest signed checkpoint, so a round rolled back
     * here or written by another instance simply makes it be rebuilt from the stored subtrees.
     */
    private final Map<TenantId, MerkleFrontier> frontiers = new ConcurrentHashMap<>();

    public IntegrateEventsService(LoadPendingEventsPort queue, LoadLogPort loadLog, AppendLogPort appendLog,
            SignCheckpointPort signer, TrackSigningKeysPort keyHistory, SelfAudit selfAudit,
            TransactionRunner transactions, Clock clock, LogOrigins origins, SequencerLimits limits) {
        this.queue = queue;
        this.loadLog = loadLog;
        this.appendLog = appendLog;
        this.signer = signer;
        this.keyHistory = keyHistory;
        this.selfAudit = selfAudit;
        this.transactions = transactions;
        this.clock = clock;
        this.origins = origins;
        this.limits = limits;
        this.workers = limits.workers() == 1 ? null : workerPool(limits.workers());
    }

    /** Daemon threads that end after a minute idle, so an instance that was replaced leaves none behind. */
    private static ExecutorService workerPool(int size) {
        AtomicInteger created = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(size, size, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                runnable -> {
                    Thread thread = new Thread(runnable, "stenographer-sequencer-" + created.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    @Override
    public IntegrationRound integratePending() {
        Instant deadline = clock.instant().plus(limits.roundBudget());
        List<TenantId> due = transactions.inTransaction(this::tenantsDue);
        RoundTally tally = new RoundTally(due, deadline);
        if (workers == null || due.size() < 2) {
            tally.serveUntilDone();
        } else {
            CompletableFuture<?>[] running = new CompletableFuture<?>[Math.min(limits.workers(), due.size())];
            for (int i = 0; i < running.length; i++) {
                running[i] = CompletableFuture.runAsync(tally::serveUntilDone, workers);
            }
            // Every worker has finished before the round returns, even when one failed: rounds never overlap.
            CompletableFuture.allOf(running).join();
        }
        if (tally.lost != null) {
            throw tally.lost; // the database is gone for every tenant: the trigger pauses the loop
        }
        int started = Math.min(tally.next.get(), due.size());
        boolean backlog = tally.backlog || started < due.size() || due.size() >= MAX_TENANTS_PER_ROUND;
        // The next round starts after the last tenant started when this one could not reach them all.
        resumeAfter = started > 0 && (started < due.size() || due.size() >= MAX_TENANTS_PER_ROUND)
                ? due.get(started - 1) : null;
        return new IntegrationRound(tally.integrated.sum(), Map.copyOf(tally.refused), Map.copyOf(tally.failed),
                backlog);
    }

    /** The tenants of one round, taken in order by the workers, and what became of each. */
    private final class RoundTally {
        private final List<TenantId> due;
        private final Instant deadline;
        private final AtomicInteger next = new AtomicInteger();
        private final LongAdder integrated = new LongAdder();
        private final Map<TenantId, String> refused = new ConcurrentHashMap<>();
        private final Map<TenantId, String> failed = new ConcurrentHashMap<>();
        private volatile boolean backlog;
        private volatile StoreUnavailable lost;

        RoundTally(List<TenantId> due, Instant deadline) {
            this.due = due;
            this.deadline = deadline;
        }

        /** Takes the next tenant until none is left, time is up (the first is always served) or the store is lost. */
        void serveUntilDone() {
            while (lost == null) {
                if (next.get() > 0 && !clock.instant().isBefore(deadline)) {
                    return;
                }
                int position = next.getAndIncrement();
                if (position >= due.size()) {
                    return;
                }
                TenantId tenant = due.get(position);
                try {
                    long taken = transactions.inTransaction(() -> integrate(tenant));
                    integrated.add(taken);
                    if (taken >= limits.maxLeavesPerRound()) {
                        backlog = true;
                    }
                } catch (LogIntegrityViolation e) {
                    refused.put(tenant, e.getMessage());
                } catch (StoreUnavailable e) {
                    lost = e;
                } catch (RuntimeException e) {
                    // Any other failure stays with its tenant: the tenants after it are still integrated.
                    failed.put(tenant, e.getClass().getSimpleName() + ": " + e.getMessage());
                }
            }
        }
    }

    /** The tenants to serve, starting after the last one a round that could not reach them all started. */
    private List<TenantId> tenantsDue() {
        Optional<TenantId> after = Optional.ofNullable(resumeAfter);
        Set<TenantId> due = new LinkedHashSet<>(queue.tenantsWithPendingEvents(after, MAX_TENANTS_PER_ROUND));
        if (!signer.retiredKeys().isEmpty()) {
            due.addAll(keyHistory.tenantsSignedBy(signer.retiredKeys(), MAX_TENANTS_PER_ROUND));
        }
        return List.copyOf(due);
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
        NoteVerifier signedBy = keyOfTheLog(tenant, latest);
        boolean rotating = !signedBy.equals(signer.verifier());
        List<PendingLeaf> pending = new ArrayList<>(queue.pendingLeaves(tenant,
                rotating ? limits.maxLeavesPerRound() - 1 : limits.maxLeavesPerRound()));
        if (rotating) {
            // Read before the announcement is stored, so it is not taken twice; it goes into the handover checkpoint.
            pending.add(announceRotation(tenant, signedBy));
        }
        if (pending.isEmpty()) {
            return 0;
        }
        MerkleFrontier frontier = cachedFrontier(tenant, size, latest)
                .orElseGet(() -> new StoredTree(loadLog, tenant, size, LogCache.none())
                        .compute(source -> MerkleFrontier.of(size, source)));
        if (latest.isPresent() && !frontier.root().equals(latest.get().checkpoint().rootHash())) {
            // The right edge is the signed tree's, so the tree built on it extends the signed one: that is the
            // consistency check, with no proof to compute.
            throw new LogIntegrityViolation("the stored tree of tenant " + tenant + " at size " + size
                    + " does not have the root of its latest checkpoint; refusing to extend it");
        }
        List<CompletedSubtree> completed = new ArrayList<>();
        for (PendingLeaf leaf : pending) {
            MerkleFrontier.Append step = frontier.append(leaf.leafHash());
            frontier = step.frontier();
            completed.addAll(step.completed());
        }
        appendLog.appendLeaves(tenant, size, pending, completed);
        long newSize = frontier.size();
        Hash newRoot = frontier.root();
        Checkpoint checkpoint = Checkpoint.of(origins.originOf(tenant), newSize, newRoot);
        SignedNote note = rotating ? signer.cosign(checkpoint, signedBy) : signer.sign(checkpoint);
        appendLog.appendCheckpoint(new PublishedCheckpoint(tenant, checkpoint, note.serialize(), clock.instant()));
        if (rotating) {
            keyHistory.recordRotation(tenant, signedBy, signer.verifier(), newSize);
        }
        frontiers.put(tenant, frontier);
        return pending.size();
    }

    private Optional<MerkleFrontier> cachedFrontier(TenantId tenant, long size,
            Optional<PublishedCheckpoint> latest) {
        MerkleFrontier cached = frontiers.get(tenant);
        if (cached == null || cached.size() != size || latest.isEmpty()
                || !cached.root().equals(latest.get().checkpoint().rootHash())) {
            return Optional.empty();
        }
        return Optional.of(cached);
    }

    /**
     * The key whose era is open in the tenant's history. A log without a history (new, or older than it) gets
     * one here: it starts with whichever configured key signed its latest checkpoint, or the current key.
     */
    private NoteVerifier keyOfTheLog(TenantId tenant, Optional<PublishedCheckpoint> latest) {
        Optional<KeySet> history = keyHistory.keySet(tenant);
        NoteVerifier key;
        if (history.isPresent()) {
            key = history.get().current().key();
        } else {
            key = latest.map(checkpoint -> configuredKeyThatSigned(tenant, checkpoint)).orElse(signer.verifier());
            keyHistory.recordFirstKey(tenant, key);
        }
        if (!key.equals(signer.verifier()) && !signer.retiredKeys().contains(key)) {
            throw new IllegalStateException("the log of " + tenant + " is signed by " + key.toVerifierKey()
                    + ", which is neither the configured signing key nor a configured retired key; this instance"
                    + " will not sign it (see stenographer.log.retired-signing-key-files)");
        }
        return key;
    }

    private NoteVerifier configuredKeyThatSigned(TenantId tenant, PublishedCheckpoint checkpoint) {
        SignedNote note = SignedNote.parse(checkpoint.signedNote());
        List<NoteVerifier> configured = new ArrayList<>(signer.retiredKeys());
        configured.add(0, signer.verifier());
        return configured.stream().filter(key -> key.verify(note)).findFirst()
                .orElseThrow(() -> new IllegalStateException("the latest checkpoint of " + tenant
                        + " is signed by no configured key; configure the key that signed it as retired"));
    }

    private PendingLeaf announceRotation(TenantId tenant, NoteVerifier retired) {
        NoteVerifier current = signer.verifier();
        SealedEvent event = selfAudit.recordReturning(RunJobCommand.SCHEDULER, tenant, KEY_ROTATED,
                new ResourceRef("signing-key", current.name() + "+" + current.keyIdHex()),
                new JsonObject(Map.of(
                        "previousKey", new JsonString(retired.toVerifierKey()),
                        "newKey", new JsonString(current.toVerifierKey()),
                        "handover", new JsonString("the checkpoint that first includes this event is signed by both"))));
        return new PendingLeaf(event.event().id(), event.leafHash(), event.event().receivedAt());
    }
}
