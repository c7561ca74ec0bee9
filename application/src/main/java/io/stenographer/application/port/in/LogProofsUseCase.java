package io.stenographer.application.port.in;

import io.stenographer.domain.event.EventId;

import io.stenographer.domain.event.FieldViolation;
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

    /** Every key the tenant's log was signed with and the tree sizes each was valid for ({@code KeySet} text); public. */
    String keySet(TenantId tenant);

    InclusionAnswer proveInclusion(InclusionProofQuery query);

    ConsistencyAnswer proveConsistency(ConsistencyProofQuery query);

    /** Inclusion of one event in the latest checkpoint; empty while the event awaits integration. */
    Optional<InclusionAnswer> proveEvent(EventInclusionQuery query);

    /** Which leaf: by index, by leaf hash or by the id of its event. */
    record LeafSelector(Long index, Hash leafHash, EventId eventId) {

        public LeafSelector {
            int given = (index == null ? 0 : 1) + (leafHash == null ? 0 : 1) + (eventId == null ? 0 : 1);
            if (given != 1) {
                throw new FieldViolation("index", "give exactly one of index, leafHash or eventId");
            }
        }

        public static LeafSelector atIndex(long index) {
            return new LeafSelector(index, null, null);
        }
    }

    record InclusionAnswer(LogLeaf leaf, InclusionProof proof, PublishedCheckpoint checkpoint) {
    }

    record ConsistencyAnswer(ConsistencyProof proof, PublishedCheckpoint from, PublishedCheckpoint to) {
    }
}
