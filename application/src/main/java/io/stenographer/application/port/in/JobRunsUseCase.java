package io.stenographer.application.port.in;

import java.util.List;
import java.util.Optional;

/** Lists archive and purge runs; a caller sees runs that touched only tenants it may access. */
public interface JobRunsUseCase {

    List<JobRun> recent(JobRunsQuery query);

    Optional<JobRun> find(JobRunQuery query);
}
