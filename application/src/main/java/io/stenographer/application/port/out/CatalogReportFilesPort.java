package io.stenographer.application.port.out;

import io.stenographer.domain.report.ReportFile;
import java.io.InputStream;
import java.util.Optional;
import java.util.UUID;

/**
 * The shared record of generated report files, readable from every instance: where each file is (the database or the
 * archive store), its size and SHA-256, and, for a file kept in the database, its bytes. A file is recorded once and
 * never changed; there is no delete here (files leave through {@link PurgeReportFilesPort} only).
 */
public interface CatalogReportFilesPort {

    /**
     * Records a file, with its {@code bytes} when it is kept in the database ({@code content} yields exactly
     * {@code file.bytes()} bytes; null for a file in the archive store). Returns the stored record, whose
     * {@code storedAt} is the database's clock; empty when a file was already recorded for the report, in which case
     * nothing was written (compare with {@link #find}).
     */
    Optional<ReportFile> record(ReportFile file, InputStream content);

    /** The report's file, purged or not; empty while none is recorded. */
    Optional<ReportFile> find(UUID reportId);

    /** The bytes of a file kept in the database; empty if it has none (kept in the archive store, or purged). */
    Optional<byte[]> content(UUID reportId);
}
