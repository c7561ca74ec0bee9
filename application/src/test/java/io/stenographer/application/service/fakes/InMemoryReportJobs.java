package io.stenographer.application.service.fakes;

import io.stenographer.application.port.out.TrackReportJobsPort;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.merkle.Hash;
import io.stenographer.domain.report.ReportClaim;
import io.stenographer.domain.report.ReportJob;
import io.stenographer.domain.report.ReportStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Report requests, claims and results in memory, with the claim rules of the port (the PostgreSQL adapter's
 * contract test checks the same rules on the real database): only a report's latest claim may beat or finish it,
 * a stale claim is taken over by the next attempt, and tenants with fewer live claims are served first.
 */
public final class InMemoryReportJobs implements TrackReportJobsPort {

    /** One claim: its heartbeat is the only thing that changes. */
    public static final class Claim {
        public final int attempt;
        public final String instance;
        public Instant heartbeat;

        Claim(int attempt, String instance, Instant heartbeat) {
            this.attempt = attempt;
            this.instance = instance;
            this.heartbeat = heartbeat;
        }
    }

    /** A finished report's record. */
    public record Result(ReportStatus status, int attempt, long events, Hash sha256, String error) {
    }

    private final FakeTransactionRunner transactions;
    private final Map<UUID, ReportJob> jobs = new LinkedHashMap<>();
    private final Map<UUID, List<Claim>> claims = new HashMap<>();
    private final Map<UUID, Result> results = new HashMap<>();

    public InMemoryReportJobs(FakeTransactionRunner transactions) {
        this.transactions = transactions;
    }

    public List<Claim> claims(UUID id) {
        return claims.getOrDefault(id, List.of());
    }

    public Optional<Result> result(UUID id) {
        return Optional.ofNullable(results.get(id));
    }

    private void inTransaction() {
        if (transactions.current() == 0) {
            throw new IllegalStateException("report jobs are read and written in a transaction");
        }
    }

    @Override
    public void lockTenant(TenantId tenant) {
        inTransaction();
    }

    @Override
    public long active(TenantId tenant) {
        inTransaction();
        return jobs.values().stream().filter(j -> j.tenant().equals(tenant) && !results.containsKey(j.id())).count();
    }

    @Override
    public void add(ReportJob job) {
        inTransaction();
        jobs.put(job.id(), job);
    }

    @Override
    public Optional<ReportJob> find(UUID id) {
        inTransaction();
        return Optional.ofNullable(jobs.get(id));
    }

    @Override
    public List<ReportJob> recent(TenantId tenant, int limit) {
        inTransaction();
        return jobs.values().stream().filter(j -> j.tenant().equals(tenant)).limit(limit).toList();
    }

    @Override
    public void lockClaims() {
        inTransaction();
    }

    private Optional<Claim> latest(UUID id) {
        List<Claim> list = claims(id);
        return list.isEmpty() ? Optional.empty() : Optional.of(list.get(list.size() - 1));
    }

    @Override
    public Optional<ReportClaim> claimNext(String instance, Instant now, Instant staleBefore, int maxRunningPerTenant,
            int maxAttempts, Set<UUID> excluded) {
        inTransaction();
        Map<TenantId, Long> live = new HashMap<>();
        for (ReportJob job : open()) {
            if (latest(job.id()).filter(c -> !c.heartbeat.isBefore(staleBefore)).isPresent()) {
                live.merge(job.tenant(), 1L, Long::sum);
            }
        }
        List<ReportJob> candidates = new ArrayList<>();
        for (ReportJob job : open()) {
            Optional<Claim> last = latest(job.id());
            int attempts = last.map(c -> c.attempt).orElse(0);
            if ((last.isEmpty() || last.get().heartbeat.isBefore(staleBefore)) && attempts < maxAttempts
                    && live.getOrDefault(job.tenant(), 0L) < maxRunningPerTenant && !excluded.contains(job.id())) {
                candidates.add(job);
            }
        }
        return candidates.stream()
                .min(Comparator.<ReportJob>comparingLong(j -> live.getOrDefault(j.tenant(), 0L))
                        .thenComparing(ReportJob::requestedAt).thenComparing(ReportJob::id))
                .map(job -> {
                    int attempt = latest(job.id()).map(c -> c.attempt).orElse(0) + 1;
                    claims.computeIfAbsent(job.id(), id -> new ArrayList<>()).add(new Claim(attempt, instance, now));
                    return new ReportClaim(job, attempt, instance);
                });
    }

    private List<ReportJob> open() {
        return jobs.values().stream().filter(j -> !results.containsKey(j.id())).toList();
    }

    @Override
    public List<ReportClaim> abandoned(Instant staleBefore, int maxAttempts) {
        inTransaction();
        List<ReportClaim> abandoned = new ArrayList<>();
        for (ReportJob job : open()) {
            latest(job.id()).filter(c -> c.attempt >= maxAttempts && c.heartbeat.isBefore(staleBefore))
                    .ifPresent(c -> abandoned.add(new ReportClaim(job, c.attempt, c.instance)));
        }
        return abandoned;
    }

    private boolean current(ReportClaim claim) {
        return !results.containsKey(claim.job().id()) && latest(claim.job().id())
                .filter(c -> c.attempt == claim.attempt() && c.instance.equals(claim.instance())).isPresent();
    }

    @Override
    public boolean heartbeat(ReportClaim claim, Instant at) {
        inTransaction();
        if (!current(claim)) {
            return false;
        }
        Claim latest = latest(claim.job().id()).orElseThrow();
        if (at.isAfter(latest.heartbeat)) {
            latest.heartbeat = at;
        }
        return true;
    }

    @Override
    public boolean markSucceeded(ReportClaim claim, Instant at, long eventCount, long contentBytes,
            Hash contentSha256) {
        inTransaction();
        if (!current(claim)) {
            return false;
        }
        results.put(claim.job().id(), new Result(ReportStatus.SUCCEEDED, claim.attempt(), eventCount, contentSha256,
                null));
        return true;
    }

    @Override
    public boolean markFailed(ReportClaim claim, Instant at, String error) {
        inTransaction();
        if (!current(claim)) {
            return false;
        }
        results.put(claim.job().id(), new Result(ReportStatus.FAILED, claim.attempt(), 0, null, error));
        return true;
    }
}
