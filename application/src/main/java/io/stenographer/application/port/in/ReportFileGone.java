package io.stenographer.application.port.in;

import java.time.Instant;
import java.util.UUID;

/**
 * The report was generated, but its file can no longer be downloaded: it was purged at the end of its retention (its
 * record, size and SHA-256 remain), or it was never put in the shared store.
 */
public class ReportFileGone extends RuntimeException {

    private final UUID id;
    private final Instant purgedAt;

    public ReportFileGone(UUID id, Instant purgedAt, String message) {
        super(message);
        this.id = id;
        this.purgedAt = purgedAt;
    }

    public UUID id() {
        return id;
    }

    /** When the file was purged; null when it was never in the shared store. */
    public Instant purgedAt() {
        return purgedAt;
    }
}
