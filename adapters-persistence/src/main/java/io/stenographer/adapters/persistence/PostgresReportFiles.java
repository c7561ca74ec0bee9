package io.stenographer.adapters.persistence;

import io.stenographer.application.port.out.CatalogReportFilesPort;
import io.stenographer.application.port.out.PurgeReportFilesPort;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.merkle.Hash;
import io.stenographer.domain.report.ReportFile;
import io.stenographer.domain.report.ReportFormat;
import io.stenographer.domain.retention.RetentionPeriod;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.InputStream;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.hibernate.Session;

/**
 * Report files in PostgreSQL (V19): their records, the bytes of small ones, and their purge, which only the database's
 * {@code stenographer_purge_report_file} performs (the application role has no DELETE, and the content table's trigger
 * lets a delete through only inside that function).
 */
@ApplicationScoped
public class PostgresReportFiles implements CatalogReportFilesPort, PurgeReportFilesPort {

    private static final String SELECT = """
            SELECT f.report_id, f.tenant, f.format, f.bytes, f.sha256, f.location, f.archive_key, f.stored_at,
                   f.locked_until, p.purged_at
            FROM report_file f LEFT JOIN report_file_purge p ON p.report_id = f.report_id""";
    private static final String CHECK_VIOLATION = "23514";

    private final Jdbc jdbc;

    PostgresReportFiles(Session session) {
        this.jdbc = new Jdbc(session);
    }

    @Override
    public Optional<ReportFile> record(ReportFile file, InputStream content) {
        if ((file.location() == ReportFile.Location.DATABASE) != (content != null)) {
            throw new IllegalArgumentException("a file kept in the database comes with its bytes, one in the archive"
                    + " store without");
        }
        // The trigger stamps stored_at with the database's clock; the one given here is not used.
        Optional<Instant> storedAt = jdbc.first("""
                INSERT INTO report_file (report_id, tenant, format, bytes, sha256, location, archive_key, locked_until,
                                         stored_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, now())
                ON CONFLICT (report_id) DO NOTHING
                RETURNING stored_at""", ps -> {
            ps.setObject(1, file.reportId());
            ps.setString(2, file.tenant().value());
            ps.setString(3, file.format().wireName());
            ps.setLong(4, file.bytes());
            ps.setBytes(5, file.sha256().bytes());
            ps.setString(6, file.location().wireName());
            ps.setString(7, file.archiveKey());
            ps.setTimestamp(8, file.lockedUntil() == null ? null : Timestamp.from(file.lockedUntil()));
        }, rs -> rs.getTimestamp(1).toInstant());
        if (storedAt.isEmpty()) {
            return Optional.empty();
        }
        if (content != null) {
            // The trigger checks that the bytes have the recorded size and SHA-256 (an encrypted file: the size its
            // recorded size makes). Read whole, not by the recorded size, which an encrypted file exceeds.
            byte[] bytes;
            try {
                bytes = content.readAllBytes();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            jdbc.update("INSERT INTO report_file_content (report_id, content) VALUES (?, ?)", ps -> {
                ps.setObject(1, file.reportId());
                ps.setBytes(2, bytes);
            });
        }
        return Optional.of(new ReportFile(file.reportId(), file.tenant(), file.format(), file.bytes(), file.sha256(),
                file.location(), file.archiveKey(), storedAt.get(), file.lockedUntil(), null));
    }

    @Override
    public Optional<ReportFile> find(UUID reportId) {
        return jdbc.first(SELECT + " WHERE f.report_id = ?", ps -> ps.setObject(1, reportId),
                PostgresReportFiles::file);
    }

    @Override
    public Optional<byte[]> content(UUID reportId) {
        return jdbc.first("SELECT content FROM report_file_content WHERE report_id = ?",
                ps -> ps.setObject(1, reportId), rs -> rs.getBytes(1));
    }

    @Override
    public List<ReportFile> purgeCandidates(TenantId tenant, Instant storedBefore, Page after, int limit) {
        return jdbc.query(SELECT + """
                 WHERE f.tenant = ? AND f.stored_at < ? AND p.report_id IS NULL
                   AND (f.stored_at, f.report_id) > (?, ?)
                ORDER BY f.stored_at, f.report_id LIMIT ?""", ps -> {
            ps.setString(1, tenant.value());
            ps.setTimestamp(2, Timestamp.from(storedBefore));
            ps.setTimestamp(3, Timestamp.from(after == null ? Instant.EPOCH : after.storedAt()));
            ps.setObject(4, after == null ? new UUID(0, 0) : after.reportId());
            ps.setInt(5, limit);
        }, PostgresReportFiles::file);
    }

    @Override
    public void purge(UUID reportId, UUID jobRunId) {
        try {
            jdbc.call("SELECT stenographer_purge_report_file(?, ?)", ps -> {
                ps.setObject(1, reportId);
                ps.setObject(2, jobRunId);
            });
        } catch (RuntimeException e) {
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause instanceof SQLException sql && CHECK_VIOLATION.equals(sql.getSQLState())) {
                    String message = String.valueOf(sql.getMessage());
                    PurgeRefused.Reason reason = message.contains("retention floor") ? PurgeRefused.Reason.BELOW_FLOOR
                            : message.contains("legal hold") ? PurgeRefused.Reason.HELD : PurgeRefused.Reason.OTHER;
                    throw new PurgeRefused(reason, firstLine(message));
                }
                if (cause.getCause() == cause) {
                    break;
                }
            }
            throw e;
        }
    }

    @Override
    public RetentionPeriod retentionFloor() {
        return jdbc.first("SELECT keep_at_least FROM report_file_retention_floor", ps -> { },
                rs -> RetentionPeriod.parse("keep_at_least", rs.getString(1)))
                .orElseThrow(() -> new IllegalStateException("report_file_retention_floor holds no row"));
    }

    private static String firstLine(String message) {
        int end = message.indexOf('\n');
        return end < 0 ? message : message.substring(0, end);
    }

    private static ReportFile file(ResultSet rs) throws SQLException {
        Timestamp locked = rs.getTimestamp(9);
        Timestamp purged = rs.getTimestamp(10);
        return new ReportFile(rs.getObject(1, UUID.class), new TenantId(rs.getString(2)),
                ReportFormat.fromWireName("format", rs.getString(3)), rs.getLong(4), new Hash(rs.getBytes(5)),
                ReportFile.Location.fromWireName(rs.getString(6)), rs.getString(7), rs.getTimestamp(8).toInstant(),
                locked == null ? null : locked.toInstant(), purged == null ? null : purged.toInstant());
    }
}
