package io.stenographer.application.port.out;

import io.stenographer.domain.event.TenantId;

/** Where the purge job reports the events it removed from the hot store (a metric, in production). */
public interface ReportPurgeProgressPort {

    void purged(TenantId tenant, long events);
}
