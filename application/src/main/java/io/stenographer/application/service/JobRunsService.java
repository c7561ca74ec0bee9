package io.stenographer.application.service;

import io.stenographer.application.port.in.JobOutcome;
import io.stenographer.application.port.in.JobRun;
import io.stenographer.application.port.in.JobRunQuery;
import io.stenographer.application.port.in.JobRunsQuery;
import io.stenographer.application.port.in.JobRunsUseCase;
import io.stenographer.application.port.out.RecordJobRunsPort;
import io.stenographer.application.port.out.TransactionRunner;
import io.stenographer.domain.access.Caller;
import io.stenographer.domain.access.Role;
import io.stenographer.domain.access.TenantAccessDenied;
import io.stenographer.domain.event.TenantId;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Job runs as a caller may see them: only runs that touched one of its tenants, and of those only its own
 * tenants' names and counts. A scheduled run covers every tenant; no tenant learns about the others.
 */
public final class JobRunsService implements JobRunsUseCase {


    private final RecordJobRunsPort runs;
    private final TransactionRunner transactions;

    public JobRunsService(RecordJobRunsPort runs, TransactionRunner transactions) {
        this.runs = runs;
        this.transactions = transactions;
    }

    @Override
    public List<JobRun> recent(JobRunsQuery query) {
        Caller caller = query.caller();
        int limit = query.limit();
        requireOperationalRole(caller);
        int capped = Math.max(1, Math.min(limit, 100));
        // Filtered to the caller's tenants by the store: another tenant's many runs must not push these out.
        List<TenantId> readable = caller.tenants().stream().filter(caller::mayReadGovernance).toList();
        return transactions.inTransaction(() -> runs.recent(readable, capped)).stream()
                .map(run -> visibleTo(caller, run))
                .flatMap(Optional::stream)
                .limit(capped)
                .toList();
    }

    @Override
    public Optional<JobRun> find(JobRunQuery query) {
        Caller caller = query.caller();
        UUID id = query.id();
        requireOperationalRole(caller);
        return transactions.inTransaction(() -> runs.find(id)).flatMap(run -> visibleTo(caller, run));
    }

    /** Job runs are governance records: the caller must be allowed to read them for at least one tenant. */
    private static void requireOperationalRole(Caller caller) {
        if (caller.tenants().stream().noneMatch(caller::mayReadGovernance)) {
            throw new TenantAccessDenied(caller.subject(), Role.AUDITOR, null);
        }
    }

    private static Optional<JobRun> visibleTo(Caller caller, JobRun run) {
        List<TenantId> visible = run.tenants().stream().filter(caller::mayReadGovernance).toList();
        if (visible.isEmpty()) {
            return Optional.empty();
        }
        boolean whole = visible.size() == run.tenants().size();
        JobOutcome outcome = whole ? run.outcome() : run.outcome().onlyFor(visible);
        String error = whole ? run.error()
                : run.error() == null ? null : "failed; see the per-tenant details";
        return Optional.of(new JobRun(run.id(), run.job(), run.trigger(), run.requestedBy(), visible, run.dryRun(),
                run.status(), run.startedAt(), run.finishedAt(), outcome, error));
    }
}
