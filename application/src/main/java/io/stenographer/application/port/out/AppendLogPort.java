package io.stenographer.application.port.out;

import io.stenographer.application.port.out.LoadPendingEventsPort.PendingLeaf;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.log.PublishedCheckpoint;
import io.stenographer.domain.merkle.MerkleFrontier.CompletedSubtree;
import java.util.List;

/** Grows a tenant's Merkle log. Append-only, like the events themselves. */
public interface AppendLogPort {

    /**
     * Stores {@code leaves} at indices {@code firstIndex, firstIndex + 1, ...}, the perfect subtrees they
     * complete, and removes the leaves from the integration queue.
     */
    void appendLeaves(TenantId tenant, long firstIndex, List<PendingLeaf> leaves, List<CompletedSubtree> subtrees);

    void appendCheckpoint(PublishedCheckpoint checkpoint);
}
