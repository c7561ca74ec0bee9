package io.stenographer.application.service;

import io.stenographer.application.port.out.StoreUnavailable;
import io.stenographer.application.port.in.IntegrateEventsUseCase;
import io.stenographer.application.port.out.AppendLogPort;
import io.stenographer.application.port.out.AppendLogPort.LogExtension;
import io.stenographer.application.port.out.LoadLogPort;
import io.stenographer.application.port.out.LoadLogPort.LogHead;
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
import io.stenographer.domain.merkle.MerkleFrontier;
import io.stenographer.domain.merkle.MerkleFrontier.CompletedSubtree;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
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
 * One sequencer per tenant. Each tenant is integrated under the tenant's sequencer lock, so indices are assigned by
 * exactly one writer: 0, 1, 2, ... with no gaps. Events whose transactions commit late are simply still queued and
 * are taken by the next round. Tenants are integrated in groups, one transaction per group, with each statement
 * serving the whole group; several groups run at once ({@link SequencerLimits#workers()}). The lock, not the thread,
 * keeps each log single-writer, and a group that fails is retried tenant by tenant, so a failure stays with its
 * tenant.
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
    /** The tenants the last round could not integrate; only the thread that runs the rounds writes it. */
    private volatile Set<TenantId> failedLastRound = Set.of();
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
        RoundTally tally = new RoundTally(groupsOf(due), deadline);
        if (workers == null || tally.groups.size() < 2) {
            tally.serveUntilDone();
        } else {
            CompletableFuture<?>[] running = new CompletableFuture<?>[Math.min(limits.workers(), tally.groups.size())];
            for (int i = 0; i < running.length; i++) {
                running[i] = CompletableFuture.runAsync(tally::serveUntilDone, workers);
            }
            // Every worker has finished before the round returns, even when one failed: rounds never overlap.
            CompletableFuture.allOf(running).join();
        }
        Set<TenantId> failedNow = new HashSet<>(tally.refused.keySet());
        failedNow.addAll(tally.failed.keySet());
        failedLastRound = Set.copyOf(failedNow);
        if (tally.lost != null) {
            throw tally.lost; // the database is gone for every tenant: the trigger pauses the loop
        }
        int started = tally.tenantsStarted();
        boolean backlog = tally.backlog || started < due.size() || due.size() >= MAX_TENANTS_PER_ROUND;
        // The next round starts after the last tenant started when this one could not reach them all.
        resumeAfter = started > 0 && (started < due.size() || due.size() >= MAX_TENANTS_PER_ROUND)
                ? due.get(started - 1) : null;
        return new IntegrationRound(tally.integrated.sum(), Map.copyOf(tally.refused), Map.copyOf(tally.failed),
                backlog);
    }

    /**
     * Consecutive groups of the due tenants, each integrated in one transaction: a round over a thousand tenants
     * costs a few dozen commits instead of a thousand. Groups are small enough that every worker gets one. A tenant
     * that failed or was refused in the last round gets a group of its own, in its place, so it does not make its
     * neighbours' work be thrown away and done again in every round.
     */
    private List<List<TenantId>> groupsOf(List<TenantId> due) {
        int size = Math.max(1, Math.min(limits.tenantsPerTransaction(),
                (due.size() + limits.workers() - 1) / limits.workers()));
        Set<TenantId> alone = failedLastRound;
        List<List<TenantId>> groups = new ArrayList<>();
        List<TenantId> current = new ArrayList<>();
        for (TenantId tenant : due) {
            if (alone.contains(tenant)) {
                if (!current.isEmpty()) {
                    groups.add(current);
                    current = new ArrayList<>();
                }
                groups.add(List.of(tenant));
                continue;
            }
            current.add(tenant);
            if (current.size() == size) {
                groups.add(current);
                current = new ArrayList<>();
            }
        }
        if (!current.isEmpty()) {
            groups.add(current);
        }
        return groups;
    }

    /** The groups of one round, taken in order by the workers, and what became of each tenant. */
    private final class RoundTally {
        private final List<List<TenantId>> groups;
        private final Instant deadline;
        private final AtomicInteger next = new AtomicInteger();
        private final LongAdder integrated = new LongAdder();
        private final Map<TenantId, String> refused = new ConcurrentHashMap<>();
        private final Map<TenantId, String> failed = new ConcurrentHashMap<>();
        private volatile boolean backlog;
        private volatile StoreUnavailable lost;

        RoundTally(List<List<TenantId>> groups, Instant deadline) {
            this.groups = groups;
            this.deadline = deadline;
        }

        /** Takes the next group until none is left, time is up (the first is always served) or the store is lost. */
        void serveUntilDone() {
            while (lost == null) {
                if (next.get() > 0 && !clock.instant().isBefore(deadline)) {
                    return;
                }
                int position = next.getAndIncrement();
                if (position >= groups.size()) {
                    return;
                }
                serve(groups.get(position));
            }
        }

        /**
         * One transaction for the group. When it fails, nothing of it is kept and each of its tenants is tried again
         * in a transaction of its own, so a failure stays with its tenant and the others are still integrated.
         */
        private void serve(List<TenantId> group) {
            try {
                Integrated done = transactions.inTransaction(() -> integrate(group));
                // Only now are the grown trees committed, so only now are their right edges worth keeping.
                frontiers.putAll(done.frontiers());
                integrated.add(done.leaves());
                if (done.backlog()) {
                    backlog = true; // a plain write: |= on a volatile would lose another worker's true
                }
            } catch (StoreUnavailable e) {
                lost = e;
            } catch (RuntimeException e) {
                if (group.size() > 1) {
                    group.stream().takeWhile(tenant -> lost == null).forEach(tenant -> serve(List.of(tenant)));
                } else if (e instanceof LogIntegrityViolation) {
                    refused.put(group.get(0), e.getMessage());
                } else {
                    failed.put(group.get(0), e.getClass().getSimpleName() + ": " + e.getMessage());
                }
            }
        }

        int tenantsStarted() {
            return groups.subList(0, Math.min(next.get(), groups.size())).stream().mapToInt(List::size).sum();
        }
    }

    /** What one group's transaction did: leaves integrated, whether a tenant had more, the trees it grew. */
    private record Integrated(long leaves, boolean backlog, Map<TenantId, MerkleFrontier> frontiers) {
        static final Integrated NOTHING = new Integrated(0, false, Map.of());
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

    /**
     * Integrates the group's tenants that no one else is sequencing, reading and writing all of them together. Any
     * failure throws, so the transaction keeps nothing of any tenant of the group.
     */
    private Integrated integrate(List<TenantId> group) {
        Set<TenantId> locked = queue.tryLockSequencers(group);
        List<TenantId> tenants = group.stream().filter(locked::contains).toList();
        if (tenants.isEmpty()) {
            return Integrated.NOTHING;
        }
        Map<TenantId, LogHead> heads = loadLog.heads(tenants);
        Map<TenantId, KeySet> histories = keyHistory.keySets(tenants);
        int leavesEach = leavesPerTenant(tenants.size());
        Map<TenantId, List<PendingLeaf>> pending = queue.pendingLeaves(tenants, leavesEach);
        List<LogExtension> extensions = new ArrayList<>();
        List<Runnable> rotationsToRecord = new ArrayList<>();
        Map<TenantId, MerkleFrontier> grown = new HashMap<>();
        boolean backlog = false;
        for (TenantId tenant : tenants) {
            LogHead head = heads.get(tenant);
            long size = head.treeSize();
            Optional<PublishedCheckpoint> latest = head.latest();
            long published = latest.map(PublishedCheckpoint::treeSize).orElse(0L);
            if (published != size) {
                throw new LogIntegrityViolation("log of tenant " + tenant + " holds " + size
                        + " leaves but its latest checkpoint covers " + published + "; refusing to extend it");
            }
            NoteVerifier signedBy = keyOfTheLog(tenant, Optional.ofNullable(histories.get(tenant)), latest);
            boolean rotating = !signedBy.equals(signer.verifier());
            List<PendingLeaf> leaves = new ArrayList<>(pending.getOrDefault(tenant, List.of()));
            if (rotating) {
                if (leaves.size() >= leavesEach) {
                    leaves = new ArrayList<>(leaves.subList(0, leavesEach - 1)); // room for the announcement
                }
                // Read before the announcement is stored, so it is not taken twice; it goes into the handover
                // checkpoint.
                leaves.add(announceRotation(tenant, signedBy));
            }
            if (leaves.isEmpty()) {
                continue;
            }
            backlog |= leaves.size() >= leavesEach;
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
            for (PendingLeaf leaf : leaves) {
                MerkleFrontier.Append step = frontier.append(leaf.leafHash());
                frontier = step.frontier();
                completed.addAll(step.completed());
            }
            long newSize = frontier.size();
            Checkpoint checkpoint = Checkpoint.of(origins.originOf(tenant), newSize, frontier.root());
            SignedNote note = rotating ? signer.cosign(checkpoint, signedBy) : signer.sign(checkpoint);
            extensions.add(new LogExtension(size, leaves, completed,
                    new PublishedCheckpoint(tenant, checkpoint, note.serialize(), clock.instant())));
            if (rotating) {
                rotationsToRecord.add(() -> keyHistory.recordRotation(tenant, signedBy, signer.verifier(), newSize));
            }
            grown.put(tenant, frontier);
        }
        if (!extensions.isEmpty()) {
            appendLog.extendLogs(extensions);
        }
        rotationsToRecord.forEach(Runnable::run); // the handover checkpoint is stored first
        return new Integrated(extensions.stream().mapToLong(extension -> extension.leaves().size()).sum(), backlog,
                grown);
    }

    /**
     * All of a round's leaves for a tenant alone; a share of them, but at least a thousand, for each tenant of a
     * group, so a group's leaves stay bounded in memory and a busy tenant in a group still drains quickly.
     */
    private int leavesPerTenant(int tenants) {
        int max = limits.maxLeavesPerRound();
        return tenants == 1 ? max : Math.max(max / tenants, Math.min(1_000, max));
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
    private NoteVerifier keyOfTheLog(TenantId tenant, Optional<KeySet> history,
            Optional<PublishedCheckpoint> latest) {
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
