package io.stenographer.adapters.rest.reports;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.stenographer.adapters.rest.json.StrictJson;
import io.stenographer.domain.event.Timestamps;
import io.stenographer.domain.json.CanonicalJson;
import io.stenographer.domain.report.ReportJob;
import io.stenographer.domain.report.ReportStatus;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;

/** A report's request and status. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ReportResponse(String id, String tenant, String type, String format, String status, JsonNode query,
        String requestedBy, String requestedAt, long treeSize, String startedAt, String finishedAt, Long eventCount,
        Long contentBytes, String contentSha256, String mediaType, String error, Map<String, String> links) {

    public static ReportResponse from(ReportJob job) {
        String self = "/api/v1/reports/" + job.id();
        JsonNode query;
        try {
            query = StrictJson.mapper().readTree(CanonicalJson.canonicalize(job.parameters().toJson(job.type())));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        return new ReportResponse(job.id().toString(), job.tenant().value(), job.type().wireName(),
                job.format().wireName(), job.status().wireName(), query, job.requestedBy(), time(job.requestedAt()),
                job.treeSize(), time(job.startedAt()), time(job.finishedAt()), job.eventCount(), job.contentBytes(),
                job.contentSha256() == null ? null : job.contentSha256().hex(), job.format().mediaType(), job.error(),
                job.status() == ReportStatus.SUCCEEDED
                        ? Map.of("self", self, "content", self + "/content") : Map.of("self", self));
    }

    private static String time(Instant instant) {
        return instant == null ? null : Timestamps.format(instant);
    }
}
