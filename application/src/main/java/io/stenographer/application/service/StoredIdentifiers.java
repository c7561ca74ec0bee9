package io.stenographer.application.service;

import io.stenographer.domain.event.PersonalField;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.query.EventCriteria;
import io.stenographer.domain.report.ReportParameters;
import io.stenographer.domain.retention.HoldCriteria;

/**
 * Actor and resource identifiers as a tenant's events store them: the pseudonym where its data policy makes the
 * identifier personal, else the identifier. Every search a caller names an identifier in (queries, counts, reports,
 * holds) goes through this before it reaches a store, a log record or a self-audit event, so a personal identifier is
 * never written in clear. Given by {@link PersonalDataVault#storedForm}.
 */
@FunctionalInterface
public interface StoredIdentifiers {

    /** For tenants and tests where no identifier is personal. */
    StoredIdentifiers AS_GIVEN = (tenant, field, identifier) -> identifier;

    /** How the tenant's events store {@code identifier} at {@code field}; null stays null. */
    String of(TenantId tenant, PersonalField field, String identifier);

    /**
     * Called in the caller's transaction before it stores events of {@code tenant} naming identifiers in this form:
     * fixes the tenant's form if no event has yet, so that a later policy change is refused (docs/PRIVACY.md §1a).
     * Nothing to fix by default.
     */
    default void beforeEventsOf(TenantId tenant) {
    }

    default EventCriteria of(EventCriteria criteria) {
        return criteria.withIdentifiers(of(criteria.tenant(), PersonalField.ACTOR_ID, criteria.actorId()),
                of(criteria.tenant(), PersonalField.RESOURCE_ID, criteria.resourceId()));
    }

    default HoldCriteria of(TenantId tenant, HoldCriteria criteria) {
        return criteria.withIdentifiers(of(tenant, PersonalField.ACTOR_ID, criteria.actorId()),
                of(tenant, PersonalField.RESOURCE_ID, criteria.resourceId()));
    }

    default ReportParameters of(TenantId tenant, ReportParameters parameters) {
        return parameters.withIdentifiers(of(tenant, PersonalField.ACTOR_ID, parameters.actor()),
                of(tenant, PersonalField.RESOURCE_ID, parameters.resourceId()));
    }
}
