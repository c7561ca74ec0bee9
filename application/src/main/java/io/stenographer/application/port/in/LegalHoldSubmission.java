package io.stenographer.application.port.in;

import io.stenographer.domain.access.Caller;
import io.stenographer.domain.event.FieldViolation;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.event.Timestamps;
import io.stenographer.domain.retention.HoldCriteria;

/**
 * A legal hold as a caller wrote it, every field still text: the one reader behind the API's
 * {@code POST /api/v1/legal-holds} and the console's hold form, so both refuse the same inputs with the same
 * messages. Absent fields are null; no criterion at all holds the whole tenant.
 */
public record LegalHoldSubmission(String tenant, String actorId, String resourceType, String resourceId,
        String actionPattern, String from, String to, String caseReference, String reason) {

    /**
     * The validated command, checked in this order: tenant, from, to, the criteria (the case reference and the
     * reason are checked where the hold is built). A bad field is a {@link FieldViolation} naming it.
     */
    public PlaceLegalHoldCommand toCommand(Caller caller) {
        TenantId tenantId = RequestParameters.requiredTenant(tenant);
        HoldCriteria criteria = new HoldCriteria(actorId, resourceType, resourceId, actionPattern,
                from == null ? null : Timestamps.parse("from", from),
                to == null ? null : Timestamps.parse("to", to));
        return new PlaceLegalHoldCommand(caller, tenantId, criteria, caseReference, reason);
    }
}
