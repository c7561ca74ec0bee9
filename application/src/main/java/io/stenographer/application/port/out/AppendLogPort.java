package io.stenographer.application.port.out;

import io.stenographer.application.port.out.LoadPendingEventsPort.PendingLeaf;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.log.PublishedCheckpoint;
import io.stenographer.domain.merkle.MerkleFrontier.CompletedSubtree;
import java.util.List;
import java.util.Objects;

/** Grows tenants' Merkle logs. Append-only, like the events themselves. */
public interface AppendLogPort {

    /**
     * Stores each extension's leaves at indices {@code firstIndex, firstIndex + 1, ...}, the perfect subtrees they
     * complete and the checkpoint that signs the grown tree, and removes the leaves from the integration queue.
     * Several tenants' extensions are written together, so that a round over many tenants costs a few statements.
     */
    void extendLogs(List<LogExtension> extensions);

    /** One tenant's growth in one round. */
    record LogExtension(long firstIndex, List<PendingLeaf> leaves, List<CompletedSubtree> subtrees,
            PublishedCheckpoint checkpoint) {

        public LogExtension {
            leaves = List.copyOf(leaves);
            subtrees = List.copyOf(subtrees);
            Objects.requireNonNull(checkpoint, "checkpoint");
            if (leaves.isEmpty() || checkpoint.treeSize() != firstIndex + leaves.size()) {
                throw new IllegalArgumentException("a checkpoint of size " + checkpoint.treeSize() + " does not sign "
                        + leaves.size() + " leaves appended at " + firstIndex);
            }
        }

        public TenantId tenant() {
            return checkpoint.tenant();
        }
    }
}
