package io.stenographer.domain.event;

import io.stenographer.domain.json.JsonObject;
import io.stenographer.domain.json.JsonString;
import io.stenographer.domain.json.JsonValue;
import java.util.LinkedHashMap;
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
        if (isIdentifier() != (pseudonym != null)) {
            throw new IllegalArgumentException(isIdentifier() ? path + " is replaced by a pseudonym"
                    : path + " is removed, not replaced by a pseudonym");
        }
        if (pseudonym != null && !Pseudonym.isPseudonym(pseudonym)) {
            throw new FieldViolation(path, "a pseudonym must be '" + Pseudonym.PREFIX + "' and 64 hex digits");
        }
        return with(draft, pseudonym == null ? null : new JsonString(pseudonym));
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
        String text = value instanceof JsonString s ? s.value() : null;
        return switch (path) {
            case "actor.id" -> new EventDraft(d.tenant(), new Actor(text, d.actor().type(), d.actor().displayName()),
                    d.action(), d.resource(), d.reason(), d.outcome(), d.occurredAt(), d.source(), d.correlationId(),
                    d.metadata(), d.clientEventId());
            case "resource.id" -> new EventDraft(d.tenant(), d.actor(), d.action(),
                    new ResourceRef(d.resource().type(), text), d.reason(), d.outcome(), d.occurredAt(), d.source(),
                    d.correlationId(), d.metadata(), d.clientEventId());
            case "actor.displayName" -> new EventDraft(d.tenant(), new Actor(d.actor().id(), d.actor().type(), text),
                    d.action(), d.resource(), d.reason(), d.outcome(), d.occurredAt(), d.source(), d.correlationId(),
                    d.metadata(), d.clientEventId());
            case "source.ip" -> new EventDraft(d.tenant(), d.actor(), d.action(), d.resource(), d.reason(),
                    d.outcome(), d.occurredAt(), new Source(d.source().application(), text, d.source().userAgent()),
                    d.correlationId(), d.metadata(), d.clientEventId());
            case "source.userAgent" -> new EventDraft(d.tenant(), d.actor(), d.action(), d.resource(), d.reason(),
                    d.outcome(), d.occurredAt(), new Source(d.source().application(), d.source().ip(), text),
                    d.correlationId(), d.metadata(), d.clientEventId());
            case "reason" -> new EventDraft(d.tenant(), d.actor(), d.action(), d.resource(), text, d.outcome(),
                    d.occurredAt(), d.source(), d.correlationId(), d.metadata(), d.clientEventId());
            default -> {
                Map<String, JsonValue> metadata = new LinkedHashMap<>(d.metadata().members());
                if (value == null) {
                    metadata.remove(metadataKey());
                } else {
                    metadata.put(metadataKey(), value);
                }
                yield new EventDraft(d.tenant(), d.actor(), d.action(), d.resource(), d.reason(), d.outcome(),
                        d.occurredAt(), d.source(), d.correlationId(), new JsonObject(metadata), d.clientEventId());
            }
        };
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
