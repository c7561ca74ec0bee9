package io.stenographer.application.port.in;

import io.stenographer.domain.log.VerificationReport;
import java.util.List;
import java.util.Optional;

/**
 * Verification: recompute the leaves from the events and the tree from the leaves, all of them (full) or those
 * above the last sound run's checkpoint (incremental).
 */
public interface VerifyLogUseCase {

    VerificationReport verify(VerifyLogCommand command);

    /** Scheduled run over every tenant's log, as the system itself: full, or incremental where it can be. */
    List<VerificationReport> verifyAll(boolean full);

    List<VerificationReport> recentRuns(VerificationRunsQuery query);

    Optional<VerificationReport> run(VerificationRunQuery query);
}
