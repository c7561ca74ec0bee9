package io.stenographer.domain.json;

import java.util.List;
import java.util.Objects;

/** A JSON array. */
public record JsonArray(List<JsonValue> elements) implements JsonValue {

    public JsonArray {
        Objects.requireNonNull(elements, "elements");
        elements = List.copyOf(elements);
    }

    @Override
    public int depth() {
        int deepest = 0;
        for (JsonValue value : elements) {
            deepest = Math.max(deepest, value.depth());
        }
        return deepest + 1;
    }
}
