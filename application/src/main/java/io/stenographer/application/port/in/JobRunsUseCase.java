package io.stenographer.application.port.in;

import io.stenographer.domain.access.Caller;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Lists archive and purge runs; a caller sees runs that touched only tenants it may access. */
public interface JobRunsUseCase {

    List<JobRun> recent(Caller caller, int limit);

    Optional<JobRun> find(Caller caller, UUID id);
}
