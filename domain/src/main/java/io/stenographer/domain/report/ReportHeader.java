package io.stenographer.domain.report;

import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.event.Timestamps;
import io.stenographer.domain.json.JsonObject;
import io.stenographer.domain.log.PublishedCheckpoint;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What a report is and where it stands: the query (effective parameters), the rule versions, who asked
 * and who generated it, when, and the signed checkpoint it is pinned to. Everything in a report is
 * computed from the leaves with index below {@code checkpoint.treeSize()}, so the same request gives
 * the same result; only {@code reportId} and {@code requestedAt} differ. The file states no generation time:
 * its bytes are a function of the request and the log, so a report regenerated (for example after its instance
 * died) has the same digest. When it was generated is in its status and its {@code report.generated} event.
 *
 * @param eventCount        events in the report's event table
 * @param eventsUnavailable leaves of the period whose event payload is gone (purged, and its archive copy deleted
 *                          at the end of its retention) and so could not be evaluated
 */
public record ReportHeader(String reportId, TenantId tenant, ReportType type, ReportFormat format, JsonObject query,
        List<String> ruleVersions, String requestedBy, Instant requestedAt,
        PublishedCheckpoint checkpoint, String verifierKey, long eventCount, long eventsUnavailable) {

    public static final String FORMAT = "stenographer.report/v1";

    public ReportHeader {
        Objects.requireNonNull(reportId, "reportId");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(query, "query");
        ruleVersions = List.copyOf(ruleVersions);
        Objects.requireNonNull(requestedBy, "requestedBy");
        Objects.requireNonNull(requestedAt, "requestedAt");
        Objects.requireNonNull(checkpoint, "checkpoint");
        Objects.requireNonNull(verifierKey, "verifierKey");
        if (!checkpoint.tenant().equals(tenant)) {
            throw new IllegalArgumentException("the checkpoint is not of the report's tenant");
        }
    }

    public String title() {
        return switch (type) {
            case RECORD_ACCESS -> "Record access report";
            case ACTOR_ACTIVITY -> "Actor activity report";
            case DENIED_ACCESS -> "Denied access report";
            case UNJUSTIFIED_ACCESS -> "Unjustified access report";
            case UNUSUAL_VOLUME -> "Unusual volume report";
            case FOIA_EXPORT -> "Public-records (FOIA) export";
        };
    }

    public JsonObject toJson() {
        JsonObject pinned = ReportJson.object()
                .put("origin", checkpoint.checkpoint().origin())
                .put("treeSize", checkpoint.treeSize())
                .put("rootHash", checkpoint.checkpoint().rootHash().base64())
                .put("signedNote", checkpoint.signedNote())
                .put("verifierKey", verifierKey).build();
        return ReportJson.object()
                .put("reportId", reportId)
                .put("tenant", tenant.value())
                .put("type", type.wireName())
                .put("title", title())
                .put("format", format.wireName())
                .put("query", query)
                .putStrings("ruleVersions", ruleVersions)
                .put("requestedBy", requestedBy)
                .put("requestedAt", Timestamps.format(requestedAt))
                .put("generatedBy", "stenographer")
                .put("checkpoint", pinned)
                .put("eventCount", eventCount)
                .put("eventsUnavailable", eventsUnavailable)
                .build();
    }
}
