package io.stenographer.domain.json;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** A JSON object. Member order is kept as given; the canonical form sorts members itself. */
public record JsonObject(Map<String, JsonValue> members) implements JsonValue {

    public static final JsonObject EMPTY = new JsonObject(Map.of());

    public JsonObject {
        Objects.requireNonNull(members, "members");
        var copy = new LinkedHashMap<String, JsonValue>(members.size() * 2);
        members.forEach((name, value) -> {
            Objects.requireNonNull(name, "member name");
            Objects.requireNonNull(value, () -> "value of member '" + name + "'");
            copy.put(name, value);
        });
        members = Collections.unmodifiableMap(copy);
    }

    public JsonValue get(String name) {
        return members.get(name);
    }

    @Override
    public int depth() {
        int deepest = 0;
        for (JsonValue value : members.values()) {
            deepest = Math.max(deepest, value.depth());
        }
        return deepest + 1;
    }
}
