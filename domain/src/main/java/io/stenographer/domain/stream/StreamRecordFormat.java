package io.stenographer.domain.stream;

import io.stenographer.domain.json.CanonicalJson;
import io.stenographer.domain.json.JsonArray;
import io.stenographer.domain.json.JsonBoolean;
import io.stenographer.domain.json.JsonNumber;
import io.stenographer.domain.json.JsonObject;
import io.stenographer.domain.json.JsonParser;
import io.stenographer.domain.json.JsonString;
import io.stenographer.domain.json.JsonValue;
import io.stenographer.domain.merkle.Hash;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The native stream format, {@value #FORMAT}: one RFC 8785 canonical JSON object per line (NDJSON).
 *
 * <pre>
 * {"event":{...sealed event...},"index":5,"kind":"event","leafHash":"&lt;hex&gt;","tenant":"acme"}
 * {"checkpoint":"&lt;signed note&gt;","consistencyProof":["&lt;base64&gt;",...],"fromIndex":0,"frontier":[...],
 *  "kind":"checkpoint","tenant":"acme","toIndex":10}
 * {"eventId":"&lt;uuid&gt;","index":6,"kind":"event-truncated","leafHash":"&lt;hex&gt;","tenant":"acme","truncated":true}
 * </pre>
 *
 * <p>The writer writes canonical lines; the parser is strict about members and types but accepts any JSON spelling
 * of them (a receiver may re-serialise a line), since nothing is hashed over the line itself: the leaf hash is
 * recomputed from the event object through the canonicaliser.
 */
public final class StreamRecordFormat {

    public static final String FORMAT = "stenographer.stream/v1";

    /** Largest line read, in characters: a sealed event stays far below it. */
    public static final int MAX_LINE_CHARS = 1 << 20;

    /** Deepest nesting read: the record, the event and its metadata (at most 16 deep). */
    public static final int MAX_DEPTH = 32;

    /** Largest index or size: JSON numbers are exact integers up to 2^53. */
    public static final long MAX_INDEX = 1L << 53;

    private static final Set<String> EVENT_MEMBERS = Set.of("kind", "index", "leafHash", "tenant", "event");
    private static final Set<String> TRUNCATED_MEMBERS = Set.of("kind", "index", "leafHash", "tenant", "eventId",
            "truncated");
    private static final Set<String> CHECKPOINT_MEMBERS = Set.of("kind", "tenant", "checkpoint", "fromIndex",
            "toIndex", "consistencyProof", "frontier");

    private StreamRecordFormat() {
    }

    // ---- writing -------------------------------------------------------------------------------

    /** The record as a JSON object. */
    public static JsonObject toJson(StreamLine line) {
        Map<String, JsonValue> members = new LinkedHashMap<>();
        if (line instanceof StreamRecord record) {
            members.put("kind", new JsonString("event"));
            members.put("index", new JsonNumber(record.index()));
            members.put("leafHash", new JsonString(record.leafHash().hex()));
            members.put("tenant", new JsonString(record.tenant()));
            members.put("event", record.event());
        } else if (line instanceof StreamCheckpointRecord checkpoint) {
            members.put("kind", new JsonString("checkpoint"));
            members.put("tenant", new JsonString(checkpoint.tenant()));
            members.put("checkpoint", new JsonString(checkpoint.note()));
            members.put("fromIndex", new JsonNumber(checkpoint.fromIndex()));
            members.put("toIndex", new JsonNumber(checkpoint.toIndex()));
            members.put("consistencyProof", hashes(checkpoint.consistencyProof()));
            members.put("frontier", hashes(checkpoint.frontier()));
        } else if (line instanceof StreamTruncatedRecord truncated) {
            members.put("kind", new JsonString("event-truncated"));
            members.put("index", new JsonNumber(truncated.index()));
            members.put("leafHash", new JsonString(truncated.leafHash().hex()));
            members.put("tenant", new JsonString(truncated.tenant()));
            members.put("eventId", new JsonString(truncated.eventId()));
            members.put("truncated", JsonBoolean.TRUE);
        }
        return new JsonObject(members);
    }

    /** The record as one canonical line, without the line feed. */
    public static String write(StreamLine line) {
        return CanonicalJson.canonicalize(toJson(line));
    }

    private static JsonArray hashes(List<Hash> hashes) {
        return new JsonArray(hashes.stream().<JsonValue>map(hash -> new JsonString(hash.base64())).toList());
    }

    // ---- reading -------------------------------------------------------------------------------

    /** Parses one line (no line feed) of the native format. */
    public static StreamLine parse(String line) {
        return fromJson(parseObject(line));
    }

    /** Parses a line as a JSON object, within the limits. */
    static JsonObject parseObject(String line) {
        if (line.length() > MAX_LINE_CHARS) {
            throw new StreamFormatException("the line is longer than " + MAX_LINE_CHARS + " characters");
        }
        JsonValue value;
        try {
            value = JsonParser.parse(line, MAX_DEPTH);
        } catch (IllegalArgumentException e) {
            throw new StreamFormatException("not valid JSON: " + e.getMessage());
        }
        if (!(value instanceof JsonObject object)) {
            throw new StreamFormatException("not a JSON object");
        }
        return object;
    }

    /** Reads a native record from its JSON object. */
    public static StreamLine fromJson(JsonObject json) {
        String kind = string(json, "kind", "the record");
        switch (kind) {
            case "event" -> {
                members(json, EVENT_MEMBERS, "an event record");
                if (!(json.get("event") instanceof JsonObject event)) {
                    throw new StreamFormatException("an event record needs an 'event' object");
                }
                return new StreamRecord(integer(json, "index", "the event record"),
                        hexHash(string(json, "leafHash", "the event record"), "leafHash"),
                        string(json, "tenant", "the event record"), event);
            }
            case "checkpoint" -> {
                members(json, CHECKPOINT_MEMBERS, "a checkpoint record");
                long from = integer(json, "fromIndex", "the checkpoint record");
                long to = integer(json, "toIndex", "the checkpoint record");
                try {
                    return new StreamCheckpointRecord(string(json, "tenant", "the checkpoint record"),
                            string(json, "checkpoint", "the checkpoint record"), from, to,
                            base64Hashes(json, "consistencyProof"), base64Hashes(json, "frontier"));
                } catch (StreamFormatException e) {
                    throw e;
                } catch (IllegalArgumentException e) {
                    throw new StreamFormatException("checkpoint record: " + e.getMessage());
                }
            }
            case "event-truncated" -> {
                members(json, TRUNCATED_MEMBERS, "a truncated event record");
                if (!JsonBoolean.TRUE.equals(json.get("truncated"))) {
                    throw new StreamFormatException("a truncated event record needs 'truncated': true");
                }
                long index = integer(json, "index", "the truncated event record");
                Hash leafHash = hexHash(string(json, "leafHash", "the truncated event record"), "leafHash");
                String tenant = string(json, "tenant", "the truncated event record");
                String eventId = string(json, "eventId", "the truncated event record");
                try {
                    return new StreamTruncatedRecord(index, leafHash, tenant, eventId);
                } catch (IllegalArgumentException e) {
                    throw new StreamFormatException("the truncated event record's eventId is not a UUID");
                }
            }
            default -> throw new StreamFormatException("unknown record kind " + quote(kind)
                    + "; kinds are 'event', 'event-truncated' and 'checkpoint'");
        }
    }

    private static void members(JsonObject json, Set<String> allowed, String what) {
        for (String name : json.members().keySet()) {
            if (!allowed.contains(name)) {
                throw new StreamFormatException(what + " has no member " + quote(name));
            }
        }
    }

    static String string(JsonObject json, String name, String what) {
        JsonValue value = json.get(name);
        if (!(value instanceof JsonString text)) {
            throw new StreamFormatException(what + (value == null ? " has no '" : " has a non-string '") + name
                    + "'");
        }
        return text.value();
    }

    static long integer(JsonObject json, String name, String what) {
        JsonValue value = json.get(name);
        if (!(value instanceof JsonNumber number) || number.value() < 0 || number.value() != Math.rint(number.value())
                || number.value() > MAX_INDEX) {
            throw new StreamFormatException(what + " has no valid '" + name + "' (an integer in [0, 2^53])");
        }
        return (long) number.value();
    }

    static Hash hexHash(String hex, String name) {
        if (hex.length() != 2 * Hash.LENGTH || !hex.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            throw new StreamFormatException(name + " is not " + 2 * Hash.LENGTH + " lower-case hex digits");
        }
        return Hash.fromHex(hex);
    }

    private static List<Hash> base64Hashes(JsonObject json, String name) {
        if (!(json.get(name) instanceof JsonArray array)) {
            throw new StreamFormatException("the checkpoint record has no '" + name + "' array of base64 hashes");
        }
        if (array.elements().size() > StreamCheckpointRecord.MAX_PROOF_HASHES) {
            throw new StreamFormatException(name + " has " + array.elements().size() + " hashes, more than "
                    + StreamCheckpointRecord.MAX_PROOF_HASHES);
        }
        List<Hash> hashes = new ArrayList<>();
        for (int i = 0; i < array.elements().size(); i++) {
            if (!(array.elements().get(i) instanceof JsonString text)) {
                throw new StreamFormatException(name + " hash " + i + " is not a string");
            }
            try {
                hashes.add(Hash.fromBase64(text.value()));
            } catch (IllegalArgumentException e) {
                throw new StreamFormatException(name + " hash " + i + " is not a base64 hash: " + e.getMessage());
            }
        }
        return hashes;
    }

    static String quote(String text) {
        String shown = text.length() > 60 ? text.substring(0, 60) + "..." : text;
        StringBuilder out = new StringBuilder("'");
        shown.codePoints().forEach(cp -> {
            if (cp < 0x20 || cp == 0x7f) {
                out.append(String.format("\\u%04x", cp));
            } else {
                out.appendCodePoint(cp);
            }
        });
        return out.append('\'').toString();
    }
}
