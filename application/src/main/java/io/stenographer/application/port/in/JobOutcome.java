package io.stenographer.application.port.in;

import io.stenographer.domain.event.TenantId;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a job run did, as far as it got: each tenant's outcome, the events the whole run moved, and the
 * exception that ended it. A field is null where the run never got that far (no tenant was reached, the
 * run did not finish its tenants, it did not fail).
 *
 * @param tenants     per tenant in the order they ran, or null when the run stopped before any tenant
 * @param eventsTotal events archived (archive job) or purged (purge job), or report files purged (report-file
 *                    purge), over all tenants, or null
 * @param failedWith  the simple name of the exception that ended the run, or null
 */
public record JobOutcome(Map<TenantId, TenantOutcome> tenants, Long eventsTotal, String failedWith) {

    /** A run that has not done anything yet, or was skipped. */
    public static final JobOutcome NONE = new JobOutcome(null, null, null);

    /** One tenant's part of a run; which kind depends on the job. */
    public sealed interface TenantOutcome permits ArchiveTenantOutcome, PurgeTenantOutcome,
            ReportFilesTenantOutcome {
        /** Why this tenant failed, or null. */
        String error();
    }

    /** Log indices {@code first} to {@code last}, both included. */
    public record IndexRange(long first, long last) {
    }

    public JobOutcome {
        tenants = tenants == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(tenants));
    }

    /** This outcome with the name of the exception that ended the run, unless one is recorded already. */
    public JobOutcome failedWith(String exception) {
        return failedWith != null ? this : new JobOutcome(tenants, eventsTotal, exception);
    }

    /**
     * The part a caller who may see only {@code visible} of the run's tenants may see: those tenants'
     * outcomes, and nothing about the run as a whole (its totals and failure span the others).
     */
    public JobOutcome onlyFor(List<TenantId> visible) {
        if (tenants == null) {
            return NONE;
        }
        Map<TenantId, TenantOutcome> mine = new LinkedHashMap<>();
        tenants.forEach((tenant, outcome) -> {
            if (visible.contains(tenant)) {
                mine.put(tenant, outcome);
            }
        });
        return new JobOutcome(mine, null, null);
    }
}
