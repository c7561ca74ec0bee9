package io.stenographer.application.port.out;

import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.merkle.Hash;
import io.stenographer.domain.report.ReportClaim;
import io.stenographer.domain.report.ReportJob;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Report requests and their progress. Requests are appended once; progress is appended as status
 * records (running, then succeeded or failed), each at most once per report, so a report never finishes
 * twice. Workers generate a report under a {@link ReportClaim}: only its latest claim may finish it, and a
 * claim whose heartbeat went stale is superseded by the next attempt.
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

    /** Serialises claiming across instances until the transaction ends, so each choice sees every claim before it. */
    void lockClaims();

    /**
     * Claims one report for {@code instance}, as attempt 1 of a queued report or attempt n + 1 of one whose latest
     * claim's heartbeat is before {@code staleBefore}, never beyond {@code maxAttempts}. Fair across tenants: only
     * tenants with fewer than {@code maxRunningPerTenant} live claims (heartbeat not before {@code staleBefore}) are
     * served, those with the fewest first, each with its oldest report. Empty when nothing may be claimed now.
     *
     * @param excluded reports not to claim (the ones this instance is generating right now)
     */
    Optional<ReportClaim> claimNext(String instance, Instant now, Instant staleBefore, int maxRunningPerTenant,
            int maxAttempts, Set<UUID> excluded);

    /** Unfinished reports whose latest claim, attempt {@code maxAttempts} or later, went stale before {@code staleBefore}. */
    List<ReportClaim> abandoned(Instant staleBefore, int maxAttempts);

    /** Refreshes the claim's heartbeat; false when it is no longer the report's latest claim or the report finished. */
    boolean heartbeat(ReportClaim claim, Instant at);

    /** False when the claim is no longer the report's latest, or the report had already finished. */
    boolean markSucceeded(ReportClaim claim, Instant at, long eventCount, long contentBytes, Hash contentSha256);

    /** False when the claim is no longer the report's latest, or the report had already finished. */
    boolean markFailed(ReportClaim claim, Instant at, String error);
}
