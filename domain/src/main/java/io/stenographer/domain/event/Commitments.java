package io.stenographer.domain.event;

import io.stenographer.domain.json.CanonicalJson;
import io.stenographer.domain.json.JsonObject;
import io.stenographer.domain.json.JsonString;
import io.stenographer.domain.json.JsonValue;
import io.stenographer.domain.merkle.Hash;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The commitments one sealed event holds in place of its personal values, by field: the {@code personal} member of
 * a {@code stenographer.event/v2} leaf. Empty for a {@code v1} event, which has none.
 */
public final class Commitments {

    public static final Commitments NONE = new Commitments(new TreeMap<>());
    private static final Pattern LOWER_HEX_64 = Pattern.compile("[0-9a-f]{64}");

    private final SortedMap<PersonalField, Hash> byField;
    /** {@link #toJson()}, made once: the leaf and the stored column both need it (immutable, so a race is benign). */
    private JsonObject json;

    private Commitments(SortedMap<PersonalField, Hash> byField) {
        this.byField = Collections.unmodifiableSortedMap(byField);
    }

    public static Commitments of(Map<PersonalField, Hash> byField) {
        Objects.requireNonNull(byField, "byField");
        return byField.isEmpty() ? NONE : new Commitments(new TreeMap<>(byField));
    }

    /** Reads the {@code personal} member; every key a field that can be personal, every value 64 lower-case hex. */
    public static Commitments fromJson(JsonObject json) {
        if (json.members().isEmpty()) {
            throw new FieldViolation("personal", "must name at least one field");
        }
        SortedMap<PersonalField, Hash> byField = new TreeMap<>();
        json.members().forEach((path, value) -> {
            if (!PersonalField.isValid(path)) {
                throw new FieldViolation("personal", "'" + path + "' is not a field that can be personal");
            }
            if (!(value instanceof JsonString hex) || !LOWER_HEX_64.matcher(hex.value()).matches()) {
                throw new FieldViolation("personal." + path, "must be 64 lower-case hex digits");
            }
            byField.put(new PersonalField(path), Hash.fromHex(hex.value()));
        });
        return new Commitments(byField);
    }

    public boolean isEmpty() {
        return byField.isEmpty();
    }

    public Map<PersonalField, Hash> byField() {
        return byField;
    }

    public Hash get(PersonalField field) {
        return byField.get(field);
    }

    public JsonObject toJson() {
        JsonObject made = json;
        if (made == null) {
            Map<String, JsonValue> members = new LinkedHashMap<>();
            byField.forEach((field, hash) -> members.put(field.path(), new JsonString(hash.hex())));
            made = new JsonObject(members);
            json = made;
        }
        return made;
    }

    /**
     * The canonical JSON text, as storage keeps it; null when there is nothing committed. Written directly, as
     * {@link CanonicalJson} would write it: the members are in path order, which is RFC 8785's order (UTF-16 code
     * units, as {@link String#compareTo}), and neither a path (plain ASCII, {@link PersonalField}) nor a hex digest
     * has a character to escape. {@code CommitmentsTest} holds the two to the same text.
     */
    public String canonicalTextOrNull() {
        if (isEmpty()) {
            return null;
        }
        StringBuilder text = new StringBuilder(byField.size() * 96).append('{');
        byField.forEach((field, hash) -> text.append(text.length() == 1 ? "\"" : ",\"").append(field.path())
                .append("\":\"").append(hash.hex()).append('"'));
        return text.append('}').toString();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Commitments that && that.byField.equals(byField);
    }

    @Override
    public int hashCode() {
        return byField.hashCode();
    }

    @Override
    public String toString() {
        return "Commitments" + byField.keySet();
    }
}
