package io.stenographer.domain.report;

import java.util.Locale;

/** Where a report request stands. Queued and running reports count against a tenant's limit. */
public enum ReportStatus {
    QUEUED, RUNNING, SUCCEEDED, FAILED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean finished() {
        return this == SUCCEEDED || this == FAILED;
    }
}
