package io.stenographer.application.service;

import io.stenographer.application.port.in.CheckpointHistoryQuery;
import io.stenographer.application.port.in.CheckpointHistoryUseCase;
import io.stenographer.application.port.out.BrowseCheckpointsPort;
import io.stenographer.application.port.out.TransactionRunner;
import io.stenographer.domain.log.PublishedCheckpoint;
import java.util.List;

/** Pages back through a tenant's signed checkpoints, for whoever may read its proofs. */
public final class CheckpointHistoryService implements CheckpointHistoryUseCase {

    private final BrowseCheckpointsPort checkpoints;
    private final TransactionRunner transactions;

    public CheckpointHistoryService(BrowseCheckpointsPort checkpoints, TransactionRunner transactions) {
        this.checkpoints = checkpoints;
        this.transactions = transactions;
    }

    @Override
    public CheckpointPage history(CheckpointHistoryQuery query) {
        // The same rule as LogProofsService's proofs: the history is what consistency proofs are asked between.
        query.caller().requireProofReader(query.tenant());
        long below = query.before() == null ? Long.MAX_VALUE : query.before();
        // One extra row tells whether an older page exists.
        List<PublishedCheckpoint> found = transactions.inTransaction(
                () -> checkpoints.newestBelow(query.tenant(), below, query.limit() + 1));
        if (found.size() <= query.limit()) {
            return new CheckpointPage(found, null);
        }
        List<PublishedCheckpoint> page = found.subList(0, query.limit());
        return new CheckpointPage(page, page.get(page.size() - 1).treeSize());
    }
}
