package io.stenographer.application.port.in;

import io.stenographer.domain.access.Caller;
import io.stenographer.domain.access.TenantAccessDenied;
import io.stenographer.domain.access.TokenRequired;
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

    /**
     * The newest signed checkpoint. A request without a token ({@code caller} empty) gets it only when the tenant
     * made its checkpoint public, else {@link TokenRequired}; a caller with no role on the tenant likewise, else
     * {@link TenantAccessDenied}. Neither answer depends on whether the tenant exists.
     */
    Optional<PublishedCheckpoint> latestCheckpoint(Optional<Caller> caller, TenantId tenant);

    /** Verifier key in C2SP signed-note format; public (it is the instance's, and names no tenant). */
    String verifierKey();

    /**
     * Every key the tenant's log was signed with and the tree sizes each was valid for ({@code KeySet} text); read
     * like {@link #latestCheckpoint}, since the sizes tell how the log grew.
     */
    String keySet(Optional<Caller> caller, TenantId tenant);

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
