package io.stenographer.application.port.in;

import io.stenographer.domain.report.ReportStatus;
import java.util.UUID;

/** The report's file cannot be downloaded (yet): it is queued, running, or failed. */
public class ReportNotReady extends RuntimeException {

    private final UUID id;
    private final ReportStatus status;

    public ReportNotReady(UUID id, ReportStatus status) {
        super("report " + id + " is " + status.wireName());
        this.id = id;
        this.status = status;
    }

    public UUID id() {
        return id;
    }

    public ReportStatus status() {
        return status;
    }
}
