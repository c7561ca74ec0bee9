package io.stenographer.domain.retention;

import io.stenographer.domain.event.Actor;
import io.stenographer.domain.event.FieldViolation;
import io.stenographer.domain.event.ResourceRef;
import io.stenographer.domain.event.Timestamps;
import java.time.Instant;

/**
 * Which of a tenant's events a legal hold preserves. Every part is optional and the given parts must all
 * match; with none given the hold covers the whole tenant. {@code actionPattern} is exact or a prefix
 * ({@code case.*}) as in event queries; {@code from} (inclusive) and {@code to} (exclusive) bound
 * {@code occurredAt}, the time the event says the action happened, because that is how a court order
 * names a period ("everything about case 42 between March and May").
 */
public record HoldCriteria(
        String actorId,
        String resourceType,
        String resourceId,
        String actionPattern,
        Instant from,
        Instant to) {

    public static final HoldCriteria WHOLE_TENANT = new HoldCriteria(null, null, null, null, null, null);

    public HoldCriteria {
        actorId = RetentionTexts.optional("actorId", actorId, Actor.MAX_ID_LENGTH);
        resourceType = RetentionTexts.optional("resourceType", resourceType, ResourceRef.MAX_TYPE_LENGTH);
        resourceId = RetentionTexts.optional("resourceId", resourceId, ResourceRef.MAX_ID_LENGTH);
        actionPattern = ActionPatterns.canonical("actionPattern", actionPattern);
        if (from != null) {
            from = Timestamps.check("from", from);
        }
        if (to != null) {
            to = Timestamps.check("to", to);
        }
        if (from != null && to != null && !from.isBefore(to)) {
            throw new FieldViolation("to", "must be after 'from'");
        }
    }

    /** These criteria naming other actor and resource identifiers (as the events store them). */
    public HoldCriteria withIdentifiers(String actorId, String resourceId) {
        return new HoldCriteria(actorId, resourceType, resourceId, actionPattern, from, to);
    }

    public boolean matches(RetentionSubject subject) {
        return (actorId == null || actorId.equals(subject.actorId()))
                && (resourceType == null || resourceType.equals(subject.resourceType()))
                && (resourceId == null || resourceId.equals(subject.resourceId()))
                && ActionPatterns.matches(actionPattern, subject.action())
                && (from == null || !subject.occurredAt().isBefore(from))
                && (to == null || subject.occurredAt().isBefore(to));
    }

    public boolean isWholeTenant() {
        return equals(WHOLE_TENANT);
    }
}
