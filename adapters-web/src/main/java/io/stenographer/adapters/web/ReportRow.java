package io.stenographer.adapters.web;

import io.stenographer.application.port.in.GetReportUseCase.ReportView;
import io.stenographer.domain.event.Timestamps;
import io.stenographer.domain.json.CanonicalJson;
import io.stenographer.domain.report.ReportFile;
import io.stenographer.domain.report.ReportJob;
import java.time.Instant;

/**
 * A report as the console shows it: what {@code GET /api/v1/reports/{id}} says, times in RFC 3339 UTC.
 *
 * @param fileStatus available, purged, erased or missing once the report succeeded; null before
 */
public record ReportRow(String id, String tenant, String type, String format, String status, String query,
        String requestedBy, String requestedAt, long treeSize, String startedAt, String finishedAt, Long eventCount,
        Long contentBytes, String contentSha256, String mediaType, String error, String fileStatus,
        String fileLocation, String fileExpiresAt, String filePurgedAt) {

    static ReportRow from(ReportView view) {
        ReportJob job = view.job();
        ReportFile file = view.file();
        String fileStatus = view.fileStatus();
        return new ReportRow(job.id().toString(), job.tenant().value(), job.type().wireName(),
                job.format().wireName(), job.status().wireName(),
                CanonicalJson.canonicalize(job.parameters().toJson(job.type())), job.requestedBy(),
                time(job.requestedAt()), job.treeSize(), time(job.startedAt()), time(job.finishedAt()),
                job.eventCount(), job.contentBytes(), job.contentSha256() == null ? null : job.contentSha256().hex(),
                job.format().mediaType(), job.error(), fileStatus,
                file == null ? null : file.location().wireName(),
                view.fileAvailable() ? time(view.fileExpiresAt()) : null,
                file == null ? null : time(file.purgedAt()));
    }

    public boolean downloadable() {
        return "available".equals(fileStatus);
    }

    public boolean finished() {
        return "succeeded".equals(status) || "failed".equals(status);
    }

    static String time(Instant instant) {
        return instant == null ? null : Timestamps.format(instant);
    }
}
