package io.stenographer.application.service;

import io.stenographer.application.port.in.ConsistencyProofQuery;
import io.stenographer.application.port.in.EventInclusionQuery;
import io.stenographer.application.port.in.EventNotFound;
import io.stenographer.application.port.in.InclusionProofQuery;
import io.stenographer.application.port.in.LogProofsUseCase;
import io.stenographer.application.port.out.LoadLogPort;
import io.stenographer.application.port.out.LoadInclusionInputsPort;
import io.stenographer.application.port.out.LoadInclusionInputsPort.InclusionInputs;
import io.stenographer.application.port.out.LoadInclusionInputsPort.LeafInTile;
import io.stenographer.application.port.out.SignCheckpointPort;
import io.stenographer.application.port.out.StoreLogVisibilityPort;
import io.stenographer.application.port.out.TransactionRunner;
import io.stenographer.domain.access.Caller;
import io.stenographer.domain.access.Role;
import io.stenographer.domain.access.TenantAccessDenied;
import io.stenographer.domain.access.TokenRequired;
import io.stenographer.domain.event.EventId;
import io.stenographer.domain.event.FieldViolation;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.log.LogLeaf;
import io.stenographer.domain.log.PublishedCheckpoint;
import io.stenographer.domain.merkle.ConsistencyProof;
import io.stenographer.domain.merkle.InclusionProof;
import java.util.Optional;

/**
 * Proofs are only given against published checkpoints: a proof against a size nobody signed proves
 * nothing to an outsider.
 */
public final class LogProofsService implements LogProofsUseCase {

    private final LoadLogPort log;
    private final LoadInclusionInputsPort inclusionInputs;
    private final SignCheckpointPort signer;
    private final TenantKeySets keySets;
    private final LogCache cache;
    private final StoreLogVisibilityPort visibility;
    private final TransactionRunner transactions;

    public LogProofsService(LoadLogPort log, LoadInclusionInputsPort inclusionInputs, SignCheckpointPort signer,
            TenantKeySets keySets, StoreLogVisibilityPort visibility, LogCache cache, TransactionRunner transactions) {
        this.inclusionInputs = inclusionInputs;
        this.cache = cache;
        this.log = log;
        this.signer = signer;
        this.keySets = keySets;
        this.visibility = visibility;
        this.transactions = transactions;
    }

    @Override
    public Optional<PublishedCheckpoint> latestCheckpoint(Optional<Caller> caller, TenantId tenant) {
        return transactions.inTransaction(() -> {
            requireCheckpointReader(caller, tenant, "this log's checkpoint");
            return log.latestCheckpoint(tenant);
        });
    }

    /** Its own callers may always read it; anyone else only what the tenant made public. */
    private void requireCheckpointReader(Optional<Caller> caller, TenantId tenant, String what) {
        if (caller.isPresent() && caller.get().mayReadCheckpoint(tenant)) {
            return;
        }
        if (visibility.visibility(tenant).publicCheckpoint()) {
            return;
        }
        if (caller.isEmpty()) {
            throw new TokenRequired(what);
        }
        throw new TenantAccessDenied(caller.get().subject(), Role.AUDITOR, tenant);
    }

    @Override
    public String verifierKey() {
        return signer.verifier().toVerifierKey();
    }

    @Override
    public String keySet(Optional<Caller> caller, TenantId tenant) {
        return transactions.inTransaction(() -> {
            requireCheckpointReader(caller, tenant, "this log's key set");
            return keySets.of(tenant);
        }).toText();
    }

