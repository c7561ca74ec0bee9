package io.stenographer.application.port.in;

import io.stenographer.domain.retention.HoldId;

/** No legal hold with this id is visible to the caller (missing, or of a tenant it may not read). */
public class LegalHoldNotFound extends RuntimeException {

    private final HoldId id;

    public LegalHoldNotFound(HoldId id) {
        super("no legal hold " + id);
        this.id = id;
    }

    public HoldId id() {
        return id;
    }
}
