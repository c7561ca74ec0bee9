package io.stenographer.domain.query;

import io.stenographer.domain.event.FieldViolation;
import io.stenographer.domain.event.Outcome;
import io.stenographer.domain.event.TenantId;
import java.time.Instant;

/**
 * Filters over one tenant's events; null means "any". {@code from} is inclusive and {@code to}
 * exclusive, both on {@code occurredAt}.
 */
public record EventCriteria(
        TenantId tenant,
        String actorId,
        ActionFilter action,
        String resourceType,
        String resourceId,
        Outcome outcome,
        Instant from,
        Instant to,
        String sourceApplication,
        String correlationId) {

    private static final int MAX_FILTER_LENGTH = 256;

    public EventCriteria {
        if (tenant == null) {
            throw new FieldViolation("tenant", "is required");
        }
        checkLength("actor", actorId);
        checkLength("resourceType", resourceType);
        checkLength("resourceId", resourceId);
        checkLength("sourceApplication", sourceApplication);
        checkLength("correlationId", correlationId);
        if (from != null && to != null && !from.isBefore(to)) {
            throw new FieldViolation("from", "must be before 'to'");
        }
    }

    /** These criteria searching for other actor and resource identifiers (as the events store them). */
    public EventCriteria withIdentifiers(String actorId, String resourceId) {
        return new EventCriteria(tenant, actorId, action, resourceType, resourceId, outcome, from, to,
                sourceApplication, correlationId);
    }

    public static EventCriteria allOf(TenantId tenant) {
        return new EventCriteria(tenant, null, null, null, null, null, null, null, null, null);
    }

    private static void checkLength(String field, String value) {
        if (value != null && (value.isBlank() || value.length() > MAX_FILTER_LENGTH)) {
            throw new FieldViolation(field, "must be 1-" + MAX_FILTER_LENGTH + " characters");
        }
    }
}
