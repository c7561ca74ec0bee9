package io.stenographer.client;

import io.stenographer.domain.event.Action;
import io.stenographer.domain.event.ActorType;
import io.stenographer.domain.event.Actor;
import io.stenographer.domain.event.EventDraft;
import io.stenographer.domain.event.FieldViolation;
import io.stenographer.domain.event.MetadataNumbers;
import io.stenographer.domain.event.Outcome;
import io.stenographer.domain.event.ResourceRef;
import io.stenographer.domain.event.Source;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.event.Timestamps;
import io.stenographer.domain.json.CanonicalJson;
import io.stenographer.domain.json.JsonArray;
import io.stenographer.domain.json.JsonBoolean;
import io.stenographer.domain.json.JsonNull;
import io.stenographer.domain.json.JsonNumber;
import io.stenographer.domain.json.JsonObject;
import io.stenographer.domain.json.JsonString;
import io.stenographer.domain.json.JsonValue;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns an application's {@link Event} into the domain's validated draft, exactly as the server would read it. */
final class EventDrafts {

    private EventDrafts() {
    }

    /**
     * @throws InvalidEventException with the field and message the server would give
     */
    static EventDraft draft(Event event, TenantId tenant, String application, Instant now, String clientEventId) {
        try {
            Instant occurredAt = event.occurredAt != null ? event.occurredAt : Timestamps.truncate(now);
            ResourceRef resource = event.resourceType == null && event.resourceId == null ? null
                    : new ResourceRef(event.resourceType, event.resourceId);
            return new EventDraft(tenant,
                    new Actor(event.actorId, ActorType.fromWireName("actor.type", event.actorType.wireName),
                            event.actorDisplayName),
                    event.action == null ? null : new Action(event.action),
                    resource,
                    event.reason,
                    Outcome.fromWireName("outcome", event.outcome.wireName),
                    occurredAt,
                    new Source(application, event.sourceIp, event.userAgent),
                    event.correlationId,
                    event.metadata == null ? null : (JsonObject) json(event.metadata, "metadata", 0),
                    clientEventId);
        } catch (FieldViolation e) {
            throw new InvalidEventException(e.field(), e.detail());
        }
    }

    private static JsonValue json(Object value, String path, int depth) {
        if (depth > EventDraft.MAX_METADATA_DEPTH) {
            throw new FieldViolation("metadata", "must be nested at most " + EventDraft.MAX_METADATA_DEPTH
                    + " levels deep");
        }
        if (value == null) {
            return JsonNull.INSTANCE;
        }
        if (value instanceof String s) {
            return new JsonString(s);
        }
        if (value instanceof Boolean b) {
            return JsonBoolean.of(b);
        }
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte
                || value instanceof BigInteger) {
            return MetadataNumbers.exact(path, new BigDecimal(value.toString()), true);
        }
        if (value instanceof BigDecimal d) {
            return MetadataNumbers.exact(path, d, false);
        }
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new FieldViolation(path, "must be a finite number");
            }
            // Judged as the service reads it: by its canonical text, so 1e18 (written 1000000000000000000) is an
            // integer beyond 2^53 here too.
            String text = CanonicalJson.formatNumber(d);
            return MetadataNumbers.exact(path, new BigDecimal(text), text.indexOf('.') < 0 && text.indexOf('e') < 0);
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, JsonValue> members = new LinkedHashMap<>();
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                if (!(entry.getKey() instanceof String key)) {
                    throw new FieldViolation(path, "must have string keys");
                }
                members.put(key, json(entry.getValue(), path + "." + key, depth + 1));
            }
            return new JsonObject(members);
        }
        if (value instanceof Collection<?> list) {
            List<JsonValue> elements = new ArrayList<>();
            int i = 0;
            for (Object element : list) {
                elements.add(json(element, path + "[" + i++ + "]", depth + 1));
            }
            return new JsonArray(elements);
        }
        throw new FieldViolation(path, "must be a string, number, boolean, null, list or map, not "
                + value.getClass().getSimpleName());
    }
}
