package io.stenographer.adapters.rest.events;

import com.fasterxml.jackson.databind.JsonNode;
import io.stenographer.domain.access.Caller;
import io.stenographer.domain.event.Action;
import io.stenographer.domain.event.Actor;
import io.stenographer.domain.event.ActorType;
import io.stenographer.domain.event.EventDraft;
import io.stenographer.domain.event.FieldViolation;
import io.stenographer.domain.event.MetadataNumbers;
import io.stenographer.domain.event.Outcome;
import io.stenographer.domain.event.ResourceRef;
import io.stenographer.domain.event.Source;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.event.Timestamps;
import io.stenographer.domain.json.JsonArray;
import io.stenographer.domain.json.JsonBoolean;
import io.stenographer.domain.json.JsonNull;
import io.stenographer.domain.json.JsonObject;
import io.stenographer.domain.json.JsonString;
import io.stenographer.domain.json.JsonValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Maps the wire shape of an event to a validated domain draft. */
final class EventRequestMapper {

    // Deeper than the domain limit, so the domain reports the depth rule itself; shallower than the stack.
    private static final int CONVERSION_DEPTH_GUARD = 64;

    private EventRequestMapper() {
    }

    static EventDraft toDraft(EventRequest request, Caller caller) {
        if (request.actor() == null) {
            throw new FieldViolation("actor", "is required");
        }
        if (request.source() == null) {
            throw new FieldViolation("source", "is required");
        }
        return new EventDraft(
                tenant(request.tenant(), caller),
                new Actor(request.actor().id(), ActorType.fromWireName("actor.type", request.actor().type()),
                        request.actor().displayName()),
                new Action(request.action()),
                request.resource() == null ? null
                        : new ResourceRef(request.resource().type(), request.resource().id()),
                request.reason(),
                Outcome.fromWireName("outcome", request.outcome()),
                Timestamps.parse("occurredAt", request.occurredAt()),
                new Source(request.source().application(), request.source().ip(), request.source().userAgent()),
                request.correlationId(),
                metadata(request.metadata()),
                request.clientEventId());
    }

    /** The named tenant, or the caller's only tenant when none is named. */
    static TenantId tenant(String tenant, Caller caller) {
        return caller.namedOrOnlyTenant(tenant);
    }

    private static JsonObject metadata(JsonNode node) {
        if (node == null || node.isNull()) {
            return JsonObject.EMPTY;
        }
        if (!node.isObject()) {
            throw new FieldViolation("metadata", "must be a JSON object");
        }
        return (JsonObject) toJsonValue(node, "metadata", 0);
    }

    private static JsonValue toJsonValue(JsonNode node, String path, int depth) {
        if (depth > CONVERSION_DEPTH_GUARD) {
            throw new FieldViolation("metadata", "must be nested at most " + EventDraft.MAX_METADATA_DEPTH
                    + " levels deep");
        }
        switch (node.getNodeType()) {
            case OBJECT -> {
                Map<String, JsonValue> members = new LinkedHashMap<>();
                for (Map.Entry<String, JsonNode> field : node.properties()) {
                    members.put(field.getKey(), toJsonValue(field.getValue(), path + "." + field.getKey(), depth + 1));
                }
                return new JsonObject(members);
            }
            case ARRAY -> {
                List<JsonValue> elements = new ArrayList<>(node.size());
                for (int i = 0; i < node.size(); i++) {
                    elements.add(toJsonValue(node.get(i), path + "[" + i + "]", depth + 1));
                }
                return new JsonArray(elements);
            }
            case STRING -> {
                try {
                    return new JsonString(node.textValue());
                } catch (IllegalArgumentException e) {
                    throw new FieldViolation(path, e.getMessage());
                }
            }
            case NUMBER -> {
                return MetadataNumbers.exact(path, node.decimalValue(), node.isIntegralNumber());
            }
            case BOOLEAN -> {
                return JsonBoolean.of(node.booleanValue());
            }
            case NULL -> {
                return JsonNull.INSTANCE;
            }
            default -> throw new FieldViolation(path, "is not a JSON value");
        }
    }
}
