package io.stenographer.adapters.rest.jobs;

import io.stenographer.adapters.rest.problem.ProblemException;
import io.stenographer.adapters.rest.problem.ProblemType;
import io.stenographer.application.port.in.RequestParameters;
import io.stenographer.adapters.rest.security.CurrentCaller;
import io.stenographer.application.port.in.JobRunQuery;
import io.stenographer.application.port.in.JobRunsQuery;
import io.stenographer.application.port.in.JobRunsUseCase;
import io.stenographer.application.port.in.RunArchiveJobUseCase;
import io.stenographer.application.port.in.RunJobCommand;
import io.stenographer.application.port.in.RunPurgeJobUseCase;
import io.stenographer.application.port.in.RunReportFilePurgeUseCase;
import io.stenographer.domain.access.Caller;
import io.stenographer.domain.event.FieldViolation;
import io.stenographer.domain.event.TenantId;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/jobs")
@Tag(name = "Jobs", description = "Archive, purge and report-file purge runs")
public class JobsResource {

    private static final int MAX_TENANTS_PER_RUN = 50;

    private final RunArchiveJobUseCase archiveJob;
    private final RunPurgeJobUseCase purgeJob;
    private final RunReportFilePurgeUseCase reportFilesJob;
    private final JobRunsUseCase jobRuns;
    private final CurrentCaller currentCaller;

    JobsResource(RunArchiveJobUseCase archiveJob, RunPurgeJobUseCase purgeJob,
            RunReportFilePurgeUseCase reportFilesJob, JobRunsUseCase jobRuns, CurrentCaller currentCaller) {
        this.archiveJob = archiveJob;
        this.purgeJob = purgeJob;
        this.reportFilesJob = reportFilesJob;
        this.jobRuns = jobRuns;
        this.currentCaller = currentCaller;
    }

    @POST
    @Path("{job}/runs")
    @RolesAllowed("compliance-admin")
    @SecurityRequirement(name = "bearer")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Run the archive, purge or report-files job now for the named tenants",
            description = "job: archive, purge, or report-files (purges report files whose retention ended). Runs "
                    + "synchronously and answers with the finished run. With dryRun=true nothing is "
                    + "uploaded, purged or deleted: the run reports what it would do. Only one instance runs a "
                    + "job at a time; a run that finds the job busy ends as 'skipped'.")
    public JobRunResponse run(@PathParam("job") String job, @QueryParam("tenant") List<String> tenants,
            @QueryParam("dryRun") String dryRun) {
        Caller caller = currentCaller.get();
        RunJobCommand request = RunJobCommand.manual(caller, tenants(tenants), RequestParameters.flag("dryRun", dryRun));
        return switch (job) {
            case "archive" -> JobRunResponse.from(archiveJob.run(request));
            case "purge" -> JobRunResponse.from(purgeJob.run(request));
            case "report-files" -> JobRunResponse.from(reportFilesJob.run(request));
            default -> throw ProblemException.of(ProblemType.NOT_FOUND, "no job '" + job
                    + "'; the jobs are 'archive', 'purge' and 'report-files'");
        };
    }

    @GET
    @Path("runs")
    @RolesAllowed({"compliance-admin", "auditor"})
    @SecurityRequirement(name = "bearer")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Recent archive, purge and report-files runs touching the caller's tenants, newest first")
    public List<JobRunResponse> runs(@QueryParam("limit") String limit) {
        int parsed = RequestParameters.integer("limit", limit, 20, 1, 100);
        return jobRuns.recent(new JobRunsQuery(currentCaller.get(), parsed)).stream().map(JobRunResponse::from).toList();
    }

    @GET
    @Path("runs/{id}")
    @RolesAllowed({"compliance-admin", "auditor"})
    @SecurityRequirement(name = "bearer")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "One archive, purge or report-files run")
    public JobRunResponse run(@PathParam("id") String id) {
        UUID runId = RequestParameters.runId(id);
        return jobRuns.find(new JobRunQuery(currentCaller.get(), runId)).map(JobRunResponse::from)
                .orElseThrow(() -> ProblemException.of(ProblemType.NOT_FOUND, "no job run " + id));
    }

    private static List<TenantId> tenants(List<String> values) {
        if (values == null || values.isEmpty()) {
            throw new FieldViolation("tenant", "name at least one tenant (repeat the parameter for more)");
        }
        if (values.size() > MAX_TENANTS_PER_RUN) {
            throw new FieldViolation("tenant", "at most " + MAX_TENANTS_PER_RUN + " tenants per run");
        }
        LinkedHashSet<TenantId> unique = new LinkedHashSet<>();
        for (String value : values) {
            try {
                unique.add(new TenantId(value));
            } catch (IllegalArgumentException e) {
                throw new FieldViolation("tenant", e.getMessage());
            }
        }
        return List.copyOf(unique);
    }
}
