package io.stenographer.application.port.in;

import io.stenographer.domain.event.TenantId;

/** The tenant already has as many queued or running reports as allowed. */
public class TooManyReports extends RuntimeException {

    private final TenantId tenant;
    private final int limit;

    public TooManyReports(TenantId tenant, int limit) {
        super("tenant '" + tenant + "' already has " + limit + " reports queued or running; wait for one to finish");
        this.tenant = tenant;
        this.limit = limit;
    }

    public TenantId tenant() {
        return tenant;
    }

    public int limit() {
        return limit;
    }
}
