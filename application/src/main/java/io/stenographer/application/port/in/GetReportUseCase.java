package io.stenographer.application.port.in;

import io.stenographer.domain.report.ReportFile;
import io.stenographer.domain.report.ReportJob;
import io.stenographer.domain.report.ReportStatus;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;

/**
 * A report's status, and its file once generated. Files are read from the store every instance shares and checked
 * against their recorded SHA-256 before anything of them is handed out; each download is recorded in the tenant's log.
 */
public interface GetReportUseCase {

    /** @throws ReportNotFound when there is no such report in the caller's tenants */
    ReportView status(ReportQuery query);

    /** The tenant's reports, newest first (at most 100). */
    List<ReportView> recent(ReportsQuery query);

    /**
     * The file of a generated report, as recorded: what a download's validators and ranges are judged on. Reads no
     * content and records nothing.
     *
     * @throws ReportNotFound  when there is no such report in the caller's tenants
     * @throws ReportNotReady  when it is not (or could not be) generated
     * @throws ReportFileGone  when its file was purged at the end of its retention
     */
    ReportView file(ReportQuery query);

    /**
     * Reads the file, checks it against its recorded size and SHA-256, records the download in the tenant's log and
     * hands out the requested part; for {@link Part#notModified()} only the record is made (the caller already holds
     * these bytes). The caller closes the download.
     *
     * @throws ReportFileCorrupted   when the stored bytes do not match the recorded digest (nothing is handed out)
     * @throws ReportFileUnavailable when the store cannot be read now
     * @see #file(ReportQuery) for the other exceptions
     */
    Download download(ReportQuery query, Part part);

    /**
     * A report with its file, once one is recorded.
     *
     * @param file          null until the report succeeded (and for reports generated before files were shared)
     * @param fileExpiresAt when the file may be purged under today's retention setting; null without a file
     * @param fileErased    the file held personal values of a data subject since erased, whose erasure destroyed
     *                      the file's key: it can no longer be read
     */
    record ReportView(ReportJob job, ReportFile file, Instant fileExpiresAt, boolean fileErased) {

        /** A report with no file yet (not succeeded). */
        public static ReportView withoutFile(ReportJob job) {
            return new ReportView(job, null, null, false);
        }

        /**
         * Once the report succeeded: {@code available}, {@code purged} (at the end of its retention), {@code erased}
         * (its key destroyed by an erasure) or {@code missing} (generated before files were shared); null before.
         */
        public String fileStatus() {
            if (job.status() != ReportStatus.SUCCEEDED) {
                return null;
            }
            return file == null ? "missing" : file.purged() ? "purged" : fileErased ? "erased" : "available";
        }

        public boolean fileAvailable() {
            return "available".equals(fileStatus());
        }
    }

    /** What a download hands out: the whole file, one byte range of it, or nothing (the caller's copy is current). */
    record Part(Kind kind, long first, long last) {

        public enum Kind { WHOLE, RANGE, NOT_MODIFIED }

        public Part {
            if (kind == Kind.RANGE && (first < 0 || last < first)) {
                throw new IllegalArgumentException("a byte range is first <= last, from 0; was " + first + "-" + last);
            }
        }

        public static Part whole() {
            return new Part(Kind.WHOLE, 0, -1);
        }

        /** Bytes {@code first} to {@code last}, both included, inside the file. */
        public static Part range(long first, long last) {
            return new Part(Kind.RANGE, first, last);
        }

        public static Part notModified() {
            return new Part(Kind.NOT_MODIFIED, 0, -1);
        }
    }

    /**
     * A checked file, ready to stream: {@code content} is null for {@link Part.Kind#NOT_MODIFIED}. Close it when the
     * response is written (it may hold a scratch copy).
     */
    record Download(ReportJob job, ReportFile file, Part part, Content content) implements AutoCloseable {

        @Override
        public void close() {
            if (content != null) {
                content.close();
            }
        }
    }

    /** The checked bytes of the requested part. */
    interface Content extends AutoCloseable {

        /** The number of bytes {@link #open} yields. */
        long length();

        InputStream open() throws IOException;

        @Override
        void close();
    }
}
