package io.stenographer.domain.retention;

import io.stenographer.domain.event.FieldViolation;
import io.stenographer.domain.event.TenantId;
import java.util.Map;
import java.util.Objects;

/**
 * The shortest {@code retainFor} a tenant policy may have. It comes from configuration only, globally and per
 * tenant (a tenant's own minimum replaces the global one), so no API caller, however privileged, can lower it.
 */
public record RetentionFloor(RetentionPeriod global, Map<TenantId, RetentionPeriod> perTenant) {

    public RetentionFloor {
        Objects.requireNonNull(global, "global");
        perTenant = Map.copyOf(perTenant);
    }

    public RetentionPeriod minimumFor(TenantId tenant) {
        return perTenant.getOrDefault(tenant, global);
    }

    /** Throws a violation of {@code retainFor} when the period is below the tenant's minimum. */
    public void check(TenantId tenant, RetentionPeriod retainFor) {
        RetentionPeriod minimum = minimumFor(tenant);
        if (retainFor.isShorterOnSomeDayThan(minimum)) {
            throw new FieldViolation("retainFor", "must be at least " + minimum.iso()
                    + ", the configured minimum retention for tenant " + tenant + "; was " + retainFor.iso());
        }
    }
}
