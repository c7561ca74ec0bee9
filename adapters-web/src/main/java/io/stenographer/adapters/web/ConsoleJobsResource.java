package io.stenographer.adapters.web;

import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.Authenticated;
import io.stenographer.application.port.in.ArchiveTenantOutcome;
import io.stenographer.application.port.in.ConsoleViewCommand;
import io.stenographer.application.port.in.JobOutcome;
import io.stenographer.application.port.in.JobRun;
import io.stenographer.application.port.in.JobRunQuery;
import io.stenographer.application.port.in.JobRunsQuery;
import io.stenographer.application.port.in.JobRunsUseCase;
import io.stenographer.application.port.in.PurgeTenantOutcome;
import io.stenographer.application.port.in.RecordConsoleViewUseCase;
import io.stenographer.application.port.in.ReportFilesTenantOutcome;
import io.stenographer.application.port.in.RequestParameters;
import io.stenographer.application.port.in.VerificationRunQuery;
import io.stenographer.application.port.in.VerificationRunsQuery;
import io.stenographer.application.port.in.VerifyLogUseCase;
import io.stenographer.domain.access.Caller;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.event.Timestamps;
import io.stenographer.domain.log.VerificationReport;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Jobs: recent archive, purge and report-file purge runs touching the tenant, and its log's verification runs,
 * through the same use cases as {@code /api/v1/jobs/runs} and {@code /api/v1/logs/{tenant}/verifications}. A run
 * that also covered tenants the user may not see shows only the user's tenants (the use case trims it).
 */
@Path("/console/jobs")
@Authenticated
public class ConsoleJobsResource {

    /** Runs read to fill the page; the job list then keeps those touching the page's tenant. */
    static final int RECENT = 100;
    static final int RECENT_VERIFICATIONS = 20;

    static class Templates {
        static TemplateInstance jobs(ConsolePage.Chrome chrome, List<JobRow> runs,
                List<VerificationRow> verifications) {
            return ConsoleTemplates.of("ConsoleJobsResource/jobs")
                    .data("chrome", chrome)
                    .data("runs", runs)
                    .data("verifications", verifications);
        }

        static TemplateInstance jobRun(ConsolePage.Chrome chrome, JobRow run, List<TenantCounts> tenants) {
            return ConsoleTemplates.of("ConsoleJobsResource/jobRun")
                    .data("chrome", chrome)
                    .data("run", run)
                    .data("tenants", tenants);
        }

        static TemplateInstance verification(ConsolePage.Chrome chrome, VerificationRow run,
                List<FindingRow> findings) {
            return ConsoleTemplates.of("ConsoleJobsResource/verification")
                    .data("chrome", chrome)
                    .data("run", run)
                    .data("findings", findings);
        }
    }

    /** One job run, as {@code GET /api/v1/jobs/runs/{id}} says it. */
    public record JobRow(String id, String job, String trigger, String requestedBy, String tenants, boolean dryRun,
            String status, String startedAt, String finishedAt, Long durationMillis, Long total, String failedWith,
            String error) {

        static JobRow from(JobRun run) {
            return new JobRow(run.id().toString(), wire(run.job()).replace('_', '-'), wire(run.trigger()),
                    run.requestedBy(), run.tenants().stream().map(TenantId::value).collect(Collectors.joining(", ")),
                    run.dryRun(), wire(run.status()), time(run.startedAt()), time(run.finishedAt()),
                    run.duration() == null ? null : run.duration().toMillis(), run.outcome().eventsTotal(),
                    run.outcome().failedWith(), run.error());
        }

        /** What {@code total} counts for this job. */
        public String totalLabel() {
            return switch (job) {
                case "archive" -> "Events archived";
                case "purge" -> "Events purged";
                default -> "Report files purged";
            };
        }
    }

    /** One tenant's part of a run: its counts as label and value, in the order the API lists them. */
    public record TenantCounts(String tenant, List<Count> counts, String error) {
    }

    public record Count(String label, String value) {
    }

