package io.stenographer.domain.report;

import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.merkle.Hash;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A generated report's file as every instance sees it: where its bytes live, how many there are, and their SHA-256,
 * which is checked on every download. Small files live in the database, large ones in the archive store under a
 * write-once lock until {@code lockedUntil}. A file is recorded once and never changed; its purge at the end of its
 * retention is recorded beside it ({@code purgedAt}), and afterwards only this record remains.
 *
 * @param archiveKey  the archive store key of a file kept there, null for one kept in the database
 * @param storedAt    when the database recorded the file (the database's clock: retention counts from here)
 * @param lockedUntil the write-once lock date set on the archive copy, null for a file kept in the database
 * @param purgedAt    when the file was purged, or null while it is available
 */
public record ReportFile(UUID reportId, TenantId tenant, ReportFormat format, long bytes, Hash sha256,
        Location location, String archiveKey, Instant storedAt, Instant lockedUntil, Instant purgedAt) {

    /** Where the bytes are kept. */
    public enum Location {
        /** A row of the database: every instance reads it. */
        DATABASE("database"),
        /** An object of the archive store (S3 Object Lock or the local write-once directory). */
        ARCHIVE("archive");

        private final String wireName;

        Location(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }

        public static Location fromWireName(String text) {
            for (Location location : values()) {
                if (location.wireName.equals(text)) {
                    return location;
                }
            }
            throw new IllegalArgumentException("report file location: unknown '" + text + "'");
        }
    }

    public ReportFile {
        Objects.requireNonNull(reportId, "reportId");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(storedAt, "storedAt");
        if (bytes < 0) {
            throw new IllegalArgumentException("a report file cannot have a negative size, was " + bytes);
        }
        if ((location == Location.ARCHIVE) != (archiveKey != null)) {
            throw new IllegalArgumentException("a report file in the archive store has a key, one in the database none");
        }
        if ((location == Location.ARCHIVE) != (lockedUntil != null)) {
            throw new IllegalArgumentException("a report file in the archive store has a lock date, one in the database"
                    + " none");
        }
    }

    /** A file about to be recorded (the database sets {@code storedAt} when it records it). */
    public static ReportFile record(UUID reportId, TenantId tenant, ReportFormat format, long bytes, Hash sha256,
            Location location, String archiveKey, Instant now, Instant lockedUntil) {
        return new ReportFile(reportId, tenant, format, bytes, sha256, location, archiveKey, now, lockedUntil, null);
    }

    /** The archive store key of a report's file: one per report, so a second writer of the same report finds it. */
    public static String archiveKey(TenantId tenant, UUID reportId, ReportFormat format) {
        return "reports/" + tenant.value() + "/" + reportId + "." + format.extension();
    }

    public boolean purged() {
        return purgedAt != null;
    }

    /** Same size and digest: the same bytes, as far as SHA-256 can tell. */
    public boolean sameContentAs(ReportFile other) {
        return bytes == other.bytes && sha256.equals(other.sha256);
    }
}
