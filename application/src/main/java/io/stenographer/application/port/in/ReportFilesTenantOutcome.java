package io.stenographer.application.port.in;

/**
 * One tenant's part of a report-file purge run.
 *
 * @param filesPurged     files whose bytes were deleted (each is a {@code report.file.purged} event)
 * @param filesWouldPurge files a dry run would have purged
 * @param filesHeld       expired files a legal hold keeps (the hold covers the report's period)
 * @param filesLocked     expired files whose archive copy is still under its write-once lock (kept, tried again later)
 * @param filesBelowFloor expired files the database keeps because they are younger than its own retention floor
 * @param bytesPurged     the size of the files purged
 * @param error           why the tenant failed, or null
 */
public record ReportFilesTenantOutcome(long filesPurged, long filesWouldPurge, long filesHeld, long filesLocked,
        long filesBelowFloor, long bytesPurged, String error) implements JobOutcome.TenantOutcome {
}
