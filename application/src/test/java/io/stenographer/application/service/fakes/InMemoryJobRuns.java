package io.stenographer.application.service.fakes;

import io.stenographer.domain.event.TenantId;

import io.stenographer.application.port.in.JobRun;
import io.stenographer.application.port.out.RecordJobRunsPort;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Job run rows: written once at start, completed once at the end. Every call must run in a transaction. */
public final class InMemoryJobRuns implements RecordJobRunsPort {

    private final FakeTransactionRunner transactions;
    private final Map<UUID, JobRun> runs = new LinkedHashMap<>();

    public InMemoryJobRuns(FakeTransactionRunner transactions) {
        this.transactions = transactions;
    }

    /** Stores a finished run as if an earlier transaction had. */
    public void seed(JobRun run) {
        runs.put(run.id(), run);
    }

    @Override
    public void started(JobRun run) {
        requireTransaction();
        if (run.status() != JobRun.Status.RUNNING || runs.putIfAbsent(run.id(), run) != null) {
            throw new IllegalStateException("a run is started once, RUNNING");
        }
    }

    @Override
    public void finished(JobRun run) {
        requireTransaction();
        JobRun started = runs.get(run.id());
        if (started == null || started.status() != JobRun.Status.RUNNING || run.status() == JobRun.Status.RUNNING) {
            throw new IllegalStateException("a run is finished once, after it started");
        }
        runs.put(run.id(), run);
    }

    @Override
    public List<JobRun> recent(Collection<TenantId> tenants, int limit) {
        requireTransaction();
        List<JobRun> newestFirst = new ArrayList<>(runs.values());
        Collections.reverse(newestFirst);
        return newestFirst.stream().filter(run -> run.tenants().stream().anyMatch(tenants::contains)).limit(limit)
                .toList();
    }

    @Override
    public Optional<JobRun> find(UUID id) {
        requireTransaction();
        return Optional.ofNullable(runs.get(id));
    }

    public List<JobRun> all() {
        return List.copyOf(runs.values());
    }

    private void requireTransaction() {
        if (transactions.current() == 0) {
            throw new IllegalStateException("job runs written outside a transaction");
        }
    }
}
