package io.stenographer.application.port.in;

import java.util.UUID;

/** No report with this id is visible to the caller (missing, or of a tenant it may not read). */
public class ReportNotFound extends RuntimeException {

    private final UUID id;

    public ReportNotFound(UUID id) {
        super("no report " + id);
        this.id = id;
    }

    public UUID id() {
        return id;
    }
}
