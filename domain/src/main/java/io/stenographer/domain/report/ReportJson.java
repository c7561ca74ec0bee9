package io.stenographer.domain.report;

import io.stenographer.domain.json.JsonArray;
import io.stenographer.domain.json.JsonNumber;
import io.stenographer.domain.json.JsonObject;
import io.stenographer.domain.json.JsonString;
import io.stenographer.domain.json.JsonValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Small helpers to build and read the domain's JSON values in report code. */
public final class ReportJson {

    private ReportJson() {
    }

    /** An ordered object builder; null values are left out. */
    public static final class Builder {
        private final Map<String, JsonValue> members = new LinkedHashMap<>();

        public Builder put(String name, String value) {
            if (value != null) {
                members.put(name, new JsonString(value));
            }
            return this;
        }

        public Builder put(String name, long value) {
            members.put(name, new JsonNumber(value));
            return this;
        }

        public Builder put(String name, JsonValue value) {
            if (value != null) {
                members.put(name, value);
            }
            return this;
        }

        public Builder putStrings(String name, List<String> values) {
            if (values != null) {
                members.put(name, strings(values));
            }
            return this;
        }

        public JsonObject build() {
            return new JsonObject(members);
        }
    }

    public static Builder object() {
        return new Builder();
    }

    public static JsonArray strings(List<String> values) {
        List<JsonValue> elements = new ArrayList<>(values.size());
        values.forEach(value -> elements.add(new JsonString(value)));
        return new JsonArray(elements);
    }

    /** The string at a dotted path of nested objects, or null. */
    public static String string(JsonObject object, String path) {
        JsonValue value = at(object, path);
        return value instanceof JsonString text ? text.value() : null;
    }

    public static JsonValue at(JsonObject object, String path) {
        JsonValue current = object;
        for (String part : path.split("\\.")) {
            if (!(current instanceof JsonObject node)) {
                return null;
            }
            current = node.get(part);
        }
        return current;
    }
}
