package io.stenographer.adapters.rest.logs;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.stenographer.domain.event.Timestamps;
import io.stenographer.domain.log.VerificationFinding;
import io.stenographer.domain.log.VerificationReport;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "VerificationReport")
public record VerificationResponse(String id, String tenant, boolean ok, String startedAt, String finishedAt,
        long treeSize, long eventsChecked, long checkpointsChecked,
        @Schema(description = "0 when every stored checkpoint was checked; otherwise the size of the newest "
                + "checkpoint the previous run (with no findings) accepted: checked again here against the tree "
                + "rebuilt from today's leaves, and only stored checkpoints above it besides")
        long anchoredAtSize,
        @Schema(description = "The first leaf recomputed from its event: 0 for a full run, the anchor's size for an "
                + "incremental one (the stored tree below it was held to the anchor's signed root instead)")
        long leavesCheckedFrom,
        @Schema(description = "Whether every leaf was recomputed (leavesCheckedFrom is 0)")
        boolean full,
        String triggeredBy, List<Finding> findings,
        boolean findingsTruncated) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Finding(String kind, Long index, String eventId, String message) {

        static Finding from(VerificationFinding finding) {
            return new Finding(finding.kind().name(), finding.index(),
                    finding.eventId() == null ? null : finding.eventId().toString(), finding.message());
        }
    }

    public static VerificationResponse from(VerificationReport report) {
        return new VerificationResponse(report.id().toString(), report.tenant().value(), report.ok(),
                Timestamps.format(report.startedAt()), Timestamps.format(report.finishedAt()), report.treeSize(),
                report.eventsChecked(), report.checkpointsChecked(), report.anchoredAtSize(),
                report.leavesCheckedFrom(), report.full(), report.triggeredBy(),
                report.findings().stream().map(Finding::from).toList(), report.findingsTruncated());
    }
}
