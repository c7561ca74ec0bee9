package io.stenographer.adapters.rest.jobs;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.stenographer.application.port.in.ArchiveTenantOutcome;
import io.stenographer.application.port.in.JobOutcome;
import io.stenographer.application.port.in.JobRun;
import io.stenographer.application.port.in.PurgeTenantOutcome;
import io.stenographer.application.port.in.ReportFilesTenantOutcome;
import io.stenographer.domain.event.TenantId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * What a run did, in the layout the run records in the database: per tenant its counts, then the run's
 * total and the exception that ended it, each present only when the run got that far.
 */
@Schema(name = "JobRunDetails")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobRunDetailsResponse(
        @Schema(type = SchemaType.OBJECT, description = "Per tenant: an ArchiveTenantCounts (archive job), a "
                + "PurgeTenantCounts (purge job) or a ReportFilesTenantCounts (report-files job)")
        Map<String, Object> tenants,
        Long eventsArchived, Long eventsPurged, Long reportFilesPurged, String failedWith) {

    static JobRunDetailsResponse from(JobRun.Job job, JobOutcome outcome) {
        Map<String, Object> tenants = null;
        if (outcome.tenants() != null) {
            tenants = new LinkedHashMap<>();
            for (Map.Entry<TenantId, JobOutcome.TenantOutcome> entry : outcome.tenants().entrySet()) {
                tenants.put(entry.getKey().value(), counts(entry.getValue()));
            }
        }
        Long total = outcome.eventsTotal();
        return new JobRunDetailsResponse(tenants, job == JobRun.Job.ARCHIVE ? total : null,
                job == JobRun.Job.PURGE ? total : null, job == JobRun.Job.REPORT_FILES ? total : null,
                outcome.failedWith());
    }

    private static Object counts(JobOutcome.TenantOutcome outcome) {
        if (outcome instanceof ArchiveTenantOutcome archive) {
            return ArchiveTenantCounts.from(archive);
        }
        if (outcome instanceof ReportFilesTenantOutcome files) {
            return ReportFilesTenantCounts.from(files);
        }
        return PurgeTenantCounts.from((PurgeTenantOutcome) outcome);
    }

    @Schema(name = "ReportFilesTenantCounts")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ReportFilesTenantCounts(long filesPurged, long filesWouldPurge, long filesHeld, long filesLocked,
            long filesBelowFloor, long bytesPurged, String error) {

        static ReportFilesTenantCounts from(ReportFilesTenantOutcome outcome) {
            return new ReportFilesTenantCounts(outcome.filesPurged(), outcome.filesWouldPurge(), outcome.filesHeld(),
                    outcome.filesLocked(), outcome.filesBelowFloor(), outcome.bytesPurged(), outcome.error());
        }
    }

    private static List<Long> range(JobOutcome.IndexRange range) {
        return List.of(range.first(), range.last());
    }

    @Schema(name = "ArchiveTenantCounts")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ArchiveTenantCounts(long eventsArchived, List<Segment> segments, List<Long> indexRange,
            int segmentsReused, int legalHoldsApplied, long archiveLagSeconds, String error) {

        static ArchiveTenantCounts from(ArchiveTenantOutcome outcome) {
            return new ArchiveTenantCounts(outcome.eventsArchived(), outcome.segments().stream()
                    .map(segment -> new Segment(segment.key(), segment.from(), segment.to(),
                            segment.retainUntil().toString())).toList(),
                    outcome.indexRange() == null ? null : range(outcome.indexRange()), outcome.segmentsReused(),
                    outcome.legalHoldsApplied(), outcome.archiveLagSeconds(), outcome.error());
        }
    }

    @Schema(name = "ArchivedSegment")
    public record Segment(String key, long from, long to, String retainUntil) {
    }

    @Schema(name = "PurgeTenantCounts")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record PurgeTenantCounts(long eventsPurged, long eventsWouldPurge, long eventsHeld, long eventsNotYetDue,
            List<List<Long>> purgedIndexRanges, int segmentsDeleted, int segmentsWouldDelete, int segmentsKept,
            int segmentsLockExtended,
            @Schema(description = "Events whose personal values were deleted with the last archive copy of them")
            long personalValuesDeleted, String error) {

        static PurgeTenantCounts from(PurgeTenantOutcome outcome) {
            return new PurgeTenantCounts(outcome.eventsPurged(), outcome.eventsWouldPurge(), outcome.eventsHeld(),
                    outcome.eventsNotYetDue(),
                    outcome.purgedIndexRanges().stream().map(JobRunDetailsResponse::range).toList(),
                    outcome.segmentsDeleted(), outcome.segmentsWouldDelete(), outcome.segmentsKept(),
                    outcome.segmentsLockExtended(), outcome.personalValuesDeleted(), outcome.error());
        }
    }
}
