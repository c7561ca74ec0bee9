package io.stenographer.domain.report;

import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.merkle.Hash;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A report request and its progress. The request part never changes; the progress part is derived
 * from append-only status records.
 *
 * @param treeSize the size of the signed checkpoint the report is pinned to
 */
public record ReportJob(UUID id, TenantId tenant, ReportType type, ReportFormat format, ReportParameters parameters,
        String requestedBy, Instant requestedAt, long treeSize, ReportStatus status, Instant startedAt,
        Instant finishedAt, Long eventCount, Long contentBytes, Hash contentSha256, String error) {

    public ReportJob {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(parameters, "parameters");
        Objects.requireNonNull(requestedBy, "requestedBy");
        Objects.requireNonNull(requestedAt, "requestedAt");
        Objects.requireNonNull(status, "status");
        if (treeSize < 1) {
            throw new IllegalArgumentException("a report is pinned to a checkpoint of at least one leaf");
        }
        if (status == ReportStatus.SUCCEEDED && (contentBytes == null || contentSha256 == null)) {
            throw new IllegalArgumentException("a finished report has its content size and hash");
        }
    }

    /** A new request, queued. */
    public static ReportJob request(UUID id, TenantId tenant, ReportType type, ReportFormat format,
            ReportParameters parameters, String requestedBy, Instant requestedAt, long treeSize) {
        parameters.checkFits(type);
        return new ReportJob(id, tenant, type, format, parameters, requestedBy, requestedAt, treeSize,
                ReportStatus.QUEUED, null, null, null, null, null, null);
    }
}
