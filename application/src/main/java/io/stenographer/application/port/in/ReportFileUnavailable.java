package io.stenographer.application.port.in;

import java.util.UUID;

/** The store holding a report's file could not be read just now (the archive store is unreachable); retry later. */
public class ReportFileUnavailable extends RuntimeException {

    private final UUID id;

    public ReportFileUnavailable(UUID id, String message, Throwable cause) {
        super(message, cause);
        this.id = id;
    }

    public UUID id() {
        return id;
    }
}
