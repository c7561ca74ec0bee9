package io.stenographer.bench.log;

import io.stenographer.domain.event.Action;
import io.stenographer.domain.event.Actor;
import io.stenographer.domain.event.ActorType;
import io.stenographer.domain.event.AuditEvent;
import io.stenographer.domain.event.EventDraft;
import io.stenographer.domain.event.EventId;
import io.stenographer.domain.event.Outcome;
import io.stenographer.domain.event.ResourceRef;
import io.stenographer.domain.event.Source;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.json.JsonArray;
import io.stenographer.domain.json.JsonNumber;
import io.stenographer.domain.json.JsonObject;
import io.stenographer.domain.json.JsonString;
import io.stenographer.domain.json.JsonValue;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * Sealed events built with the domain classes, exactly as the service seals them: same record, same
 * canonical JSON (RFC 8785), same leaf hash. Used by the bulk loader. Also the JSON body of an ingest
 * request of the same shape, for the HTTP load generators.
 */
public final class Events {

    static final String[] ACTIONS = {"case.view", "case.edit", "case.export", "record.search"};
    static final String SUBMITTER = "bench-loader";

    private static final DateTimeFormatter MICROS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);
    private static final JsonArray FIELDS = new JsonArray(List.of(new JsonString("ssn"), new JsonString("dob")));

    private Events() {
    }

    static AuditEvent sealed(TenantId tenant, int i, Instant occurredAt, Instant receivedAt, RandomGenerator random) {
        Map<String, JsonValue> metadata = new LinkedHashMap<>();
        metadata.put("fields", FIELDS);
        metadata.put("rows", new JsonNumber(i % 50));
        metadata.put("bench", new JsonString("million"));
        EventDraft draft = new EventDraft(
                tenant,
                new Actor("u-" + (i % 5000), i % 10 == 0 ? ActorType.SERVICE : ActorType.USER,
                        "Bench User " + (i % 5000)),
                new Action(ACTIONS[i % ACTIONS.length]),
                new ResourceRef("background-check", "BC-m-" + i),
                "Requested by HR ticket " + (4000 + i % 1000),
                i % 20 == 0 ? Outcome.DENIED : Outcome.SUCCESS,
                occurredAt,
                new Source("portal", "192.0.2." + (i % 250 + 1), "stenographer-logbench/1"),
                "req-m-" + i,
                new JsonObject(metadata),
                null);
        return AuditEvent.record(EventId.newTimeOrdered(receivedAt, random), receivedAt, SUBMITTER, draft);
    }

    /** A realistic event of about 500 bytes (the same shape as the bulk-loaded ones). */
    public static String eventJson(String tenant, String prefix, int i, Instant occurredAt) {
        return "{\"tenant\":\"" + tenant + "\""
                + ",\"actor\":{\"id\":\"u-" + (i % 5000) + "\",\"type\":\"" + (i % 10 == 0 ? "service" : "user")
                + "\",\"displayName\":\"Bench User " + (i % 5000) + "\"}"
                + ",\"action\":\"" + ACTIONS[i % ACTIONS.length] + "\""
                + ",\"resource\":{\"type\":\"background-check\",\"id\":\"BC-" + prefix + "-" + i + "\"}"
                + ",\"reason\":\"Requested by HR ticket " + (4000 + i % 1000) + "\""
                + ",\"outcome\":\"" + (i % 20 == 0 ? "denied" : "success") + "\""
                + ",\"occurredAt\":\"" + MICROS.format(occurredAt) + "\""
                + ",\"source\":{\"application\":\"portal\",\"ip\":\"192.0.2." + (i % 250 + 1)
                + "\",\"userAgent\":\"stenographer-logbench/1\"}"
                + ",\"correlationId\":\"req-" + prefix + "-" + i + "\""
                + ",\"metadata\":{\"fields\":[\"ssn\",\"dob\"],\"rows\":" + (i % 50) + ",\"bench\":\"log\"}}";
    }
}
