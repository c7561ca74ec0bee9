package io.stenographer.domain.event;

import io.stenographer.domain.json.JsonObject;
import io.stenographer.domain.json.JsonString;
import io.stenographer.domain.json.JsonValue;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The JSON shape of a sealed event (format {@value #FORMAT}, or {@value #FORMAT_V2} when it commits to personal
 * values), documented in docs/FORMATS.md. Absent
 * optional fields are omitted, never written as null, so one event has exactly one canonical form.
 */
public final class SealedEventFormat {

    public static final String FORMAT = "stenographer.event/v1";
    /** An event whose personal values are committed to in its {@code personal} member. */
    public static final String FORMAT_V2 = "stenographer.event/v2";

    private static final Set<String> TOP_LEVEL = Set.of("format", "id", "receivedAt", "submittedBy", "tenant",
            "actor", "action", "resource", "reason", "outcome", "occurredAt", "source", "correlationId", "metadata",
            "clientEventId", "personal");

    private SealedEventFormat() {
    }

    public static JsonObject toJson(AuditEvent event) {
        Map<String, JsonValue> members = new LinkedHashMap<>();
        members.put("format", new JsonString(event.format()));
        members.put("id", new JsonString(event.id().toString()));
        members.put("receivedAt", new JsonString(Timestamps.format(event.receivedAt())));
        members.put("submittedBy", new JsonString(event.submittedBy()));
        members.putAll(clientFields(event.content()).members());
        if (!event.personal().isEmpty()) {
            members.put("personal", event.personal().toJson());
        }
        return new JsonObject(members);
    }

    /** The fields a client supplied, in the same shape as the sealed form. */
    public static JsonObject clientFields(EventDraft draft) {
        Map<String, JsonValue> members = new LinkedHashMap<>();
        members.put("tenant", new JsonString(draft.tenant().value()));
        Map<String, JsonValue> actor = new LinkedHashMap<>();
        actor.put("id", new JsonString(draft.actor().id()));
        actor.put("type", new JsonString(draft.actor().type().wireName()));
        putIfPresent(actor, "displayName", draft.actor().displayName());
        members.put("actor", new JsonObject(actor));
        members.put("action", new JsonString(draft.action().value()));
        if (draft.resource() != null) {
            members.put("resource", new JsonObject(Map.of(
                    "type", new JsonString(draft.resource().type()),
                    "id", new JsonString(draft.resource().id()))));
        }
        putIfPresent(members, "reason", draft.reason());
        members.put("outcome", new JsonString(draft.outcome().wireName()));
        members.put("occurredAt", new JsonString(Timestamps.format(draft.occurredAt())));
        Map<String, JsonValue> source = new LinkedHashMap<>();
        source.put("application", new JsonString(draft.source().application()));
        putIfPresent(source, "ip", draft.source().ip());
        putIfPresent(source, "userAgent", draft.source().userAgent());
        members.put("source", new JsonObject(source));
        putIfPresent(members, "correlationId", draft.correlationId());
        members.put("metadata", draft.metadata());
        putIfPresent(members, "clientEventId", draft.clientEventId());
        return new JsonObject(members);
    }

    /**
     * Reads a sealed event of either format back, e.g. from an export bundle; unknown members are rejected, and
     * so is a {@code personal} member in v1 or its absence in v2, so the format named is the format hashed.
     */
    public static AuditEvent fromJson(JsonObject json) {
        for (String name : json.members().keySet()) {
            if (!TOP_LEVEL.contains(name)) {
                throw new FieldViolation(name, "is not a field of " + FORMAT);
            }
        }
        String format = string(json, "format", true);
        if (!FORMAT.equals(format) && !FORMAT_V2.equals(format)) {
            throw new FieldViolation("format", "must be " + FORMAT + " or " + FORMAT_V2);
        }
        JsonObject personalJson = object(json, "personal", FORMAT_V2.equals(format));
        if (FORMAT.equals(format) && personalJson != null) {
            throw new FieldViolation("personal", "is not a field of " + FORMAT);
        }
        Commitments personal = personalJson == null ? Commitments.NONE : Commitments.fromJson(personalJson);
        JsonObject actor = object(json, "actor", true);
        JsonObject resource = object(json, "resource", false);
        JsonObject source = object(json, "source", true);
        JsonValue metadata = json.get("metadata");
        if (metadata != null && !(metadata instanceof JsonObject)) {
            throw new FieldViolation("metadata", "must be a JSON object");
        }
        EventDraft draft = new EventDraft(
                new TenantId(string(json, "tenant", true)),
                new Actor(string(actor, "actor.id", "id", true),
                        ActorType.fromWireName("actor.type", string(actor, "actor.type", "type", true)),
                        string(actor, "actor.displayName", "displayName", false)),
                new Action(string(json, "action", true)),
                resource == null ? null : new ResourceRef(string(resource, "resource.type", "type", true),
                        string(resource, "resource.id", "id", true)),
                string(json, "reason", false),
                Outcome.fromWireName("outcome", string(json, "outcome", true)),
                Timestamps.parse("occurredAt", string(json, "occurredAt", true)),
                new Source(string(source, "source.application", "application", true),
                        string(source, "source.ip", "ip", false),
                        string(source, "source.userAgent", "userAgent", false)),
                string(json, "correlationId", false),
                (JsonObject) metadata,
                string(json, "clientEventId", false));
        return AuditEvent.restore(EventId.parse(string(json, "id", true)),
                Timestamps.parse("receivedAt", string(json, "receivedAt", true)),
                string(json, "submittedBy", true), draft, personal);
    }

    private static void putIfPresent(Map<String, JsonValue> members, String name, String value) {
        if (value != null) {
            members.put(name, new JsonString(value));
        }
    }

    private static String string(JsonObject json, String name, boolean required) {
        return string(json, name, name, required);
    }

    private static String string(JsonObject json, String path, String name, boolean required) {
        JsonValue value = json.get(name);
        if (value == null) {
            if (required) {
                throw new FieldViolation(path, "is required");
            }
            return null;
        }
        if (value instanceof JsonString text) {
            return text.value();
        }
        throw new FieldViolation(path, "must be a string");
    }

    private static JsonObject object(JsonObject json, String name, boolean required) {
        JsonValue value = json.get(name);
        if (value == null) {
            if (required) {
                throw new FieldViolation(name, "is required");
            }
            return null;
        }
        if (value instanceof JsonObject object) {
            return object;
        }
        throw new FieldViolation(name, "must be a JSON object");
    }
}
