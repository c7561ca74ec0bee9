package io.stenographer.domain.event;

import io.stenographer.domain.json.CanonicalJson;
import io.stenographer.domain.json.JsonObject;
import io.stenographer.domain.json.JsonParser;
import java.time.Instant;
import java.util.UUID;

/**
 * The sealed fields of one event exactly as storage returns them, not yet checked: any of them may have been altered
 * into something no valid event holds. Optional fields are null when absent; {@code metadata} is the stored
 * canonical JSON text, and so is {@code personal}, the commitments of a v2 event (null for v1).
 * {@link SealedEventBytes} writes its leaf input without rebuilding the event; {@link #restore} rebuilds and
 * validates it.
 */
public record StoredEventFields(UUID id, String tenant, Instant receivedAt, String submittedBy, String actorId,
        String actorType, String actorDisplayName, String action, String resourceType, String resourceId,
        String reason, String outcome, Instant occurredAt, String sourceApplication, String sourceIp,
        String sourceUserAgent, String correlationId, String metadata, String clientEventId, String personal) {

    /** The fields of a v1 event, which commits to nothing. */
    public StoredEventFields(UUID id, String tenant, Instant receivedAt, String submittedBy, String actorId,
            String actorType, String actorDisplayName, String action, String resourceType, String resourceId,
            String reason, String outcome, Instant occurredAt, String sourceApplication, String sourceIp,
            String sourceUserAgent, String correlationId, String metadata, String clientEventId) {
        this(id, tenant, receivedAt, submittedBy, actorId, actorType, actorDisplayName, action, resourceType,
                resourceId, reason, outcome, occurredAt, sourceApplication, sourceIp, sourceUserAgent, correlationId,
                metadata, clientEventId, null);
    }

    /** The fields an event is stored as: metadata as its canonical JSON text. */
    public static StoredEventFields of(AuditEvent event) {
        EventDraft content = event.content();
        return new StoredEventFields(event.id().value(), content.tenant().value(), event.receivedAt(),
                event.submittedBy(), content.actor().id(), content.actor().type().wireName(),
                content.actor().displayName(), content.action().value(),
                content.resource() == null ? null : content.resource().type(),
                content.resource() == null ? null : content.resource().id(), content.reason(),
                content.outcome().wireName(), content.occurredAt(), content.source().application(),
                content.source().ip(), content.source().userAgent(), content.correlationId(),
                CanonicalJson.canonicalize(content.metadata()), content.clientEventId(),
                event.personal().canonicalTextOrNull());
    }

    /**
     * Rebuilds the event, checking every field.
     *
     * @throws IllegalArgumentException   when a field holds what no valid event holds
     * @throws ClassCastException         when the metadata or the commitments are JSON but not an object
     * @throws NullPointerException       when the metadata is missing
     */
    public AuditEvent restore() {
        EventDraft content = new EventDraft(
                new TenantId(tenant),
                new Actor(actorId, ActorType.fromWireName("actor.type", actorType), actorDisplayName),
                new Action(action),
                resourceType == null ? null : new ResourceRef(resourceType, resourceId),
                reason,
                Outcome.fromWireName("outcome", outcome),
                occurredAt,
                new Source(sourceApplication, sourceIp, sourceUserAgent),
                correlationId,
                (JsonObject) JsonParser.parse(metadata, EventDraft.MAX_METADATA_DEPTH + 1),
                clientEventId);
        Commitments commitments = personal == null ? Commitments.NONE
                : Commitments.fromJson((JsonObject) JsonParser.parse(personal, 2));
        return AuditEvent.restore(new EventId(id), receivedAt, submittedBy, content, commitments);
    }
}