    @Override
    public InclusionAnswer proveInclusion(InclusionProofQuery query) {
        Caller caller = query.caller();
        TenantId tenant = query.tenant();
        LeafSelector selector = query.leaf();
        Long treeSize = query.treeSize();
        caller.requireProofReader(tenant);
        if (!caller.mayRead(tenant) && selector.eventId() == null) {
            // A writer checks its own receipts by the event id it holds. By index or leaf hash it could list the
            // ids (and, UUIDv7, the arrival times) of every other application's events in the tenant.
            throw new TenantAccessDenied(caller.subject(), Role.AUDITOR, tenant);
        }
        Long byEvent = null;
        if (selector.eventId() != null) {
            // Another tenant's event is answered exactly as an unknown one: ids reveal nothing across tenants.
            byEvent = transactions.inTransaction(() -> log.leafOfEvent(selector.eventId()))
                    .filter(found -> found.tenant().equals(tenant)).map(LogLeaf::index)
                    .orElseThrow(() -> new FieldViolation("eventId",
                            "no leaf of this event in this log (yet: integration takes a moment)"));
        }
        if (selector.index() == null && byEvent == null) {
            return transactions.inTransaction(() -> {
                PublishedCheckpoint checkpoint = checkpoint(tenant, treeSize, "size");
                LogLeaf leaf = log.leafWithHash(tenant, selector.leafHash())
                        .orElseThrow(() -> new FieldViolation("leafHash", "no leaf with this hash in this log"));
                return inclusion(leaf, checkpoint, new StoredTree(log, tenant, checkpoint.treeSize(), cache));
            });
        }
        // By index, and by event once its index is known: the leaf, its tile and the checkpoint in one read.
        long index = byEvent != null ? byEvent : selector.index();
        if (treeSize != null && treeSize < 1) {
            throw new FieldViolation("size", "must be at least 1");
        }
        InclusionInputs inputs = inclusionInputs.inclusionInputs(tenant, treeSize, index)
                .orElseThrow(() -> new FieldViolation("size", treeSize == null ? "this log has no checkpoint yet"
                        : "no checkpoint was published at tree size " + treeSize));
        PublishedCheckpoint checkpoint = inputs.checkpoint();
        LeafInTile found = inputs.leaf().orElseThrow(() -> index >= checkpoint.treeSize()
                ? new FieldViolation("size", "leaf " + index + " is not in the tree of size " + checkpoint.treeSize())
                : new FieldViolation("index", "no leaf " + index + " in this log"));
        StoredTree tree = new StoredTree(log, tenant, checkpoint.treeSize(), cache);
        tree.knowTile(found.tile(), found.tileHashes());
        // Reads only when an upper tile is not cached yet; otherwise the transaction never touches the database.
        return transactions.inTransaction(() -> inclusion(found.leaf(), checkpoint, tree));
    }

    @Override
    public ConsistencyAnswer proveConsistency(ConsistencyProofQuery query) {
        Caller caller = query.caller();
        TenantId tenant = query.tenant();
        long fromSize = query.fromSize();
        Long toSize = query.toSize();
        caller.requireProofReader(tenant);
        return transactions.inTransaction(() -> {
            PublishedCheckpoint to = checkpoint(tenant, toSize, "to");
            PublishedCheckpoint from = checkpoint(tenant, fromSize, "from");
            if (from.treeSize() > to.treeSize()) {
                throw new FieldViolation("from", "must not exceed 'to'");
            }
            ConsistencyProof proof = new StoredTree(log, tenant, to.treeSize(), cache)
                    .compute(source -> ConsistencyProof.compute(from.treeSize(), to.treeSize(), source));
            return new ConsistencyAnswer(proof, from, to);
        });
    }

    @Override
    public Optional<InclusionAnswer> proveEvent(EventInclusionQuery query) {
        Caller caller = query.caller();
        EventId eventId = query.id();
        return transactions.inTransaction(() -> {
            Optional<LogLeaf> leaf = log.leafOfEvent(eventId);
            if (leaf.isEmpty()) {
                return Optional.empty();
            }
            if (!caller.mayRead(leaf.get().tenant())) {
                throw new EventNotFound(eventId);
            }
            Optional<PublishedCheckpoint> latest = log.latestCheckpoint(leaf.get().tenant());
            if (latest.isEmpty() || latest.get().treeSize() <= leaf.get().index()) {
                return Optional.empty();
            }
            return Optional.of(inclusion(leaf.get(), latest.get(),
                    new StoredTree(log, leaf.get().tenant(), latest.get().treeSize(), cache)));
        });
    }

    private InclusionAnswer inclusion(LogLeaf leaf, PublishedCheckpoint checkpoint, StoredTree tree) {
        if (leaf.index() >= checkpoint.treeSize()) {
            throw new FieldViolation("size", "leaf " + leaf.index() + " is not in the tree of size "
                    + checkpoint.treeSize());
        }
        InclusionProof proof = tree.compute(source -> InclusionProof.compute(leaf.index(), checkpoint.treeSize(), source));
        return new InclusionAnswer(leaf, proof, checkpoint);
    }

    private PublishedCheckpoint checkpoint(TenantId tenant, Long size, String field) {
        if (size == null) {
            return log.latestCheckpoint(tenant)
                    .orElseThrow(() -> new FieldViolation(field, "this log has no checkpoint yet"));
        }
        if (size < 1) {
            throw new FieldViolation(field, "must be at least 1");
        }
        Optional<PublishedCheckpoint> cached = cache.checkpoint(tenant, size);
        if (cached.isPresent()) {
            return cached.get();
        }
        PublishedCheckpoint stored = log.checkpointAt(tenant, size)
                .orElseThrow(() -> new FieldViolation(field, "no checkpoint was published at tree size " + size));
        cache.put(stored);
        return stored;
    }
}
