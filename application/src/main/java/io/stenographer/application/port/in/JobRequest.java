package io.stenographer.application.port.in;

import io.stenographer.domain.access.Caller;
import io.stenographer.domain.access.Role;
import io.stenographer.domain.event.TenantId;
import java.util.List;
import java.util.Objects;

/**
 * A request to run the archive or purge job.
 *
 * @param tenants the tenants to cover; empty means every tenant with a log (scheduled runs only)
 */
public record JobRequest(String requestedBy, JobRun.Trigger trigger, List<TenantId> tenants, boolean dryRun) {

    public static final String SCHEDULER = "stenographer.scheduler";

    public JobRequest {
        Objects.requireNonNull(requestedBy, "requestedBy");
        Objects.requireNonNull(trigger, "trigger");
        tenants = List.copyOf(tenants);
        if (trigger == JobRun.Trigger.MANUAL && tenants.isEmpty()) {
            throw new IllegalArgumentException("a manual run names its tenants");
        }
    }

    public static JobRequest scheduled() {
        return new JobRequest(SCHEDULER, JobRun.Trigger.SCHEDULE, List.of(), false);
    }

    /** A hand-started run; only a compliance admin of every named tenant may start it. */
    public static JobRequest manual(Caller caller, List<TenantId> tenants, boolean dryRun) {
        tenants.forEach(tenant -> caller.require(Role.COMPLIANCE_ADMIN, tenant));
        return new JobRequest(caller.subject(), JobRun.Trigger.MANUAL, tenants, dryRun);
    }
}
