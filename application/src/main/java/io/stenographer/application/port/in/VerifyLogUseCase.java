package io.stenographer.application.port.in;

import io.stenographer.domain.log.VerificationReport;
import java.util.List;
import java.util.Optional;

/** Full verification: recompute every leaf from the events and the tree from the leaves. */
public interface VerifyLogUseCase {

    VerificationReport verify(VerifyLogCommand command);

    /** Scheduled run over every tenant's log, as the system itself. */
    List<VerificationReport> verifyAll();

    List<VerificationReport> recentRuns(VerificationRunsQuery query);

    Optional<VerificationReport> run(VerificationRunQuery query);
}
