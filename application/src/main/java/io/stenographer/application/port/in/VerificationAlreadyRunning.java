package io.stenographer.application.port.in;

import io.stenographer.domain.event.TenantId;

/**
 * A verification of the tenant's log is already running on this instance. Each run rereads the log and holds
 * database connections for its length, so runs of one log do not pile up: the caller tries again later.
 */
public class VerificationAlreadyRunning extends RuntimeException {

    private final TenantId tenant;

    public VerificationAlreadyRunning(TenantId tenant) {
        super("a verification of log '" + tenant + "' is already running; its result will be in the list of runs");
        this.tenant = tenant;
    }

    public TenantId tenant() {
        return tenant;
    }
}
