package io.stenographer.domain.event;

import io.stenographer.domain.json.JsonObject;
import io.stenographer.domain.json.JsonString;
import io.stenographer.domain.json.JsonValue;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A field a tenant's data policy may mark as personal: it is then kept out of the leaf, which holds a
 * {@link Commitment} to it instead. The identifiers {@code actor.id} and {@code resource.id} are required and searched
 * (queries, holds, the archive index), so the leaf keeps their {@link Pseudonym} in their place, beside the commitment.
 */
public record PersonalField(String path) implements Comparable<PersonalField> {

    public static final PersonalField ACTOR_DISPLAY_NAME = new PersonalField("actor.displayName");
    public static final PersonalField SOURCE_IP = new PersonalField("source.ip");
    public static final PersonalField SOURCE_USER_AGENT = new PersonalField("source.userAgent");
    public static final PersonalField REASON = new PersonalField("reason");
    public static final PersonalField ACTOR_ID = new PersonalField("actor.id");
    public static final PersonalField RESOURCE_ID = new PersonalField("resource.id");

    private static final String METADATA_PREFIX = "metadata.";
    /** Metadata keys that may be personal: plain names, so a path is unambiguous and needs no escaping. */
    private static final Pattern METADATA_KEY = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    public PersonalField {
        if (!isValid(path)) {
            throw new FieldViolation("personalFields", describeInvalid(path));
        }
    }

    public static PersonalField parse(String path) {
        return new PersonalField(path);
    }

    static boolean isValid(String path) {
        if (path == null) {
            return false;
        }
        return switch (path) {
            case "actor.displayName", "source.ip", "source.userAgent", "reason", "actor.id", "resource.id" -> true;
            default -> path.startsWith(METADATA_PREFIX)
                    && METADATA_KEY.matcher(path.substring(METADATA_PREFIX.length())).matches();
        };
    }

    private static String describeInvalid(String path) {
        return "'" + path + "' is not a field that can be personal: use actor.id, actor.displayName, resource.id, "
                + "source.ip, source.userAgent, reason or metadata.<key> (key of 1-64 letters, digits, _ or -)";
    }

    /** The field's value in the draft as JSON, or null when the draft does not have it. */
    public JsonValue valueIn(EventDraft draft) {
        return switch (path) {
            case "actor.id" -> text(draft.actor().id());
            case "resource.id" -> draft.resource() == null ? null : text(draft.resource().id());
            case "actor.displayName" -> text(draft.actor().displayName());
            case "source.ip" -> text(draft.source().ip());
            case "source.userAgent" -> text(draft.source().userAgent());
            case "reason" -> text(draft.reason());
            default -> draft.metadata().get(metadataKey());
        };
    }

    /** Whether this is a required, searched identifier, which the leaf replaces by a pseudonym instead of dropping. */
    public boolean isIdentifier() {
        return "actor.id".equals(path) || "resource.id".equals(path);
    }

    /**
     * The draft as the leaf holds it once this field is committed to: without the field, or for an identifier with
     * its pseudonym in its place ({@code pseudonym} is required for identifiers and must be null otherwise).
     */
    public EventDraft committedIn(EventDraft draft, String pseudonym) {
        checkCommittable(pseudonym);
        return with(draft, pseudonym == null ? null : new JsonString(pseudonym));
    }

    /**
     * As {@link #committedIn} for each of {@code fields} in turn, with {@code pseudonyms} giving an identifier's, but
     * the draft is built (and checked) once rather than once per field: ingest commits every event's fields.
     */
    public static EventDraft committedIn(EventDraft draft, List<PersonalField> fields,
            Map<PersonalField, String> pseudonyms) {
        if (fields.isEmpty()) {
            return draft;
        }
        Parts parts = new Parts(draft);
        for (PersonalField field : fields) {
            String pseudonym = pseudonyms.get(field);
            field.checkCommittable(pseudonym);
            parts.set(field, pseudonym == null ? null : new JsonString(pseudonym));
        }
        return parts.build();
    }

    private void checkCommittable(String pseudonym) {
        if (isIdentifier() != (pseudonym != null)) {
            throw new IllegalArgumentException(isIdentifier() ? path + " is replaced by a pseudonym"
                    : path + " is removed, not replaced by a pseudonym");
        }
        if (pseudonym != null && !Pseudonym.isPseudonym(pseudonym)) {
            throw new FieldViolation(path, "a pseudonym must be '" + Pseudonym.PREFIX + "' and 64 hex digits");
        }
    }

    /** Whether the content holds this field as committed: absent, or for an identifier as a pseudonym. */
    public boolean isCommittedIn(EventDraft content) {
        JsonValue value = valueIn(content);
        return isIdentifier() ? value instanceof JsonString s && Pseudonym.isPseudonym(s.value()) : value == null;
    }

    /** The draft with this field set to a disclosed value. */
    public EventDraft restoreInto(EventDraft draft, JsonValue value) {
        if (!isMetadata() && !(value instanceof JsonString)) {
            throw new FieldViolation(path, "must be a string");
        }
        return with(draft, value);
    }

    private EventDraft with(EventDraft d, JsonValue value) {
        Parts parts = new Parts(d);
        parts.set(this, value);
        return parts.build();
    }

    /** The parts of a draft that a personal field can be in, changed field by field and built into one draft. */
    private static final class Parts {
        private final EventDraft draft;
        private Actor actor;
        private ResourceRef resource;
        private String reason;
        private Source source;
        private Map<String, JsonValue> metadata;

        Parts(EventDraft draft) {
            this.draft = draft;
            this.actor = draft.actor();
            this.resource = draft.resource();
            this.reason = draft.reason();
            this.source = draft.source();
        }

        void set(PersonalField field, JsonValue value) {
            String text = value instanceof JsonString s ? s.value() : null;
            switch (field.path) {
                case "actor.id" -> actor = new Actor(text, actor.type(), actor.displayName());
                case "resource.id" -> resource = new ResourceRef(resource.type(), text);
                case "actor.displayName" -> actor = new Actor(actor.id(), actor.type(), text);
                case "source.ip" -> source = new Source(source.application(), text, source.userAgent());
                case "source.userAgent" -> source = new Source(source.application(), source.ip(), text);
                case "reason" -> reason = text;
                default -> {
                    if (metadata == null) {
                        metadata = new LinkedHashMap<>(draft.metadata().members());
                    }
                    if (value == null) {
                        metadata.remove(field.metadataKey());
                    } else {
                        metadata.put(field.metadataKey(), value);
                    }
                }
            }
        }

        EventDraft build() {
            return new EventDraft(draft.tenant(), actor, draft.action(), resource, reason, draft.outcome(),
                    draft.occurredAt(), source, draft.correlationId(),
                    metadata == null ? draft.metadata() : new JsonObject(metadata), draft.clientEventId());
        }
    }

    private boolean isMetadata() {
        return path.startsWith(METADATA_PREFIX);
    }

    private String metadataKey() {
        return path.substring(METADATA_PREFIX.length());
    }

    private static JsonValue text(String value) {
        return value == null ? null : new JsonString(value);
    }

    @Override
    public int compareTo(PersonalField other) {
        return path.compareTo(other.path);
    }

    @Override
    public String toString() {
        return path;
    }
}
