package io.stenographer.adapters.persistence;

import io.stenographer.domain.event.Action;
import io.stenographer.domain.event.Actor;
import io.stenographer.domain.event.ActorType;
import io.stenographer.domain.event.AuditEvent;
import io.stenographer.domain.event.EventDraft;
import io.stenographer.domain.event.EventId;
import io.stenographer.domain.event.Outcome;
import io.stenographer.domain.event.ResourceRef;
import io.stenographer.domain.event.SealedEvent;
import io.stenographer.domain.event.Source;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.json.CanonicalJson;
import io.stenographer.domain.json.JsonObject;
import io.stenographer.domain.json.JsonParser;

/** Maps sealed events to rows and back. Metadata is kept as its canonical JSON text. */
final class AuditEventRowMapper {

    private AuditEventRowMapper() {
    }

    static AuditEventEntity toRow(SealedEvent sealed) {
        AuditEvent event = sealed.event();
        EventDraft content = event.content();
        AuditEventEntity row = new AuditEventEntity();
        row.id = event.id().value();
        row.tenant = content.tenant().value();
        row.receivedAt = event.receivedAt();
        row.submittedBy = event.submittedBy();
        row.actorId = content.actor().id();
        row.actorType = content.actor().type().wireName();
        row.actorDisplayName = content.actor().displayName();
        row.action = content.action().value();
        if (content.resource() != null) {
            row.resourceType = content.resource().type();
            row.resourceId = content.resource().id();
        }
        row.reason = content.reason();
        row.outcome = content.outcome().wireName();
        row.occurredAt = content.occurredAt();
        row.sourceApplication = content.source().application();
        row.sourceIp = content.source().ip();
        row.sourceUserAgent = content.source().userAgent();
        row.correlationId = content.correlationId();
        row.metadata = CanonicalJson.canonicalize(content.metadata());
        row.clientEventId = content.clientEventId();
        row.leafHash = sealed.leafHash().bytes();
        return row;
    }

    static AuditEvent toDomain(AuditEventEntity row) {
        EventDraft content = new EventDraft(
                new TenantId(row.tenant),
                new Actor(row.actorId, ActorType.fromWireName("actor.type", row.actorType), row.actorDisplayName),
                new Action(row.action),
                row.resourceType == null ? null : new ResourceRef(row.resourceType, row.resourceId),
                row.reason,
                Outcome.fromWireName("outcome", row.outcome),
                row.occurredAt,
                new Source(row.sourceApplication, row.sourceIp, row.sourceUserAgent),
                row.correlationId,
                (JsonObject) JsonParser.parse(row.metadata, EventDraft.MAX_METADATA_DEPTH + 1),
                row.clientEventId);
        return AuditEvent.restore(new EventId(row.id), row.receivedAt, row.submittedBy, content);
    }
}
