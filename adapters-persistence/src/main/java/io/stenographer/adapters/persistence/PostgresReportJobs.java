package io.stenographer.adapters.persistence;

import io.stenographer.application.port.out.TrackReportJobsPort;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.json.CanonicalJson;
import io.stenographer.domain.json.JsonObject;
import io.stenographer.domain.json.JsonParser;
import io.stenographer.domain.merkle.Hash;
import io.stenographer.domain.report.ReportClaim;
import io.stenographer.domain.report.ReportFormat;
import io.stenographer.domain.report.ReportJob;
import io.stenographer.domain.report.ReportParameters;
import io.stenographer.domain.report.ReportStatus;
import io.stenographer.domain.report.ReportType;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.hibernate.Session;

/**
 * Report requests and their append-only status records (V6__reports.sql), and the claims workers generate them under
 * (V18__report_claims_and_heartbeats.sql). Claiming is serialised across instances by one transaction-scoped advisory
 * lock and chosen in one query; each report's claim changes (takeover, heartbeat, finishing) are serialised by a lock
 * of its own, so a claim that was taken over can neither beat nor finish afterwards.
 */
@ApplicationScoped
public class PostgresReportJobs implements TrackReportJobsPort {

    private static final String JOBS = """
            SELECT id, tenant, report_type, format, parameters, requested_by, requested_at, tree_size
            FROM report_job""";
    private static final String NOT_FINISHED = """
            NOT EXISTS (SELECT 1 FROM report_job_status f WHERE f.report_id = j.id
                        AND f.status IN ('succeeded', 'failed'))""";
    /** Unfinished reports with their latest claim (none while queued). */
    private static final String OPEN = """
            SELECT j.id, j.tenant, j.requested_at, c.attempt, c.instance_id, c.heartbeat_at
            FROM report_job j
            LEFT JOIN LATERAL (SELECT attempt, instance_id, heartbeat_at FROM report_job_claim c
                               WHERE c.report_id = j.id ORDER BY attempt DESC LIMIT 1) c ON true
            WHERE""" + " " + NOT_FINISHED;
    /** The claim is its report's latest and the report is not finished (after the report's lock). */
    private static final String CURRENT = """
            EXISTS (SELECT 1 FROM report_job_claim c WHERE c.report_id = ? AND c.attempt = ? AND c.instance_id = ?)
            AND NOT EXISTS (SELECT 1 FROM report_job_claim n WHERE n.report_id = ? AND n.attempt > ?)
            AND NOT EXISTS (SELECT 1 FROM report_job_status f WHERE f.report_id = ?
                            AND f.status IN ('succeeded', 'failed'))""";

    private final Jdbc jdbc;

    PostgresReportJobs(Session session) {
        this.jdbc = new Jdbc(session);
    }

    @Override
    public void lockTenant(TenantId tenant) {
        jdbc.call("SELECT pg_advisory_xact_lock(hashtext('stenographer.reports'), hashtext(?))",
                ps -> ps.setString(1, tenant.value()));
    }

    @Override
    public long active(TenantId tenant) {
        return jdbc.query("SELECT count(*) FROM report_job j WHERE j.tenant = ? AND " + NOT_FINISHED,
                ps -> ps.setString(1, tenant.value()), rs -> rs.getLong(1)).get(0);
    }

    @Override
    public void add(ReportJob job) {
        jdbc.update("""
                INSERT INTO report_job (id, tenant, report_type, format, parameters, requested_by, requested_at,
                                        tree_size)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)""", ps -> {
            ps.setObject(1, job.id());
            ps.setString(2, job.tenant().value());
            ps.setString(3, job.type().wireName());
            ps.setString(4, job.format().wireName());
            ps.setString(5, CanonicalJson.canonicalize(job.parameters().toJson(job.type())));
            ps.setString(6, job.requestedBy());
            ps.setTimestamp(7, Timestamp.from(job.requestedAt()));
            ps.setLong(8, job.treeSize());
        });
    }

    @Override
    public Optional<ReportJob> find(UUID id) {
        return jobs(JOBS + " WHERE id = ?", ps -> ps.setObject(1, id)).stream().findFirst();
    }

    @Override
    public List<ReportJob> recent(TenantId tenant, int limit) {
        return jobs(JOBS + " WHERE tenant = ? ORDER BY requested_at DESC, id LIMIT ?", ps -> {
            ps.setString(1, tenant.value());
            ps.setInt(2, limit);
        });
    }

    @Override
    public void lockClaims() {
        jdbc.call("SELECT pg_advisory_xact_lock(hashtext('stenographer.report-claims'), 0)", ps -> {
        });
    }

    /** Serialises the changes of one report's claims until the transaction ends. */
    private void lockReport(UUID id) {
        jdbc.call("SELECT pg_advisory_xact_lock(hashtext('stenographer.report-claim'), hashtext(?))",
                ps -> ps.setString(1, id.toString()));
    }

