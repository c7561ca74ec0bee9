package io.stenographer.application.port.out;

import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.report.ReportFile;
import io.stenographer.domain.retention.RetentionPeriod;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The one way a report file's bytes leave the database: the narrow database function that refuses a file under a legal
 * hold and one younger than the database's own retention floor, whatever the caller says. A purged file keeps its
 * record (size, SHA-256, when it was purged); only its bytes go.
 */
public interface PurgeReportFilesPort {

    /**
     * The tenant's files stored before {@code storedBefore} and not yet purged, oldest first, after {@code after} (a
     * report id from the previous page, or null), at most {@code limit}.
     */
    List<ReportFile> purgeCandidates(TenantId tenant, Instant storedBefore, Page after, int limit);

    /** Where the previous page of candidates ended. */
    record Page(Instant storedAt, UUID reportId) {
    }

    /**
     * Purges the file through the database function, in the caller's transaction, which must already hold the file's
     * {@code report.file.purged} event in the tenant's log. The caller then deletes an archive copy in the same
     * transaction. Throws {@link PurgeRefused} when the function refuses.
     */
    void purge(UUID reportId, UUID jobRunId);

    /** The shortest time the database keeps any report file, set by its owner; the application cannot lower it. */
    RetentionPeriod retentionFloor();

    /** The database refused to purge the file: a legal hold covers it, or it is younger than the floor. */
    final class PurgeRefused extends RuntimeException {
        private static final long serialVersionUID = 1L;

        /** Why the database refused. */
        public enum Reason { HELD, BELOW_FLOOR, OTHER }

        private final Reason reason;

        public PurgeRefused(Reason reason, String message) {
            super(message);
            this.reason = reason;
        }

        public Reason reason() {
            return reason;
        }
    }
}
