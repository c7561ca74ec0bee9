package io.stenographer.adapters.rest.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;
import io.stenographer.domain.event.AuditEvent;
import io.stenographer.domain.event.EventDraft;
import io.stenographer.domain.event.Timestamps;
import io.stenographer.domain.json.CanonicalJson;
import io.stenographer.domain.event.PersonalField;
import io.stenographer.domain.privacy.PersonalValueState;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A sealed event as returned to auditors, with its leaf hash. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "Event")
public record EventResponse(
        @Schema(enumeration = {"stenographer.event/v1", "stenographer.event/v2"}) String format,
        String id,
        String tenant,
        String receivedAt,
        String submittedBy,
        EventRequest.Actor actor,
        String action,
        EventRequest.Resource resource,
        String reason,
        String outcome,
        String occurredAt,
        EventRequest.Source source,
        String correlationId,
        @JsonRawValue @Schema(type = SchemaType.OBJECT)
        String metadata,
        String clientEventId,
        @Schema(description = "Hex SHA-256 leaf hash (RFC 6962) of the canonical sealed event")
        String leafHash,
        @Schema(description = "With ?proof=true: the event's log index, its inclusion proof and the signed "
                + "checkpoint it is proved against; 'pending' while the event awaits integration")
        Object proof,
        @Schema(description = "v2 events: the commitment (hex SHA-256) the leaf holds for each personal field")
        Map<String, String> personal,
        @Schema(description = "v2 events: each personal field as the caller may see it; revealed only to the "
                + "personal-data-reader role")
        Map<String, PersonalValueResponse> personalData) {

    public static EventResponse from(AuditEvent event) {
        return from(event, Map.of());
    }

    public static EventResponse from(AuditEvent event, Map<PersonalField, PersonalValueState> personalData) {
        EventDraft content = event.content();
        Map<String, String> commitments = new LinkedHashMap<>();
        event.personal().byField().forEach((field, hash) -> commitments.put(field.path(), hash.hex()));
        Map<String, PersonalValueResponse> shown = new LinkedHashMap<>();
        personalData.forEach((field, state) -> shown.put(field.path(), PersonalValueResponse.from(state)));
        return new EventResponse(
                event.format(),
                event.id().toString(),
                content.tenant().value(),
                Timestamps.format(event.receivedAt()),
                event.submittedBy(),
                new EventRequest.Actor(content.actor().id(), content.actor().type().wireName(),
                        content.actor().displayName()),
                content.action().value(),
                content.resource() == null ? null
                        : new EventRequest.Resource(content.resource().type(), content.resource().id()),
                content.reason(),
                content.outcome().wireName(),
                Timestamps.format(content.occurredAt()),
                new EventRequest.Source(content.source().application(), content.source().ip(),
                        content.source().userAgent()),
                content.correlationId(),
                CanonicalJson.canonicalize(content.metadata()),
                content.clientEventId(),
                event.leafHash().hex(),
                null,
                commitments.isEmpty() ? null : commitments,
                shown.isEmpty() ? null : shown);
    }

    public EventResponse withProof(Object proof) {
        return new EventResponse(format, id, tenant, receivedAt, submittedBy, actor, action, resource, reason,
                outcome, occurredAt, source, correlationId, metadata, clientEventId, leafHash, proof, personal,
                personalData);
    }
}
