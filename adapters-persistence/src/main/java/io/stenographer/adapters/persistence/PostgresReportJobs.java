package io.stenographer.adapters.persistence;

import io.stenographer.application.port.out.TrackReportJobsPort;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.json.CanonicalJson;
import io.stenographer.domain.json.JsonObject;
import io.stenographer.domain.json.JsonParser;
import io.stenographer.domain.merkle.Hash;
import io.stenographer.domain.report.ReportFormat;
import io.stenographer.domain.report.ReportJob;
import io.stenographer.domain.report.ReportParameters;
import io.stenographer.domain.report.ReportStatus;
import io.stenographer.domain.report.ReportType;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.hibernate.Session;

/** Report requests and their append-only status records (V6__reports.sql). */
@ApplicationScoped
public class PostgresReportJobs implements TrackReportJobsPort {

    private static final String JOBS = """
            SELECT id, tenant, report_type, format, parameters, requested_by, requested_at, tree_size
            FROM report_job""";
    private static final String NOT_FINISHED = """
            NOT EXISTS (SELECT 1 FROM report_job_status f WHERE f.report_id = j.id
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
    public List<ReportJob> queued(int limit) {
        return jobs(JOBS + " j WHERE NOT EXISTS (SELECT 1 FROM report_job_status s WHERE s.report_id = j.id)"
                + " ORDER BY requested_at LIMIT ?", ps -> ps.setInt(1, limit));
    }

    @Override
    public boolean markRunning(UUID id, Instant at) {
        return status(id, "running", at, null, null, null, null);
    }

    @Override
    public boolean markSucceeded(UUID id, Instant at, long eventCount, long contentBytes, Hash contentSha256) {
        return status(id, "succeeded", at, eventCount, contentBytes, contentSha256, null);
    }

    @Override
    public boolean markFailed(UUID id, Instant at, String error) {
        return status(id, "failed", at, null, null, null, error);
    }

    @Override
    public List<UUID> runningSince(Instant before) {
        return jdbc.query("""
                SELECT j.report_id FROM report_job_status j
                WHERE j.status = 'running' AND j.at < ? AND NOT EXISTS (
                    SELECT 1 FROM report_job_status f WHERE f.report_id = j.report_id
                    AND f.status IN ('succeeded', 'failed'))""",
                ps -> ps.setTimestamp(1, Timestamp.from(before)), rs -> rs.getObject(1, UUID.class));
    }

    private boolean status(UUID id, String status, Instant at, Long events, Long bytes, Hash sha256, String error) {
        return jdbc.update("""
                INSERT INTO report_job_status (report_id, status, at, event_count, content_bytes, content_sha256,
                                               error)
                VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""", ps -> {
            ps.setObject(1, id);
            ps.setString(2, status);
            ps.setTimestamp(3, Timestamp.from(at));
            ps.setObject(4, events);
            ps.setObject(5, bytes);
            ps.setBytes(6, sha256 == null ? null : sha256.bytes());
            ps.setString(7, error);
        }) == 1;
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
