package io.stenographer.adapters.persistence;

import io.stenographer.domain.event.AuditEvent;
import io.stenographer.domain.event.EventDraft;
import io.stenographer.domain.event.SealedEvent;
import io.stenographer.domain.event.StoredEventFields;
import io.stenographer.domain.json.CanonicalJson;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;

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
        row.personal = event.personal().canonicalTextOrNull();
        row.leafHash = sealed.leafHash().bytes();
        return row;
    }

    static AuditEvent toDomain(AuditEventEntity row) {
        return new StoredEventFields(row.id, row.tenant, row.receivedAt, row.submittedBy, row.actorId, row.actorType,
                row.actorDisplayName, row.action, row.resourceType, row.resourceId, row.reason, row.outcome,
                row.occurredAt, row.sourceApplication, row.sourceIp, row.sourceUserAgent, row.correlationId,
                row.metadata, row.clientEventId, row.personal).restore();
    }

    /** Columns read by {@link #fromColumns}, in order, for plain-JDBC readers of the same table. */
    static final String COLUMNS = "e.id, e.tenant, e.received_at, e.submitted_by, e.actor_id, e.actor_type, "
            + "e.actor_display_name, e.action, e.resource_type, e.resource_id, e.reason, e.outcome, e.occurred_at, "
            + "e.source_application, e.source_ip, e.source_user_agent, e.correlation_id, e.metadata, e.client_event_id, "
            + "e.personal";

    /** Reads the {@link #COLUMNS} starting at column {@code first}, without going through an entity. */
    static AuditEvent fromColumns(ResultSet rs, int first) throws SQLException {
        AuditEventEntity row = new AuditEventEntity();
        int c = first;
        row.id = rs.getObject(c++, UUID.class);
        row.tenant = rs.getString(c++);
        row.receivedAt = rs.getTimestamp(c++).toInstant();
        row.submittedBy = rs.getString(c++);
        row.actorId = rs.getString(c++);
        row.actorType = rs.getString(c++);
        row.actorDisplayName = rs.getString(c++);
        row.action = rs.getString(c++);
        row.resourceType = rs.getString(c++);
        row.resourceId = rs.getString(c++);
        row.reason = rs.getString(c++);
        row.outcome = rs.getString(c++);
        row.occurredAt = rs.getTimestamp(c++).toInstant();
        row.sourceApplication = rs.getString(c++);
        row.sourceIp = rs.getString(c++);
        row.sourceUserAgent = rs.getString(c++);
        row.correlationId = rs.getString(c++);
        row.metadata = rs.getString(c++);
        row.clientEventId = rs.getString(c++);
        row.personal = rs.getString(c);
        return toDomain(row);
    }
}