    /** One verification run of the tenant's log. */
    public record VerificationRow(String id, String tenant, boolean ok, boolean full, String startedAt,
            String finishedAt, long treeSize, long eventsChecked, long checkpointsChecked, long anchoredAtSize,
            long leavesCheckedFrom, String triggeredBy, int findings, boolean findingsTruncated) {

        static VerificationRow from(VerificationReport report) {
            return new VerificationRow(report.id().toString(), report.tenant().value(), report.ok(), report.full(),
                    time(report.startedAt()), time(report.finishedAt()), report.treeSize(), report.eventsChecked(),
                    report.checkpointsChecked(), report.anchoredAtSize(), report.leavesCheckedFrom(),
                    report.triggeredBy(), report.findings().size(), report.findingsTruncated());
        }
    }

    public record FindingRow(String kind, Long index, String eventId, String message) {
    }

    private final ConsolePage page;
    private final ConsoleSession session;
    private final JobRunsUseCase jobRuns;
    private final VerifyLogUseCase verifyLog;
    private final RecordConsoleViewUseCase views;

    ConsoleJobsResource(ConsolePage page, ConsoleSession session, JobRunsUseCase jobRuns, VerifyLogUseCase verifyLog,
            RecordConsoleViewUseCase views) {
        this.page = page;
        this.session = session;
        this.jobRuns = jobRuns;
        this.verifyLog = verifyLog;
        this.views = views;
    }

    @GET
    public Response jobs(@QueryParam("tenant") String tenant) {
        return page.run(() -> {
            Optional<TenantId> chosen = session.tenant(tenant);
            if (chosen.isEmpty()) {
                return page.render(Templates.jobs(page.chrome("jobs", null), List.of(), List.of()));
            }
            Caller caller = session.caller();
            TenantId tenantId = chosen.get();
            List<VerificationRow> verifications = verifyLog.recentRuns(
                    new VerificationRunsQuery(caller, tenantId, RECENT_VERIFICATIONS)).stream()
                    .map(VerificationRow::from).toList();
            List<JobRow> runs = jobRuns.recent(new JobRunsQuery(caller, RECENT)).stream()
                    .filter(run -> run.tenants().contains(tenantId)).map(JobRow::from).toList();
            views.record(new ConsoleViewCommand(caller, tenantId, "jobs", Map.of(
                    "jobRuns", Integer.toString(runs.size()),
                    "verificationRuns", Integer.toString(verifications.size()))));
            return page.render(Templates.jobs(page.chrome("jobs", tenantId), runs, verifications));
        });
    }

    @GET
    @Path("runs/{id}")
    public Response jobRun(@PathParam("id") String id, @QueryParam("tenant") String tenant) {
        return page.run(() -> {
            Caller caller = session.caller();
            UUID runId = RequestParameters.runId(id);
            Optional<JobRun> found = jobRuns.find(new JobRunQuery(caller, runId));
            if (found.isEmpty()) {
                return notFound(session.tenant(tenant).orElse(null), "No job run " + runId + " is visible to you.");
            }
            JobRun run = found.get();
            // The run names only tenants the user may see; the view is recorded in the page's tenant when the run
            // touched it, else in the first of the run's.
            TenantId shown = session.tenant(tenant).filter(run.tenants()::contains).orElse(run.tenants().get(0));
            views.record(new ConsoleViewCommand(caller, shown, "job-run", Map.of("runId", runId.toString())));
            return page.render(Templates.jobRun(page.chrome("jobs", shown), JobRow.from(run),
                    counts(run.outcome())));
        });
    }

