package io.stenographer.application.port.in;

import io.stenographer.domain.access.Caller;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.retention.HoldCriteria;
import java.util.Objects;

/** Place a hold on the tenant's events matching {@code criteria}; {@code caseReference} may be null. */
public record PlaceLegalHoldCommand(Caller caller, TenantId tenant, HoldCriteria criteria, String caseReference,
        String reason) {

    public PlaceLegalHoldCommand {
        Objects.requireNonNull(caller, "caller");
        Objects.requireNonNull(tenant, "tenant");
        criteria = criteria == null ? HoldCriteria.WHOLE_TENANT : criteria;
    }
}
