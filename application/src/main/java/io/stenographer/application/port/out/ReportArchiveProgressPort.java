package io.stenographer.application.port.out;

import io.stenographer.domain.event.TenantId;
import java.time.Duration;

/** Where the archive job reports its progress per tenant (metrics, in production). */
public interface ReportArchiveProgressPort {

    /** The age of the oldest event past its archive date that is not archived yet. */
    void lag(TenantId tenant, Duration lag);

    void archived(TenantId tenant, long events);
}
