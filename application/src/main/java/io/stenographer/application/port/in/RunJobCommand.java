package io.stenographer.application.port.in;

import io.stenographer.domain.access.Caller;
import io.stenographer.domain.event.TenantId;
import java.util.List;
import java.util.Objects;

/**
 * A request to run the archive or purge job: scheduled (no caller, every tenant with a log) or started by
 * hand by a caller who must be compliance admin of every tenant it names; the job checks that.
 *
 * @param caller  who started a manual run; null for a scheduled run
 * @param tenants the tenants to cover; empty means every tenant with a log (scheduled runs only)
 */
public record RunJobCommand(Caller caller, JobRun.Trigger trigger, List<TenantId> tenants, boolean dryRun) {

    public static final String SCHEDULER = "stenographer.scheduler";

    public RunJobCommand {
        Objects.requireNonNull(trigger, "trigger");
        tenants = List.copyOf(tenants);
        if ((trigger == JobRun.Trigger.MANUAL) != (caller != null)) {
            throw new IllegalArgumentException("a manual run has a caller, a scheduled run has none");
        }
        if (trigger == JobRun.Trigger.MANUAL && tenants.isEmpty()) {
            throw new IllegalArgumentException("a manual run names its tenants");
        }
    }

    public static RunJobCommand scheduled() {
        return new RunJobCommand(null, JobRun.Trigger.SCHEDULE, List.of(), false);
    }

    public static RunJobCommand manual(Caller caller, List<TenantId> tenants, boolean dryRun) {
        return new RunJobCommand(Objects.requireNonNull(caller, "caller"), JobRun.Trigger.MANUAL, tenants, dryRun);
    }

    public String requestedBy() {
        return caller == null ? SCHEDULER : caller.subject();
    }
}
