package io.stenographer.domain.report;

/** Where a report request stands. Queued and running reports count against a tenant's limit. */
public enum ReportStatus {
    QUEUED, RUNNING, SUCCEEDED, FAILED;

    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public boolean finished() {
        return this == SUCCEEDED || this == FAILED;
    }
}
