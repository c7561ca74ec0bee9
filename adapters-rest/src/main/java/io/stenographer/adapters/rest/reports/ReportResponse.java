package io.stenographer.adapters.rest.reports;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.stenographer.adapters.rest.json.StrictJson;
import io.stenographer.application.port.in.GetReportUseCase.ReportView;
import io.stenographer.domain.event.Timestamps;
import io.stenographer.domain.json.CanonicalJson;
import io.stenographer.domain.report.ReportFile;
import io.stenographer.domain.report.ReportJob;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A report's request and status, and once it succeeded its file: {@code fileStatus} {@code available} (with
 * {@code links.content}) until {@code fileExpiresAt}, then {@code purged} (with {@code filePurgedAt}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ReportResponse(String id, String tenant, String type, String format, String status, JsonNode query,
        String requestedBy, String requestedAt, long treeSize, String startedAt, String finishedAt, Long eventCount,
        Long contentBytes, String contentSha256, String mediaType, String error,
        @Schema(description = "available, purged (at the end of its retention), erased (it held personal values of a"
                + " data subject since erased, whose erasure destroyed the file's key), or missing (generated before"
                + " files were kept where every instance reads them)") String fileStatus,
        @Schema(description = "database or archive") String fileLocation,
        String fileStoredAt, String fileExpiresAt, String filePurgedAt, Map<String, String> links) {

    public static ReportResponse from(ReportJob job) {
        return from(ReportView.withoutFile(job));
    }

    public static ReportResponse from(ReportView view) {
        ReportJob job = view.job();
        ReportFile file = view.file();
        String self = "/api/v1/reports/" + job.id();
        JsonNode query;
        try {
            query = StrictJson.mapper().readTree(CanonicalJson.canonicalize(job.parameters().toJson(job.type())));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        String fileStatus = view.fileStatus();
        return new ReportResponse(job.id().toString(), job.tenant().value(), job.type().wireName(),
                job.format().wireName(), job.status().wireName(), query, job.requestedBy(), time(job.requestedAt()),
                job.treeSize(), time(job.startedAt()), time(job.finishedAt()), job.eventCount(), job.contentBytes(),
                job.contentSha256() == null ? null : job.contentSha256().hex(), job.format().mediaType(), job.error(),
                fileStatus, file == null ? null : file.location().wireName(), file == null ? null : time(file.storedAt()),
                view.fileAvailable() ? time(view.fileExpiresAt()) : null,
                file == null ? null : time(file.purgedAt()),
                view.fileAvailable() ? Map.of("self", self, "content", self + "/content")
                        : Map.of("self", self));
    }

    private static String time(Instant instant) {
        return instant == null ? null : Timestamps.format(instant);
    }
}
