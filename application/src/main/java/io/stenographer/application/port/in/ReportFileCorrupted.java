package io.stenographer.application.port.in;

import java.util.UUID;

/**
 * The stored bytes of a report's file do not match the SHA-256 recorded when it was generated (or are missing from the
 * store that should hold them): the file was changed or damaged in storage. Nothing of it is served.
 */
public class ReportFileCorrupted extends RuntimeException {

    private final UUID id;

    public ReportFileCorrupted(UUID id, String message) {
        super(message);
        this.id = id;
    }

    public UUID id() {
        return id;
    }
}
