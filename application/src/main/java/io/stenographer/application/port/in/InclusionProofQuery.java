package io.stenographer.application.port.in;

import io.stenographer.application.port.in.LogProofsUseCase.LeafSelector;
import io.stenographer.domain.access.Caller;
import io.stenographer.domain.event.TenantId;
import java.util.Objects;

/** @param treeSize the tree the proof is for; null for the latest checkpoint */
public record InclusionProofQuery(Caller caller, TenantId tenant, LeafSelector leaf, Long treeSize) {

    public InclusionProofQuery {
        Objects.requireNonNull(caller, "caller");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(leaf, "leaf");
    }
}
