package io.stenographer.application.port.out;

import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.merkle.Hash;
import io.stenographer.domain.report.ReportJob;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Report requests and their progress. Requests are appended once; progress is appended as status
 * records (running, then succeeded or failed), each at most once per report, so a report can be
 * claimed by one worker only and never finish twice.
 */
public interface TrackReportJobsPort {

    /** Serialises report creation of one tenant until the transaction ends (limits stay exact). */
    void lockTenant(TenantId tenant);

    /** Reports of the tenant that are queued or running. */
    long active(TenantId tenant);

    void add(ReportJob job);

    Optional<ReportJob> find(UUID id);

    /** The tenant's reports, newest first, at most {@code limit}. */
    List<ReportJob> recent(TenantId tenant, int limit);

    /** The oldest queued reports, at most {@code limit}. */
    List<ReportJob> queued(int limit);

    /** Claims a queued report; false when another worker already has. */
    boolean markRunning(UUID id, Instant at);

    /** False when the report had already finished (for example failed as interrupted). */
    boolean markSucceeded(UUID id, Instant at, long eventCount, long contentBytes, Hash contentSha256);

    boolean markFailed(UUID id, Instant at, String error);

    /** Running reports claimed before {@code before}. */
    List<UUID> runningSince(Instant before);
}
