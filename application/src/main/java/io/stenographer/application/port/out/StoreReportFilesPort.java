package io.stenographer.application.port.out;

import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.log.LogIntegrityViolation;
import io.stenographer.domain.merkle.Hash;
import io.stenographer.domain.report.ReportFormat;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;
import java.util.UUID;
import io.stenographer.domain.privacy.DataKey;

/**
 * Where generated report files live: a store every instance reads (docs/REPORTS.md, "Report files"). Written once, in
 * a stream; readable only after complete.
 */
public interface StoreReportFilesPort {

    /**
     * Streams a report's file into place: it becomes visible only when {@code content} returns normally and the file
     * is recorded; on failure nothing is kept. When a file is already stored for the report (an earlier attempt, or
     * another instance after a takeover, stored it first), the two are compared: the same size and SHA-256 is
     * accepted and returned (report content is a function of the job), anything else throws
     * {@link ReportFileConflict} and the stored file stays as it is.
     *
     * <p>With {@code sealedUnder}, the stored bytes are encrypted under that key ({@link
     * io.stenographer.domain.privacy.ReportFileCipher}); the size and SHA-256 returned and recorded are those of the
     * content as written, which is what a download hands out.
     */
    Stored write(TenantId tenant, UUID id, ReportFormat format, Optional<DataKey> sealedUnder, Content content)
            throws IOException;

    /** The stored bytes, checked against the recorded SHA-256 before the stream is returned. */
    InputStream open(TenantId tenant, UUID id, ReportFormat format) throws IOException;

    interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    record Stored(long bytes, Hash sha256) {
    }

    /** A different file is already stored for the report: never replaced, and a sign that something is wrong. */
    final class ReportFileConflict extends LogIntegrityViolation {
        private static final long serialVersionUID = 1L;

        public ReportFileConflict(String message) {
            super(message);
        }
    }
}
