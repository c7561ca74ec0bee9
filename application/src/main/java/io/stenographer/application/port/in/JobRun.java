package io.stenographer.application.port.in;

import io.stenographer.domain.event.TenantId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * One run of the archive, purge or report-file purge job: who started it, over which tenants, what it did (counts and
 * index ranges in its {@code outcome}) and how it ended.
 */
public record JobRun(UUID id, Job job, Trigger trigger, String requestedBy, List<TenantId> tenants, boolean dryRun,
        Status status, Instant startedAt, Instant finishedAt, JobOutcome outcome, String error) {

    /** {@code REPORT_FILES}: the purge of report files whose retention ended (docs/REPORTS.md). */
    public enum Job { ARCHIVE, PURGE, REPORT_FILES }

    public enum Trigger { SCHEDULE, MANUAL }

    public enum Status { RUNNING, SUCCEEDED, FAILED, SKIPPED }

    public JobRun {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(trigger, "trigger");
        Objects.requireNonNull(requestedBy, "requestedBy");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(outcome, "outcome");
        tenants = List.copyOf(tenants);
    }

    public JobRun end(Status endStatus, Instant at, JobOutcome endOutcome, String endError) {
        return new JobRun(id, job, trigger, requestedBy, tenants, dryRun, endStatus, startedAt, at, endOutcome, endError);
    }

    public Duration duration() {
        return finishedAt == null ? null : Duration.between(startedAt, finishedAt);
    }
}
