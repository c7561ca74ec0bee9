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
import java.sql.PreparedStatement;
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

    private final Session session;

    PostgresReportJobs(Session session) {
        this.session = session;
    }

    @Override
    public void lockTenant(TenantId tenant) {
        session.doWork(connection -> {
            try (PreparedStatement ps = connection.prepareStatement(
                    "SELECT pg_advisory_xact_lock(hashtext('stenographer.reports'), hashtext(?))")) {
                ps.setString(1, tenant.value());
                ps.executeQuery().close();
            }
        });
    }

    @Override
    public long active(TenantId tenant) {
        return session.doReturningWork(connection -> {
            try (PreparedStatement ps = connection.prepareStatement(
                    "SELECT count(*) FROM report_job j WHERE j.tenant = ? AND " + NOT_FINISHED)) {
                ps.setString(1, tenant.value());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    @Override
    public void add(ReportJob job) {
        session.doWork(connection -> {
            try (PreparedStatement ps = connection.prepareStatement("""
                    INSERT INTO report_job (id, tenant, report_type, format, parameters, requested_by, requested_at,
                                            tree_size)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)""")) {
                ps.setObject(1, job.id());
                ps.setString(2, job.tenant().value());
                ps.setString(3, job.type().wireName());
                ps.setString(4, job.format().wireName());
                ps.setString(5, CanonicalJson.canonicalize(job.parameters().toJson(job.type())));
                ps.setString(6, job.requestedBy());
                ps.setTimestamp(7, Timestamp.from(job.requestedAt()));
                ps.setLong(8, job.treeSize());
                ps.executeUpdate();
            }
        });
    }

    @Override
    public Optional<ReportJob> find(UUID id) {
        List<ReportJob> found = jobs(JOBS + " WHERE id = ?", ps -> ps.setObject(1, id));
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
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
        return session.doReturningWork(connection -> {
            try (PreparedStatement ps = connection.prepareStatement("""
                    SELECT j.report_id FROM report_job_status j
                    WHERE j.status = 'running' AND j.at < ? AND NOT EXISTS (
                        SELECT 1 FROM report_job_status f WHERE f.report_id = j.report_id
                        AND f.status IN ('succeeded', 'failed'))""")) {
                ps.setTimestamp(1, Timestamp.from(before));
                List<UUID> ids = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getObject(1, UUID.class));
                    }
                }
                return ids;
            }
        });
    }

    private boolean status(UUID id, String status, Instant at, Long events, Long bytes, Hash sha256, String error) {
        return session.doReturningWork(connection -> {
            try (PreparedStatement ps = connection.prepareStatement("""
                    INSERT INTO report_job_status (report_id, status, at, event_count, content_bytes, content_sha256,
                                                   error)
                    VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""")) {
                ps.setObject(1, id);
                ps.setString(2, status);
                ps.setTimestamp(3, Timestamp.from(at));
                ps.setObject(4, events);
                ps.setObject(5, bytes);
                ps.setBytes(6, sha256 == null ? null : sha256.bytes());
                ps.setString(7, error);
                return ps.executeUpdate() == 1;
            }
        });
    }

    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private List<ReportJob> jobs(String sql, Binder binder) {
        return session.doReturningWork(connection -> {
            List<ReportJob> jobs = new ArrayList<>();
            try (PreparedStatement ps = connection.prepareStatement(sql)) {
                binder.bind(ps);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        jobs.add(request(rs));
                    }
                }
            }
            List<ReportJob> withStatus = new ArrayList<>(jobs.size());
            try (PreparedStatement ps = connection.prepareStatement("""
                    SELECT status, at, event_count, content_bytes, content_sha256, error FROM report_job_status
                    WHERE report_id = ? ORDER BY at""")) {
                for (ReportJob job : jobs) {
                    ps.setObject(1, job.id());
                    ReportStatus status = ReportStatus.QUEUED;
                    Instant started = null;
                    Instant finished = null;
                    Long events = null;
                    Long bytes = null;
                    Hash sha256 = null;
                    String error = null;
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            Instant at = rs.getTimestamp(2).toInstant();
                            switch (rs.getString(1)) {
                                case "running" -> {
                                    started = at;
                                    if (!status.finished()) {
                                        status = ReportStatus.RUNNING;
                                    }
                                }
                                case "succeeded" -> {
                                    status = ReportStatus.SUCCEEDED;
                                    finished = at;
                                    events = rs.getLong(3);
                                    bytes = rs.getLong(4);
                                    sha256 = new Hash(rs.getBytes(5));
                                }
                                default -> {
                                    status = ReportStatus.FAILED;
                                    finished = at;
                                    error = rs.getString(6);
                                }
                            }
                        }
                    }
                    withStatus.add(new ReportJob(job.id(), job.tenant(), job.type(), job.format(), job.parameters(),
                            job.requestedBy(), job.requestedAt(), job.treeSize(), status, started, finished, events,
                            bytes, sha256, error));
                }
            }
            return withStatus;
        });
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
