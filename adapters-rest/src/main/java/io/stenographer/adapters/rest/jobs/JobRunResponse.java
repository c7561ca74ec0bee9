package io.stenographer.adapters.rest.jobs;

import io.stenographer.application.port.in.JobRun;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.event.Timestamps;
import java.util.List;
import java.util.Locale;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "JobRun")
public record JobRunResponse(String id, String job, String trigger, String requestedBy, List<String> tenants,
        boolean dryRun, String status, String startedAt, String finishedAt, Long durationMillis,
        @Schema(description = "Counts and index ranges per tenant, as the run recorded them")
        JobRunDetailsResponse details,
        String error) {

    static JobRunResponse from(JobRun run) {
        return new JobRunResponse(run.id().toString(), wire(run.job()), wire(run.trigger()), run.requestedBy(),
                run.tenants().stream().map(TenantId::value).toList(), run.dryRun(), wire(run.status()),
                Timestamps.format(run.startedAt()),
                run.finishedAt() == null ? null : Timestamps.format(run.finishedAt()),
                run.duration() == null ? null : run.duration().toMillis(),
                JobRunDetailsResponse.from(run.job(), run.outcome()), run.error());
    }

    private static String wire(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }
}
