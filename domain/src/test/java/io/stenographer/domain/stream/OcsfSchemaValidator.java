package io.stenographer.domain.stream;

import io.stenographer.domain.json.JsonArray;
import io.stenographer.domain.json.JsonNumber;
import io.stenographer.domain.json.JsonObject;
import io.stenographer.domain.json.JsonString;
import io.stenographer.domain.json.JsonValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks an OCSF event against {@link Ocsf130Schema}: the class exists, every required attribute is present, every
 * attribute is defined and of its type, enum ids are defined, {@code category_uid} is the class's and
 * {@code type_uid = class_uid * 100 + activity_id}. Returns the violations, empty when the event conforms.
 */
final class OcsfSchemaValidator {

    private static final JsonObject SCHEMA = Ocsf130Schema.schema();

    private OcsfSchemaValidator() {
    }

    static List<String> violations(JsonObject event) {
        List<String> out = new ArrayList<>();
        if (!(event.get("class_uid") instanceof JsonNumber classUid)
                || !(((JsonObject) SCHEMA.get("classes")).get(String.valueOf((long) classUid.value()))
                        instanceof JsonObject ocsfClass)) {
            out.add("class_uid: not a class of the fixture");
            return out;
        }
        Map<String, JsonValue> attributes = new LinkedHashMap<>(((JsonObject) SCHEMA.get("base_event")).members());
        attributes.putAll(((JsonObject) ocsfClass.get("attributes")).members());
        Map<String, JsonValue> activityEnum = new LinkedHashMap<>();
        activityEnum.put("type", new JsonString("integer_t"));
        activityEnum.put("requirement", new JsonString("required"));
        activityEnum.put("enum", ocsfClass.get("activity_id"));
        attributes.put("activity_id", new JsonObject(activityEnum));
        object("", event, attributes, out);
        if (!(ocsfClass.get("category_uid")).equals(event.get("category_uid"))) {
            out.add("category_uid: is not the class's category " + ocsfClass.get("category_uid"));
        }
        if (event.get("activity_id") instanceof JsonNumber activity
                && !new JsonNumber(classUid.value() * 100 + activity.value()).equals(event.get("type_uid"))) {
            out.add("type_uid: is not class_uid * 100 + activity_id");
        }
        return out;
    }

    private static void object(String at, JsonObject value, Map<String, JsonValue> attributes, List<String> out) {
        for (Map.Entry<String, JsonValue> attribute : attributes.entrySet()) {
            if (attribute.getKey().equals("@at_least_one")) {
                boolean any = ((JsonArray) attribute.getValue()).elements().stream()
                        .anyMatch(name -> value.get(((JsonString) name).value()) != null);
                if (!any) {
                    out.add(at + ": needs at least one of " + attribute.getValue());
                }
                continue;
            }
            JsonObject definition = (JsonObject) attribute.getValue();
            if (value.get(attribute.getKey()) == null
                    && definition.get("requirement").equals(new JsonString("required"))) {
                out.add(at + attribute.getKey() + ": required attribute missing");
            }
        }
        for (Map.Entry<String, JsonValue> member : value.members().entrySet()) {
            String name = at + member.getKey();
            if (member.getKey().startsWith("@") || !(attributes.get(member.getKey()) instanceof JsonObject definition)) {
                out.add(name + ": not an attribute of the fixture's definition");
                continue;
            }
            if (definition.get("is_array") != null) {
                if (!(member.getValue() instanceof JsonArray array)) {
                    out.add(name + ": must be an array");
                    continue;
                }
                for (int i = 0; i < array.elements().size(); i++) {
                    typed(name + "[" + i + "]", array.elements().get(i), definition, out);
                }
            } else {
                typed(name, member.getValue(), definition, out);
            }
        }
    }

    private static void typed(String name, JsonValue value, JsonObject definition, List<String> out) {
        String type = ((JsonString) definition.get("type")).value();
        switch (type) {
            case "json_t" -> {
            }
            case "string_t" -> {
                if (!(value instanceof JsonString)) {
                    out.add(name + ": must be a string");
                }
            }
            case "ip_t" -> {
                if (!(value instanceof JsonString ip) || !ip.value().matches("[0-9.]+|[0-9a-fA-F:.]+")) {
                    out.add(name + ": must be an IP address");
                }
            }
            case "integer_t", "long_t", "timestamp_t" -> {
                if (!(value instanceof JsonNumber number) || number.value() != Math.rint(number.value())
                        || (type.equals("integer_t") && Math.abs(number.value()) > Integer.MAX_VALUE)
                        || (type.equals("timestamp_t") && number.value() < 0)) {
                    out.add(name + ": must be " + type);
                } else if (definition.get("enum") instanceof JsonObject values
                        && values.get(String.valueOf((long) number.value())) == null) {
                    out.add(name + ": " + (long) number.value() + " is not one of its enum ids");
                }
            }
            default -> {
                JsonObject objectType = (JsonObject) ((JsonObject) SCHEMA.get("objects")).get(type);
                if (!(value instanceof JsonObject object)) {
                    out.add(name + ": must be a " + type + " object");
                } else {
                    object(name + ".", object, objectType.members(), out);
                }
            }
        }
    }
}
