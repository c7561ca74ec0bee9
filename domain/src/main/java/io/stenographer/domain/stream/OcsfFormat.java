package io.stenographer.domain.stream;

import io.stenographer.domain.event.ActorType;
import io.stenographer.domain.event.AuditEvent;
import io.stenographer.domain.event.Outcome;
import io.stenographer.domain.json.JsonArray;
import io.stenographer.domain.json.JsonNumber;
import io.stenographer.domain.json.JsonObject;
import io.stenographer.domain.json.JsonString;
import io.stenographer.domain.json.JsonValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Event records as OCSF {@value #OCSF_VERSION} JSON (docs/STREAMING.md has the mapping table). The integrity
 * fields and the sealed event itself travel in {@code unmapped.stenographer}, so a receiver (and
 * {@link StreamVerifier}) can recompute the leaf hash and check the mapped fields against it.
 */
public final class OcsfFormat {

    public static final String OCSF_VERSION = "1.3.0";
    public static final String PRODUCT = "Stenographer";

    private OcsfFormat() {
    }

    /** The OCSF object of an event record, its class picked by the tenant's mapping. */
    public static JsonObject toOcsf(StreamRecord record, OcsfMapping mapping) {
        Objects.requireNonNull(mapping, "mapping");
        AuditEvent event = StreamEvents.leafOf(record.event()).event();
        String action = event.content().action().value();
        OcsfClass ocsfClass = mapping.classOf(action);
        int activityId = ocsfClass.activityId(action);
        Outcome outcome = event.content().outcome();
        Map<String, JsonValue> out = new LinkedHashMap<>();
        out.put("class_uid", number(ocsfClass.classUid()));
        out.put("class_name", new JsonString(ocsfClass.className()));
        out.put("category_uid", number(ocsfClass.categoryUid()));
        out.put("category_name", new JsonString(ocsfClass.categoryName()));
        out.put("activity_id", number(activityId));
        out.put("activity_name", new JsonString(ocsfClass.activityName(activityId)));
        out.put("type_uid", number(ocsfClass.classUid() * 100L + activityId));
        out.put("type_name", new JsonString(ocsfClass.className() + ": " + ocsfClass.activityName(activityId)));
        out.put("time", number(event.content().occurredAt().toEpochMilli()));
        out.put("severity_id", number(severityId(outcome)));
        out.put("severity", new JsonString(switch (outcome) {
            case SUCCESS -> "Informational";
            case FAILURE -> "Low";
            case DENIED -> "Medium";
        }));
        out.put("status_id", number(statusId(outcome)));
        out.put("status", new JsonString(outcome == Outcome.SUCCESS ? "Success" : "Failure"));
        if (outcome == Outcome.DENIED) {
            out.put("status_detail", new JsonString("denied"));
        }
        if (event.content().reason() != null) {
            out.put("message", new JsonString(event.content().reason()));
        }
        Map<String, JsonValue> metadata = new LinkedHashMap<>();
        metadata.put("version", new JsonString(OCSF_VERSION));
        metadata.put("product", object("name", new JsonString(PRODUCT), "vendor_name", new JsonString(PRODUCT)));
        metadata.put("uid", new JsonString(event.id().toString()));
        metadata.put("log_name", new JsonString(event.tenant().value()));
        metadata.put("logged_time", number(event.receivedAt().toEpochMilli()));
        if (event.content().correlationId() != null) {
            metadata.put("correlation_uid", new JsonString(event.content().correlationId()));
        }
        out.put("metadata", new JsonObject(metadata));
        JsonObject user = user(event);
        out.put("actor", object("user", user, "app_name", new JsonString(event.content().source().application())));
        if (ocsfClass == OcsfClass.API_ACTIVITY) {
            out.put("api", object("operation", new JsonString(action), "service",
                    object("name", new JsonString(event.content().source().application()))));
        } else if (ocsfClass == OcsfClass.AUTHENTICATION) {
            out.put("user", user);
        } else {
            out.put("user", event.content().resource() == null ? user
                    : object("uid", new JsonString(event.content().resource().id())));
        }
        String ip = event.content().source().ip();
        out.put("src_endpoint", ip != null ? object("ip", new JsonString(ip))
                : object("name", new JsonString(event.content().source().application())));
        if (event.content().source().userAgent() != null) {
            out.put("http_request", object("user_agent", new JsonString(event.content().source().userAgent())));
        }
        if (event.content().resource() != null) {
            out.put("resources", new JsonArray(List.of(object("uid", new JsonString(event.content().resource().id()),
                    "type", new JsonString(event.content().resource().type())))));
        }
        Map<String, JsonValue> stenographer = new LinkedHashMap<>();
        stenographer.put("index", new JsonNumber(record.index()));
        stenographer.put("leafHash", new JsonString(record.leafHash().hex()));
        stenographer.put("tenant", new JsonString(record.tenant()));
        stenographer.put("eventId", new JsonString(event.id().toString()));
        stenographer.put("event", record.event());
        out.put("unmapped", object("stenographer", new JsonObject(stenographer)));
        return new JsonObject(out);
    }

    /** An OCSF event read back: the record it carries, and every mapped field that disagrees with its event. */
    public record Read(StreamRecord record, List<String> mismatches) {
        public Read {
            mismatches = List.copyOf(mismatches);
        }
    }

    /**
     * Reads the record an OCSF event carries in {@code unmapped.stenographer}, and checks the mapped fields
     * against its sealed event: event id, actor uid, time, status, severity, class and type ids. An event that does
     * not read as a sealed event yields no mismatches (the leaf hash check names it).
     */
    public static Read read(JsonObject ocsf) {
        if (!(ocsf.get("unmapped") instanceof JsonObject unmapped)
                || !(unmapped.get("stenographer") instanceof JsonObject fields)) {
            throw new StreamFormatException("the OCSF event has no unmapped.stenographer object: it does not carry "
                    + "the integrity fields");
        }
        if (!(fields.get("event") instanceof JsonObject sealed)) {
            throw new StreamFormatException("unmapped.stenographer has no 'event' object (the sealed event)");
        }
        String what = "unmapped.stenographer";
        StreamRecord record = new StreamRecord(StreamRecordFormat.integer(fields, "index", what),
                StreamRecordFormat.hexHash(StreamRecordFormat.string(fields, "leafHash", what), "leafHash"),
                StreamRecordFormat.string(fields, "tenant", what), sealed);
        StreamRecordFormat.string(fields, "eventId", what);
        List<String> mismatches = new ArrayList<>();
        AuditEvent event;
        try {
            event = StreamEvents.leafOf(sealed).event();
        } catch (IllegalArgumentException e) {
            return new Read(record, mismatches);
        }
        String id = event.id().toString();
        check(mismatches, "unmapped.stenographer.eventId", fields.get("eventId"), new JsonString(id));
        check(mismatches, "metadata.uid", path(ocsf, "metadata", "uid"), new JsonString(id));
        check(mismatches, "actor.user.uid", path(ocsf, "actor", "user", "uid"),
                new JsonString(event.content().actor().id()));
        check(mismatches, "time", ocsf.get("time"), number(event.content().occurredAt().toEpochMilli()));
        Outcome outcome = event.content().outcome();
        check(mismatches, "status_id", ocsf.get("status_id"), number(statusId(outcome)));
        check(mismatches, "severity_id", ocsf.get("severity_id"), number(severityId(outcome)));
        String ip = event.content().source().ip();
        if (ip != null) {
            check(mismatches, "src_endpoint.ip", path(ocsf, "src_endpoint", "ip"), new JsonString(ip));
        }
        if (event.content().resource() != null) {
            JsonValue first = ocsf.get("resources") instanceof JsonArray resources && !resources.elements().isEmpty()
                    ? resources.elements().get(0) : null;
            check(mismatches, "resources[0].uid", first instanceof JsonObject resource ? resource.get("uid") : null,
                    new JsonString(event.content().resource().id()));
        }
        OcsfClass ocsfClass = null;
        if (ocsf.get("class_uid") instanceof JsonNumber classUid) {
            try {
                ocsfClass = OcsfClass.ofUid((int) classUid.value());
            } catch (IllegalArgumentException e) {
                mismatches.add("class_uid: " + e.getMessage());
            }
        } else {
            mismatches.add("class_uid: missing or not a number");
        }
        if (ocsfClass != null) {
            int activityId = ocsfClass.activityId(event.content().action().value());
            check(mismatches, "activity_id", ocsf.get("activity_id"), number(activityId));
            check(mismatches, "type_uid", ocsf.get("type_uid"), number(ocsfClass.classUid() * 100L + activityId));
            if (ocsfClass == OcsfClass.API_ACTIVITY) {
                check(mismatches, "api.operation", path(ocsf, "api", "operation"),
                        new JsonString(event.content().action().value()));
            }
        }
        return new Read(record, mismatches);
    }

    /** OCSF status_id: Success 1, Failure 2 (denied is a Failure with status_detail "denied"). */
    static int statusId(Outcome outcome) {
        return outcome == Outcome.SUCCESS ? 1 : 2;
    }

    /** OCSF severity_id: Informational 1 for a success, Low 2 for a failure, Medium 3 for a denial. */
    static int severityId(Outcome outcome) {
        return switch (outcome) {
            case SUCCESS -> 1;
            case FAILURE -> 2;
            case DENIED -> 3;
        };
    }

    private static JsonObject user(AuditEvent event) {
        Map<String, JsonValue> user = new LinkedHashMap<>();
        user.put("uid", new JsonString(event.content().actor().id()));
        if (event.content().actor().displayName() != null) {
            user.put("name", new JsonString(event.content().actor().displayName()));
        }
        boolean person = event.content().actor().type() == ActorType.USER;
        user.put("type_id", number(person ? 1 : 99));
        user.put("type", new JsonString(person ? "User" : "Service"));
        return new JsonObject(user);
    }

    private static void check(List<String> mismatches, String name, JsonValue actual, JsonValue expected) {
        if (!expected.equals(actual)) {
            mismatches.add("OCSF field " + name + " is " + (actual == null ? "missing" : render(actual))
                    + " but the sealed event it carries says " + render(expected));
        }
    }

    private static String render(JsonValue value) {
        return io.stenographer.domain.json.CanonicalJson.canonicalize(value);
    }

    private static JsonValue path(JsonObject json, String... names) {
        JsonValue value = json;
        for (String name : names) {
            if (!(value instanceof JsonObject object)) {
                return null;
            }
            value = object.get(name);
        }
        return value;
    }

    private static JsonNumber number(long value) {
        return new JsonNumber(value);
    }

    private static JsonObject object(String name, JsonValue value) {
        return new JsonObject(Map.of(name, value));
    }

    private static JsonObject object(String name1, JsonValue value1, String name2, JsonValue value2) {
        Map<String, JsonValue> members = new LinkedHashMap<>();
        members.put(name1, value1);
        members.put(name2, value2);
        return new JsonObject(members);
    }
}
