package io.stenographer.application.service;

import io.stenographer.application.port.in.JobRequest;
import io.stenographer.application.port.in.JobRun;
import io.stenographer.application.port.out.JobLockPort;
import io.stenographer.application.port.out.JobRunsPort;
import io.stenographer.application.port.out.TransactionRunner;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.json.JsonObject;
import io.stenographer.domain.json.JsonString;
import io.stenographer.domain.json.JsonValue;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * What every job run shares: the cluster-wide lock, the run row written at start and completed at the
 * end, and turning a failure into a FAILED run with its message instead of an exception that loses it.
 */
final class JobRuns {

    interface Work {
        /** Does the job; {@code details} collects counts and ranges as they happen, also on failure. */
        void run(JobRun run, List<TenantId> tenants, Map<String, JsonValue> details);
    }

    /** Some tenants failed; the others completed. */
    static final class PartialFailure extends RuntimeException {
        PartialFailure(String message) {
            super(message);
        }
    }

    private final JobRun.Job job;
    private final JobRunsPort runs;
    private final JobLockPort locks;
    private final TransactionRunner transactions;
    private final Clock clock;
    private final RandomGenerator random;

    JobRuns(JobRun.Job job, JobRunsPort runs, JobLockPort locks, TransactionRunner transactions, Clock clock,
            RandomGenerator random) {
        this.job = job;
        this.runs = runs;
        this.locks = locks;
        this.transactions = transactions;
        this.clock = clock;
        this.random = random;
    }

    JobRun run(JobRequest request, Supplier<List<TenantId>> allTenants, Work work) {
        UUID id = new UUID(random.nextLong(), random.nextLong());
        Optional<JobLockPort.JobLock> lock = locks.tryLock(job.name().toLowerCase(java.util.Locale.ROOT));
        if (lock.isEmpty()) {
            JobRun skipped = new JobRun(id, job, request.trigger(), request.requestedBy(), request.tenants(),
                    request.dryRun(), JobRun.Status.RUNNING, clock.instant(), null, JsonObject.EMPTY, null);
            JobRun ended = skipped.end(JobRun.Status.SKIPPED, clock.instant(), JsonObject.EMPTY,
                    "another instance is running the " + job.name().toLowerCase(java.util.Locale.ROOT) + " job");
            transactions.inTransaction(() -> {
                runs.started(skipped);
                runs.finished(ended);
                return null;
            });
            return ended;
        }
        try (JobLockPort.JobLock held = lock.get()) {
            List<TenantId> tenants = request.tenants().isEmpty() ? allTenants.get() : request.tenants();
            JobRun started = new JobRun(id, job, request.trigger(), request.requestedBy(), tenants, request.dryRun(),
                    JobRun.Status.RUNNING, clock.instant(), null, JsonObject.EMPTY, null);
            transactions.inTransaction(() -> {
                runs.started(started);
                return null;
            });
            Map<String, JsonValue> details = new LinkedHashMap<>();
            JobRun.Status status = JobRun.Status.SUCCEEDED;
            String error = null;
            try {
                work.run(started, tenants, details);
            } catch (RuntimeException e) {
                status = JobRun.Status.FAILED;
                error = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                details.putIfAbsent("failedWith", new JsonString(e.getClass().getSimpleName()));
            }
            JobRun ended = started.end(status, clock.instant(), new JsonObject(details), error);
            transactions.inTransaction(() -> {
                runs.finished(ended);
                return null;
            });
            return ended;
        }
    }
}
