package io.stenographer.application.port.in;

import io.stenographer.domain.log.PublishedCheckpoint;
import java.util.List;

/** The signed checkpoints a tenant's log has published, newest first, a page at a time. */
public interface CheckpointHistoryUseCase {

    CheckpointPage history(CheckpointHistoryQuery query);

    /** @param nextBefore the {@code before} of the next (older) page; null on the last page */
    record CheckpointPage(List<PublishedCheckpoint> checkpoints, Long nextBefore) {

        public CheckpointPage {
            checkpoints = List.copyOf(checkpoints);
        }
    }
}