    @Override
    public Optional<ReportClaim> claimNext(String instance, Instant now, Instant staleBefore, int maxRunningPerTenant,
            int maxAttempts, Set<UUID> excluded) {
        // Tenants with fewer live claims first, then the oldest request: one tenant's queue cannot starve the others.
        Optional<Candidate> candidate = jdbc.first("WITH open AS (" + OPEN + """
                ), live AS (
                    SELECT tenant, count(*) AS claims FROM open WHERE heartbeat_at >= ? GROUP BY tenant
                )
                SELECT o.id, coalesce(o.attempt, 0) + 1
                FROM open o LEFT JOIN live l ON l.tenant = o.tenant
                WHERE (o.attempt IS NULL OR o.heartbeat_at < ?)
                  AND coalesce(o.attempt, 0) < ?
                  AND coalesce(l.claims, 0) < ?
                  AND o.id <> ALL (?)
                ORDER BY coalesce(l.claims, 0), o.requested_at, o.id
                LIMIT 1""", ps -> {
            ps.setTimestamp(1, Timestamp.from(staleBefore));
            ps.setTimestamp(2, Timestamp.from(staleBefore));
            ps.setInt(3, maxAttempts);
            ps.setInt(4, maxRunningPerTenant);
            ps.setArray(5, ps.getConnection().createArrayOf("uuid", excluded.toArray()));
        }, rs -> new Candidate(rs.getObject(1, UUID.class), rs.getInt(2)));
        if (candidate.isEmpty()) {
            return Optional.empty();
        }
        UUID id = candidate.get().id();
        int attempt = candidate.get().attempt();
        lockReport(id);
        // Checked again under the report's lock: the previous claim may have beaten or finished since the choice.
        int claimed = jdbc.update("""
                INSERT INTO report_job_claim (report_id, attempt, instance_id, claimed_at, heartbeat_at)
                SELECT ?, ?, ?, ?, ?
                WHERE NOT EXISTS (SELECT 1 FROM report_job_claim c WHERE c.report_id = ?
                                  AND (c.attempt >= ? OR c.heartbeat_at >= ?))
                  AND NOT EXISTS (SELECT 1 FROM report_job_status f WHERE f.report_id = ?
                                  AND f.status IN ('succeeded', 'failed'))
                ON CONFLICT DO NOTHING""", ps -> {
            ps.setObject(1, id);
            ps.setInt(2, attempt);
            ps.setString(3, instance);
            ps.setTimestamp(4, Timestamp.from(now));
            ps.setTimestamp(5, Timestamp.from(now));
            ps.setObject(6, id);
            ps.setInt(7, attempt);
            ps.setTimestamp(8, Timestamp.from(staleBefore));
            ps.setObject(9, id);
        });
        if (claimed == 0) {
            return Optional.empty();
        }
        if (attempt == 1) {
            status(id, "running", now, null, null, null, null);
        }
        return find(id).map(job -> new ReportClaim(job, attempt, instance));
    }

    private record Candidate(UUID id, int attempt) {
    }

    @Override
    public List<ReportClaim> abandoned(Instant staleBefore, int maxAttempts) {
        List<ReportClaim> abandoned = new ArrayList<>();
        for (Stale stale : jdbc.query("SELECT o.id, o.attempt, o.instance_id FROM (" + OPEN + """
                ) o WHERE o.attempt >= ? AND o.heartbeat_at < ? ORDER BY o.requested_at, o.id""", ps -> {
            ps.setInt(1, maxAttempts);
            ps.setTimestamp(2, Timestamp.from(staleBefore));
        }, rs -> new Stale(rs.getObject(1, UUID.class), rs.getInt(2), rs.getString(3)))) {
            find(stale.id()).ifPresent(job -> abandoned.add(new ReportClaim(job, stale.attempt(), stale.instance())));
        }
        return abandoned;
    }

    private record Stale(UUID id, int attempt, String instance) {
    }

    @Override
    public boolean heartbeat(ReportClaim claim, Instant at) {
        lockReport(claim.job().id());
        return jdbc.update("""
                UPDATE report_job_claim SET heartbeat_at = greatest(heartbeat_at, ?)
                WHERE report_id = ? AND attempt = ? AND""" + " " + CURRENT, ps -> {
            ps.setTimestamp(1, Timestamp.from(at));
            ps.setObject(2, claim.job().id());
            ps.setInt(3, claim.attempt());
            bindCurrent(ps, 4, claim);
        }) == 1;
    }

    @Override
    public boolean markSucceeded(ReportClaim claim, Instant at, long eventCount, long contentBytes,
            Hash contentSha256) {
        return finish(claim, "succeeded", at, eventCount, contentBytes, contentSha256, null);
    }

