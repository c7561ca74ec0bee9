package io.stenographer.application.port.in;

import io.stenographer.domain.access.Caller;
import io.stenographer.domain.event.TenantId;
import java.util.Objects;

/**
 * Export an index range of a tenant's log; the export itself is recorded in that log.
 *
 * @param from first index, inclusive; null for 0
 * @param to   last index, exclusive; null for the latest checkpoint's size
 */
public record ExportLogCommand(Caller caller, TenantId tenant, Long from, Long to) {

    public ExportLogCommand {
        Objects.requireNonNull(caller, "caller");
        Objects.requireNonNull(tenant, "tenant");
    }
}
