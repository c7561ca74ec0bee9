package io.stenographer.application.port.out;

import io.stenographer.application.port.in.JobRun;
import io.stenographer.domain.event.TenantId;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Bookkeeping of archive and purge runs: one row per run, written at start and at end. */
public interface RecordJobRunsPort {

    void started(JobRun run);

    void finished(JobRun run);

    /** The newest runs that touched any of {@code tenants}, newest first. */
    List<JobRun> recent(Collection<TenantId> tenants, int limit);

    Optional<JobRun> find(UUID id);
}
