package io.stenographer.domain.retention;

import io.stenographer.domain.event.AuditEvent;
import io.stenographer.domain.event.TenantId;
import java.time.Instant;
import java.util.Objects;

/**
 * What retention rules need to know about one event: enough to match policies and holds and to compute
 * its dates. Built from a hot event ({@link #of}) or from an archived event's index row, so the same rules
 * apply in both places. {@code resourceType} and {@code resourceId} are null for events without a resource.
 */
public record RetentionSubject(
        TenantId tenant,
        String actorId,
        String action,
        String resourceType,
        String resourceId,
        Instant occurredAt,
        Instant receivedAt) {

    public RetentionSubject {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(actorId, "actorId");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(receivedAt, "receivedAt");
        if (resourceType == null && resourceId != null || resourceType != null && resourceId == null) {
            throw new IllegalArgumentException("resourceType and resourceId are both present or both absent");
        }
    }

    public static RetentionSubject of(AuditEvent e) {
        var content = e.content();
        return new RetentionSubject(e.tenant(), content.actor().id(), content.action().value(),
                content.resource() == null ? null : content.resource().type(),
                content.resource() == null ? null : content.resource().id(),
                content.occurredAt(), e.receivedAt());
    }
}
