package io.stenographer.application.port.in;

import io.stenographer.domain.access.Caller;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.log.VerificationReport;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Full verification: recompute every leaf from the events and the tree from the leaves. */
public interface VerifyLogUseCase {

    VerificationReport verify(VerifyLogCommand command);

    /** Scheduled run over every tenant's log, as the system itself. */
    List<VerificationReport> verifyAll();

    List<VerificationReport> recentRuns(Caller caller, TenantId tenant, int limit);

    Optional<VerificationReport> run(Caller caller, TenantId tenant, UUID id);

    /**
     * @param trustedCheckpoints signed notes the caller kept from earlier (e.g. from a witness); the log
     *     must still be consistent with each of them
     */
    record VerifyLogCommand(Caller caller, TenantId tenant, List<String> trustedCheckpoints) {

        public VerifyLogCommand {
            trustedCheckpoints = List.copyOf(trustedCheckpoints);
        }
    }
}
