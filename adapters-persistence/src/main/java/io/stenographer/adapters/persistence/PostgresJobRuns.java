package io.stenographer.adapters.persistence;

import io.stenographer.application.port.in.JobRun;
import io.stenographer.application.port.out.RecordJobRunsPort;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.json.CanonicalJson;
import io.stenographer.domain.json.JsonObject;
import io.stenographer.domain.json.JsonParser;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.hibernate.Session;

/** Archive and purge runs: inserted when a run starts, completed when it ends. */
@ApplicationScoped
public class PostgresJobRuns implements RecordJobRunsPort {

    private static final String SELECT = """
            SELECT id, job, trigger, requested_by, tenants, dry_run, status, started_at, finished_at, counts, error
            FROM job_run""";

    private final Jdbc jdbc;

    PostgresJobRuns(Session session) {
        this.jdbc = new Jdbc(session);
    }

    @Override
    public void started(JobRun run) {
        jdbc.update("""
                INSERT INTO job_run (id, job, trigger, requested_by, tenants, dry_run, status, started_at, counts)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""", ps -> {
            ps.setObject(1, run.id());
            ps.setString(2, wire(run.job()));
            ps.setString(3, wire(run.trigger()));
            ps.setString(4, run.requestedBy());
            ps.setString(5, String.join(",", run.tenants().stream().map(TenantId::value).toList()));
            ps.setBoolean(6, run.dryRun());
            ps.setString(7, wire(run.status()));
            ps.setTimestamp(8, Timestamp.from(run.startedAt()));
            ps.setString(9, CanonicalJson.canonicalize(JobOutcomeJson.toJson(run.job(), run.outcome())));
        });
    }

    @Override
    public void finished(JobRun run) {
        int updated = jdbc.update("""
                UPDATE job_run SET status = ?, finished_at = ?, counts = ?, error = ?, tenants = ?
                WHERE id = ? AND status = 'running'""", ps -> {
            ps.setString(1, wire(run.status()));
            ps.setTimestamp(2, Timestamp.from(run.finishedAt()));
            ps.setString(3, CanonicalJson.canonicalize(JobOutcomeJson.toJson(run.job(), run.outcome())));
            ps.setString(4, run.error());
            ps.setString(5, String.join(",", run.tenants().stream().map(TenantId::value).toList()));
            ps.setObject(6, run.id());
        });
        if (updated != 1) {
            throw new IllegalStateException("job run " + run.id() + " is not running");
        }
    }

    @Override
    public List<JobRun> recent(Collection<TenantId> tenants, int limit) {
        String[] names = tenants.stream().map(TenantId::value).toArray(String[]::new);
        return jdbc.query(SELECT + " WHERE string_to_array(tenants, ',') && ? ORDER BY started_at DESC LIMIT ?",
                ps -> {
                    ps.setArray(1, ps.getConnection().createArrayOf("text", names));
                    ps.setInt(2, limit);
                }, PostgresJobRuns::run);
    }

    @Override
    public Optional<JobRun> find(UUID id) {
        return jdbc.first(SELECT + " WHERE id = ?", ps -> ps.setObject(1, id), PostgresJobRuns::run);
    }

    private static String wire(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    private static JobRun run(ResultSet rs) throws SQLException {
        String tenants = rs.getString(5);
        Timestamp finished = rs.getTimestamp(9);
        JobRun.Job job = JobRun.Job.valueOf(rs.getString(2).toUpperCase(Locale.ROOT));
        return new JobRun(rs.getObject(1, UUID.class), job,
                JobRun.Trigger.valueOf(rs.getString(3).toUpperCase(Locale.ROOT)), rs.getString(4),
                tenants.isEmpty() ? List.of() : Arrays.stream(tenants.split(",")).map(TenantId::new).toList(),
                rs.getBoolean(6), JobRun.Status.valueOf(rs.getString(7).toUpperCase(Locale.ROOT)),
                rs.getTimestamp(8).toInstant(), finished == null ? null : finished.toInstant(),
                JobOutcomeJson.fromJson(job, (JsonObject) JsonParser.parse(rs.getString(10), 16)), rs.getString(11));
    }
}