    @Override
    public boolean markFailed(ReportClaim claim, Instant at, String error) {
        return finish(claim, "failed", at, null, null, null, error);
    }

    /** Records the end of a report, only for its latest claim. */
    private boolean finish(ReportClaim claim, String status, Instant at, Long events, Long bytes, Hash sha256,
            String error) {
        UUID id = claim.job().id();
        lockReport(id);
        return jdbc.update("""
                INSERT INTO report_job_status (report_id, status, at, event_count, content_bytes, content_sha256,
                                               error)
                SELECT ?, ?, ?, ?, ?, ?, ? WHERE""" + " " + CURRENT + " ON CONFLICT DO NOTHING", ps -> {
            bindStatus(ps, id, status, at, events, bytes, sha256, error);
            bindCurrent(ps, 8, claim);
        }) == 1;
    }

    private static void bindCurrent(PreparedStatement ps, int first, ReportClaim claim) throws SQLException {
        UUID id = claim.job().id();
        ps.setObject(first, id);
        ps.setInt(first + 1, claim.attempt());
        ps.setString(first + 2, claim.instance());
        ps.setObject(first + 3, id);
        ps.setInt(first + 4, claim.attempt());
        ps.setObject(first + 5, id);
    }

    private boolean status(UUID id, String status, Instant at, Long events, Long bytes, Hash sha256, String error) {
        return jdbc.update("""
                INSERT INTO report_job_status (report_id, status, at, event_count, content_bytes, content_sha256,
                                               error)
                VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""",
                ps -> bindStatus(ps, id, status, at, events, bytes, sha256, error)) == 1;
    }

    private static void bindStatus(PreparedStatement ps, UUID id, String status, Instant at, Long events, Long bytes,
            Hash sha256, String error) throws SQLException {
        ps.setObject(1, id);
        ps.setString(2, status);
        ps.setTimestamp(3, Timestamp.from(at));
        ps.setObject(4, events);
        ps.setObject(5, bytes);
        ps.setBytes(6, sha256 == null ? null : sha256.bytes());
        ps.setString(7, error);
    }

    /** One status row of a report: queued reports have none, finished ones end with succeeded or failed. */
    private record StatusRow(String status, Instant at, Long events, Long bytes, Hash sha256, String error) {

        static StatusRow read(ResultSet rs) throws SQLException {
            boolean succeeded = "succeeded".equals(rs.getString(1));
            return new StatusRow(rs.getString(1), rs.getTimestamp(2).toInstant(),
                    succeeded ? rs.getLong(3) : null, succeeded ? rs.getLong(4) : null,
                    succeeded ? new Hash(rs.getBytes(5)) : null, rs.getString(6));
        }
    }

    private List<ReportJob> jobs(String sql, Jdbc.Binder binder) {
        List<ReportJob> withStatus = new ArrayList<>();
        for (ReportJob job : jdbc.query(sql, binder, PostgresReportJobs::request)) {
            ReportStatus status = ReportStatus.QUEUED;
            Instant started = null;
            Instant finished = null;
            Long events = null;
            Long bytes = null;
            Hash sha256 = null;
            String error = null;
            for (StatusRow row : jdbc.query("""
                    SELECT status, at, event_count, content_bytes, content_sha256, error FROM report_job_status
                    WHERE report_id = ? ORDER BY at""", ps -> ps.setObject(1, job.id()), StatusRow::read)) {
                switch (row.status()) {
                    case "running" -> {
                        started = row.at();
                        if (!status.finished()) {
                            status = ReportStatus.RUNNING;
                        }
                    }
                    case "succeeded" -> {
                        status = ReportStatus.SUCCEEDED;
                        finished = row.at();
                        events = row.events();
                        bytes = row.bytes();
                        sha256 = row.sha256();
                    }
                    default -> {
                        status = ReportStatus.FAILED;
                        finished = row.at();
                        error = row.error();
                    }
                }
            }
            withStatus.add(new ReportJob(job.id(), job.tenant(), job.type(), job.format(), job.parameters(),
                    job.requestedBy(), job.requestedAt(), job.treeSize(), status, started, finished, events, bytes,
                    sha256, error));
        }
        return withStatus;
    }

    private static ReportJob request(ResultSet rs) throws SQLException {
        ReportType type = ReportType.fromWireName("type", rs.getString(3));
        ReportParameters parameters = ReportParameters.fromJson(type,
                (JsonObject) JsonParser.parse(rs.getString(5), 16));
        return ReportJob.request(rs.getObject(1, UUID.class), new TenantId(rs.getString(2)), type,
                ReportFormat.fromWireName("format", rs.getString(4)), parameters, rs.getString(6),
                rs.getTimestamp(7).toInstant(), rs.getLong(8));
    }
}
