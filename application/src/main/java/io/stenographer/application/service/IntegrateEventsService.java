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
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One sequencer per tenant. Each tenant is integrated in its own transaction under the tenant's
 * sequencer lock, so indices are assigned by exactly one writer: 0, 1, 2, ... with no gaps. Events
 * whose transactions commit late are simply still queued and are taken by the next round.
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
     * The last tenant served by a round that ran out of time: the next round starts after it, so the tenants at the
     * end of the list are not starved by those at its start. Only the sequencer thread writes it.
     */
    private volatile TenantId resumeAfter;
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
    }

    @Override
    public IntegrationRound integratePending() {
        Instant deadline = clock.instant().plus(limits.roundBudget());
        long integrated = 0;
        Map<TenantId, String> refused = new HashMap<>();
        Map<TenantId, String> failed = new HashMap<>();
        List<TenantId> due = transactions.inTransaction(this::tenantsDue);
        boolean backlog = due.size() >= MAX_TENANTS_PER_ROUND;
        TenantId lastServed = null;
        for (TenantId tenant : due) {
            if (lastServed != null && !clock.instant().isBefore(deadline)) {
                backlog = true;
                break;
            }
            lastServed = tenant;
            try {
                long taken = transactions.inTransaction(() -> integrate(tenant));
                integrated += taken;
                backlog |= taken >= limits.maxLeavesPerRound();
            } catch (LogIntegrityViolation e) {
                refused.put(tenant, e.getMessage());
            } catch (StoreUnavailable e) {
                throw e; // the database is gone for every tenant: the trigger pauses the loop
            } catch (RuntimeException e) {
                // Any other failure stays with its tenant: the tenants after it are still integrated.
                failed.put(tenant, e.getClass().getSimpleName() + ": " + e.getMessage());
            }
        }
        resumeAfter = lastServed != null && !lastServed.equals(due.get(due.size() - 1)) ? lastServed : null;
        return new IntegrationRound(integrated, refused, failed, backlog);
    }

    /** The tenants to serve, starting after the one a round cut short served last. */
    private List<TenantId> tenantsDue() {
        Set<TenantId> due = new LinkedHashSet<>(queue.tenantsWithPendingEvents(MAX_TENANTS_PER_ROUND));
        if (!signer.retiredKeys().isEmpty()) {
            due.addAll(keyHistory.tenantsSignedBy(signer.retiredKeys(), MAX_TENANTS_PER_ROUND));
        }
        TenantId after = resumeAfter;
        if (after == null) {
            return List.copyOf(due);
        }
        List<TenantId> ordered = new ArrayList<>();
        due.stream().filter(t -> t.value().compareTo(after.value()) > 0).forEach(ordered::add);
        due.stream().filter(t -> t.value().compareTo(after.value()) <= 0).forEach(ordered::add);
        return ordered;
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
