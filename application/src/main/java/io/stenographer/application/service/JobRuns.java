package io.stenographer.application.service;

import io.stenographer.application.port.in.JobOutcome;
import io.stenographer.application.port.in.JobRun;
import io.stenographer.application.port.in.RunJobCommand;
import io.stenographer.application.port.out.LockJobPort;
import io.stenographer.application.port.out.RecordJobRunsPort;
import io.stenographer.application.port.out.TransactionRunner;
import io.stenographer.domain.access.Role;
import io.stenographer.domain.event.TenantId;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * What every job run shares: the access check of a manual run, the cluster-wide lock, the run row written at
 * start and completed at the end, and turning a failure into a FAILED run with its message instead of an
 * exception that loses it. Produced once in the composition root and shared by the job services.
 */
public final class JobRuns {

    interface Work {
        /** Does the job; {@code progress} collects what it did as it happens, so a failure keeps it. */
        void run(JobRun run, List<TenantId> tenants, Progress progress);
    }

    /** What a run has done so far: tenants as they finish, then the total. */
    static final class Progress {
        private Map<TenantId, JobOutcome.TenantOutcome> tenants;
        private Long eventsTotal;

        /** The run has reached its tenants (a run over none still says so). */
        void tenantsStarted() {
            if (tenants == null) {
                tenants = new LinkedHashMap<>();
            }
        }

        void tenant(TenantId tenant, JobOutcome.TenantOutcome outcome) {
            tenantsStarted();
            tenants.put(tenant, outcome);
        }

        void eventsTotal(long events) {
            eventsTotal = events;
        }

        JobOutcome outcome() {
            return new JobOutcome(tenants, eventsTotal, null);
        }
    }

    /** Some tenants failed; the others completed. */
    static final class PartialFailure extends RuntimeException {
        PartialFailure(String message) {
            super(message);
        }
    }

    private final RecordJobRunsPort runs;
    private final LockJobPort locks;
    private final TransactionRunner transactions;
    private final Clock clock;
    private final RandomGenerator random;

    public JobRuns(RecordJobRunsPort runs, LockJobPort locks, TransactionRunner transactions, Clock clock,
            RandomGenerator random) {
        this.runs = runs;
        this.locks = locks;
        this.transactions = transactions;
        this.clock = clock;
        this.random = random;
    }

    JobRun run(JobRun.Job job, RunJobCommand request, Supplier<List<TenantId>> allTenants, Work work) {
        if (request.trigger() == JobRun.Trigger.MANUAL) {
            request.tenants().forEach(tenant -> request.caller().require(Role.COMPLIANCE_ADMIN, tenant));
        }
        String lockName = job.name().toLowerCase(Locale.ROOT);
        UUID id = new UUID(random.nextLong(), random.nextLong());
        Optional<LockJobPort.JobLock> lock = locks.tryLock(lockName);
        if (lock.isEmpty()) {
            JobRun skipped = new JobRun(id, job, request.trigger(), request.requestedBy(), request.tenants(),
                    request.dryRun(), JobRun.Status.RUNNING, clock.instant(), null, JobOutcome.NONE, null);
            JobRun ended = skipped.end(JobRun.Status.SKIPPED, clock.instant(), JobOutcome.NONE,
                    "another instance is running the " + lockName + " job");
            transactions.inTransaction(() -> {
                runs.started(skipped);
                runs.finished(ended);
                return null;
            });
            return ended;
        }
        try (LockJobPort.JobLock held = lock.get()) {
            List<TenantId> tenants = request.tenants().isEmpty() ? allTenants.get() : request.tenants();
            JobRun started = new JobRun(id, job, request.trigger(), request.requestedBy(), tenants, request.dryRun(),
                    JobRun.Status.RUNNING, clock.instant(), null, JobOutcome.NONE, null);
            transactions.inTransaction(() -> {
                runs.started(started);
                return null;
            });
            Progress progress = new Progress();
            JobRun.Status status = JobRun.Status.SUCCEEDED;
            JobOutcome outcome;
            String error = null;
            try {
                work.run(started, tenants, progress);
                outcome = progress.outcome();
            } catch (RuntimeException e) {
                status = JobRun.Status.FAILED;
                error = JobFailures.describe(started, "the run", e);
                outcome = progress.outcome().failedWith(e.getClass().getSimpleName());
            }
            JobRun ended = started.end(status, clock.instant(), outcome, error);
            transactions.inTransaction(() -> {
                runs.finished(ended);
                return null;
            });
            return ended;
        }
    }
}
