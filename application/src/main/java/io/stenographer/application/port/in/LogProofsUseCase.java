package io.stenographer.application.port.in;

import io.stenographer.domain.access.Caller;
import io.stenographer.domain.event.EventId;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.log.LogLeaf;
import io.stenographer.domain.log.PublishedCheckpoint;
import io.stenographer.domain.merkle.ConsistencyProof;
import io.stenographer.domain.merkle.Hash;
import io.stenographer.domain.merkle.InclusionProof;
import java.util.Optional;

/** Checkpoints and RFC 6962 proofs of a tenant's log. */
public interface LogProofsUseCase {

    /** The newest signed checkpoint; public, for transparency. */
    Optional<PublishedCheckpoint> latestCheckpoint(TenantId tenant);

    /** Verifier key in C2SP signed-note format; public. */
    String verifierKey();

    InclusionAnswer proveInclusion(Caller caller, TenantId tenant, LeafSelector leaf, Long treeSize);

    ConsistencyAnswer proveConsistency(Caller caller, TenantId tenant, long fromSize, Long toSize);

    /** Inclusion of one event in the latest checkpoint; empty while the event awaits integration. */
    Optional<InclusionAnswer> proveEvent(Caller caller, EventId eventId);

    /** Which leaf: by index or by leaf hash. */
    record LeafSelector(Long index, Hash leafHash) {

        public LeafSelector {
            if ((index == null) == (leafHash == null)) {
                throw new io.stenographer.domain.event.FieldViolation("index", "give exactly one of index or leafHash");
            }
        }
    }

    record InclusionAnswer(LogLeaf leaf, InclusionProof proof, PublishedCheckpoint checkpoint) {
    }

    record ConsistencyAnswer(ConsistencyProof proof, PublishedCheckpoint from, PublishedCheckpoint to) {
    }
}
