package io.stenographer.domain.report;

import io.stenographer.domain.event.AuditEvent;
import io.stenographer.domain.event.FieldViolation;
import io.stenographer.domain.event.Pseudonym;
import io.stenographer.domain.event.SealedEventFormat;
import io.stenographer.domain.event.Source;
import io.stenographer.domain.json.JsonArray;
import io.stenographer.domain.json.JsonObject;
import io.stenographer.domain.json.JsonString;
import io.stenographer.domain.json.JsonValue;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Rule {@value #RULE}: public-records redaction of sealed events.
 *
 * <ul>
 *   <li>Each configured path is removed where present. Paths are dotted: {@code metadata.<name>[.<name>...]}
 *       (at any depth; a path through an array applies to every object in it), or one of the optional
 *       top-level fields {@link #REMOVABLE}.</li>
 *   <li>With pseudonymisation on, {@code actor.id} and {@code submittedBy} are replaced by
 *       {@code p-<16 hex>} = the first 8 bytes of SHA-256(secret || 0x00 || id), and
 *       {@code actor.displayName} is removed. The secret is random per report and never leaves
 *       the generator, so the same person has the same pseudonym throughout one report and an
 *       unrelated one in the next.</li>
 * </ul>
 *
 * A redacted event is no longer its sealed form, so its leaf hash cannot be recomputed from it; it lists
 * what was changed, and is published without its leaf hash or a proof ({@link ReportEntry#publish}).
 */
public final class Redactor {

    public static final String RULE = "foia-redaction/2";
    public static final Set<String> REMOVABLE = Set.of("reason", "correlationId", "clientEventId", "source.ip",
            "source.userAgent", "actor.displayName", "resource.id");
    public static final int MAX_PATH_LENGTH = 1_024;
    private static final int SECRET_BYTES = 32;

    private final List<String> names;
    private final boolean pseudonymise;
    private final byte[] secret;

    public Redactor(List<String> redactFields, boolean pseudonymise, byte[] secret) {
        Objects.requireNonNull(redactFields, "redactFields");
        this.names = List.copyOf(redactFields);
        for (String path : names) {
            checkPath("redactFields", path);
        }
        this.pseudonymise = pseudonymise;
        if (pseudonymise && (secret == null || secret.length < SECRET_BYTES)) {
            throw new IllegalArgumentException("pseudonymisation needs a secret of at least 32 random bytes");
        }
        this.secret = secret == null ? null : secret.clone();
    }

    /** Whether this redactor changes anything at all (then the report withholds leaf hashes and proofs). */
    public boolean redactsAnything() {
        return pseudonymise || !names.isEmpty();
    }

    /**
     * The report's query as published: an actor filter would name the person behind every pseudonym in
     * the report, and a resource id filter would undo removing {@code resource.id}.
     */
    public JsonObject publishedQuery(JsonObject query) {
        Map<String, JsonValue> members = new LinkedHashMap<>(query.members());
        if (pseudonymise && members.get("actor") instanceof JsonString actor) {
            members.put("actor", new JsonString(pseudonym(actor.value())));
        }
        if (names.contains("resource.id") && members.containsKey("resourceId")) {
            members.put("resourceId", new JsonString("[redacted]"));
        }
        return new JsonObject(members);
    }

    /**
     * Checks one configured path. Ingest accepts any member name in metadata, so any name can be spelled here
     * (spaces, slashes, any script): a name that could not be would be published in clear, unredactable. Only
     * control characters are refused.
     */
    public static void checkPath(String field, String path) {
        if (path == null || path.length() > MAX_PATH_LENGTH || path.chars().anyMatch(Character::isISOControl)) {
            throw new FieldViolation(field, "must be a dotted path such as metadata.ssn, of at most "
                    + MAX_PATH_LENGTH + " characters and without control characters");
        }
        if (!(path.startsWith("metadata.") || REMOVABLE.contains(path))) {
            throw new FieldViolation(field, "may name metadata.<field> or one of " + new TreeSet<>(REMOVABLE));
        }
    }

    /** The event as published: redacted JSON and the list of what changed (empty: unchanged). */
    public Redacted redact(AuditEvent event) {
        JsonObject json = SealedEventFormat.toJson(event);
        Set<String> changed = new TreeSet<>();
        for (String path : names) {
            JsonValue result = remove(json, path);
            if (result != json) {
                json = (JsonObject) result;
                changed.add(path);
            }
        }
        if (pseudonymise) {
            Map<String, JsonValue> top = new LinkedHashMap<>(json.members());
            JsonObject actor = (JsonObject) top.get("actor");
            Map<String, JsonValue> actorMembers = new LinkedHashMap<>(actor.members());
            actorMembers.put("id", new JsonString(pseudonym(((JsonString) actor.get("id")).value())));
            changed.add("actor.id");
            if (actorMembers.remove("displayName") != null) {
                changed.add("actor.displayName");
            }
            top.put("actor", new JsonObject(actorMembers));
            top.put("submittedBy", new JsonString(pseudonym(((JsonString) top.get("submittedBy")).value())));
            changed.add("submittedBy");
            // A resource id the tenant stores as its keyed pseudonym is the same in every export: per report too.
            if (top.get("resource") instanceof JsonObject resource && resource.get("id") instanceof JsonString id
                    && Pseudonym.isPseudonym(id.value())) {
                Map<String, JsonValue> resourceMembers = new LinkedHashMap<>(resource.members());
                resourceMembers.put("id", new JsonString(pseudonym(id.value())));
                top.put("resource", new JsonObject(resourceMembers));
                changed.add("resource.id");
            }
            // Stenographer's own events name staff, and what they searched for or held, in their metadata
            // (approvedBy, placedBy, query.actor): published beside pseudonyms, they would name whom a pseudonym is.
            if (top.get("source") instanceof JsonObject source && source.get("application") instanceof JsonString app
                    && Source.SERVICE.equals(app.value()) && top.get("metadata") instanceof JsonObject metadata
                    && !metadata.members().isEmpty()) {
                top.put("metadata", JsonObject.EMPTY);
                changed.add("metadata");
            }
            json = new JsonObject(top);
        }
        return new Redacted(json, List.copyOf(changed));
    }

    /** The pseudonym of an identifier within this report. */
    public String pseudonym(String id) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(secret);
            sha.update((byte) 0);
            sha.update(id.getBytes(StandardCharsets.UTF_8));
            return "p-" + HexFormat.of().formatHex(sha.digest(), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    /**
     * Removes what {@code path} names below this node, whichever way its dots split into member names: metadata
     * may hold a key with dots in it ({@code "patient.name"}) as well as nested objects, and a path must remove
     * both, or a requester who asked for {@code metadata.patient.name} would publish one of them in clear.
     * Returns the same instance when nothing was removed.
     */
    private static JsonValue remove(JsonValue node, String path) {
        if (node instanceof JsonArray array) {
            List<JsonValue> elements = new ArrayList<>(array.elements().size());
            boolean any = false;
            for (JsonValue element : array.elements()) {
                JsonValue after = remove(element, path);
                any |= after != element;
                elements.add(after);
            }
            return any ? new JsonArray(elements) : array;
        }
        if (!(node instanceof JsonObject object)) {
            return node;
        }
        Map<String, JsonValue> members = null;
        for (Map.Entry<String, JsonValue> member : object.members().entrySet()) {
            String name = member.getKey();
            if (path.equals(name)) {
                members = members != null ? members : new LinkedHashMap<>(object.members());
                members.remove(name);
            } else if (path.startsWith(name + ".")) {
                JsonValue after = remove(member.getValue(), path.substring(name.length() + 1));
                if (after != member.getValue()) {
                    members = members != null ? members : new LinkedHashMap<>(object.members());
                    members.put(name, after);
                }
            }
        }
        return members == null ? object : new JsonObject(members);
    }

    /** A published event: {@code changes} is empty when it is the untouched sealed event. */
    public record Redacted(JsonObject event, List<String> changes) {
        public Redacted {
            Objects.requireNonNull(event, "event");
            changes = List.copyOf(changes);
        }
    }
}