    @GET
    @Path("verifications/{id}")
    public Response verification(@PathParam("id") String id, @QueryParam("tenant") String tenant) {
        return page.run(() -> {
            Caller caller = session.caller();
            UUID runId = RequestParameters.runId(id);
            Optional<TenantId> chosen = session.tenant(tenant);
            if (chosen.isEmpty()) {
                return notFound(null, "No verification run " + runId + " is visible to you.");
            }
            Optional<VerificationReport> found = verifyLog.run(new VerificationRunQuery(caller, chosen.get(), runId));
            if (found.isEmpty()) {
                return notFound(chosen.get(), "No verification run " + runId + " of " + chosen.get().value()
                        + " is visible to you.");
            }
            VerificationReport report = found.get();
            views.record(new ConsoleViewCommand(caller, report.tenant(), "verification-run",
                    Map.of("runId", runId.toString())));
            List<FindingRow> findings = report.findings().stream()
                    .map(f -> new FindingRow(f.kind().name().toLowerCase(Locale.ROOT).replace('_', '-'), f.index(),
                            f.eventId() == null ? null : f.eventId().toString(), f.message()))
                    .toList();
            return page.render(Templates.verification(page.chrome("jobs", report.tenant()),
                    VerificationRow.from(report), findings));
        });
    }

    private Response notFound(TenantId tenant, String detail) {
        return page.render(404, ConsoleTemplates.error(page.chrome("jobs", tenant),
                new ConsoleProblem(404, "Not found", detail)));
    }

    /** Each tenant's counts, labelled as the API names them. */
    static List<TenantCounts> counts(JobOutcome outcome) {
        if (outcome.tenants() == null) {
            return List.of();
        }
        List<TenantCounts> rows = new ArrayList<>();
        outcome.tenants().forEach((tenant, part) -> rows.add(new TenantCounts(tenant.value(), counts(part),
                part.error())));
        return rows;
    }

    private static List<Count> counts(JobOutcome.TenantOutcome part) {
        List<Count> counts = new ArrayList<>();
        if (part instanceof ArchiveTenantOutcome archive) {
            counts.add(count("Events archived", archive.eventsArchived()));
            counts.add(count("Segments written or adopted", archive.segments().size()));
            counts.add(count("Segments reused", archive.segmentsReused()));
            if (archive.indexRange() != null) {
                counts.add(new Count("Log indices", range(archive.indexRange())));
            }
            counts.add(count("Legal-hold flags applied", archive.legalHoldsApplied()));
            counts.add(count("Archive lag (seconds)", archive.archiveLagSeconds()));
            archive.segments().forEach(segment -> counts.add(new Count("Segment " + segment.key(),
                    "indices " + segment.from() + "-" + segment.to() + ", locked until "
                            + time(segment.retainUntil()))));
        } else if (part instanceof PurgeTenantOutcome purge) {
            counts.add(count("Events purged", purge.eventsPurged()));
            counts.add(count("Events a dry run would purge", purge.eventsWouldPurge()));
            counts.add(count("Events kept by a legal hold", purge.eventsHeld()));
            counts.add(count("Events not yet due", purge.eventsNotYetDue()));
            if (!purge.purgedIndexRanges().isEmpty()) {
                counts.add(new Count("Purged log indices", purge.purgedIndexRanges().stream()
                        .map(ConsoleJobsResource::range).collect(Collectors.joining(", "))));
            }
            counts.add(count("Archive segments deleted", purge.segmentsDeleted()));
            counts.add(count("Archive segments a dry run would delete", purge.segmentsWouldDelete()));
            counts.add(count("Archive segments kept", purge.segmentsKept()));
            counts.add(count("Archive locks extended", purge.segmentsLockExtended()));
            counts.add(count("Events whose personal values left with their last copy", purge.personalValuesDeleted()));
        } else if (part instanceof ReportFilesTenantOutcome files) {
            counts.add(count("Report files purged", files.filesPurged()));
            counts.add(count("Report files a dry run would purge", files.filesWouldPurge()));
            counts.add(count("Kept by a legal hold", files.filesHeld()));
            counts.add(count("Kept under their write-once lock", files.filesLocked()));
            counts.add(count("Kept below the database's retention floor", files.filesBelowFloor()));
            counts.add(count("Bytes purged", files.bytesPurged()));
        }
        return counts;
    }

    private static Count count(String label, long value) {
        return new Count(label, Long.toString(value));
    }

    private static String range(JobOutcome.IndexRange range) {
        return range.first() + "-" + range.last();
    }

    private static String wire(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    private static String time(Instant instant) {
        return instant == null ? null : Timestamps.format(instant);
    }
}
