package io.stenographer.adapters.rest.json;

import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.stenographer.adapters.rest.problem.ProblemException;
import io.stenographer.adapters.rest.problem.ProblemType;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Strict JSON reading for request bodies: valid UTF-8 only, no duplicate keys, no trailing data, no
 * unknown fields, and no silent type coercion. An audit record must say exactly what the client sent.
 */
public final class StrictJson {

    /** The field a problem names when the body as a whole is at fault. */
    public static final String BODY = "(body)";
    private static final int MAX_NESTING_DEPTH = 200;
    private static final int MAX_STRING_LENGTH = 1 << 20;
    private static final int MAX_NUMBER_LENGTH = 400;

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
            // Numbers are kept as written, so a value a double would change can be refused, not rounded.
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    static {
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(MAX_NESTING_DEPTH)
                .maxStringLength(MAX_STRING_LENGTH)
                .maxNumberLength(MAX_NUMBER_LENGTH)
                .build());
        MAPPER.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        // A null inside a list ({"trustedCheckpoints":[null]}) is refused with its path, never passed on.
        MAPPER.configOverride(List.class).setSetterInfo(JsonSetter.Value.forContentNulls(Nulls.FAIL));
        MAPPER.coercionConfigDefaults()
                .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
    }

    private StrictJson() {
    }

    /**
     * Decodes and parses a body, refusing anything above {@code maxBytes}, an empty or blank body, and any
     * string holding U+0000 (PostgreSQL cannot store it, and no audit text needs it).
     */
    public static JsonNode readTree(byte[] body, int maxBytes) {
        if (body == null || body.length == 0) {
            throw ProblemException.ofField(ProblemType.MALFORMED_JSON, BODY, "the request body is empty");
        }
        if (body.length > maxBytes) {
            throw ProblemException.of(ProblemType.PAYLOAD_TOO_LARGE,
                    "the body is " + body.length + " bytes; the limit is " + maxBytes);
        }
        String text = decodeUtf8(body);
        JsonNode tree;
        try {
            tree = MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw ProblemException.ofField(ProblemType.MALFORMED_JSON, BODY, describe(e));
        } catch (NumberFormatException | ArithmeticException e) {
            throw ProblemException.ofField(ProblemType.MALFORMED_JSON, BODY, "a number cannot be read");
        }
        if (tree == null || tree.isMissingNode()) {
            throw ProblemException.ofField(ProblemType.MALFORMED_JSON, BODY, "the request body holds no JSON value");
        }
        rejectNul(tree, "");
        return tree;
    }

    /** A body that must be one JSON object, bound to {@code type}; {@code null}, arrays and scalars are refused. */
    public static <T> T readObject(byte[] body, int maxBytes, Class<T> type) {
        return bind(readTree(body, maxBytes), type, "");
    }

    /** Binds a tree to a record type; {@code pathPrefix} names where the tree sits, e.g. {@code events[2]}. */
    public static <T> T bind(JsonNode node, Class<T> type, String pathPrefix) {
        if (node == null || !node.isObject()) {
            throw ProblemException.ofField(ProblemType.WRONG_TYPE,
                    pathPrefix == null || pathPrefix.isEmpty() ? BODY : pathPrefix, "must be a JSON object");
        }
        try {
            return MAPPER.treeToValue(node, type);
        } catch (UnrecognizedPropertyException e) {
            throw ProblemException.ofField(ProblemType.UNKNOWN_FIELD, path(pathPrefix, e),
                    "is not a known field (unknown fields are rejected, not dropped)");
        } catch (MismatchedInputException e) {
            throw ProblemException.ofField(ProblemType.WRONG_TYPE, path(pathPrefix, e),
                    "has the wrong JSON type" + expected(e));
        } catch (JsonProcessingException | IllegalArgumentException e) {
            // Jackson's own wording names its classes and features; clients get ours.
            throw ProblemException.ofField(ProblemType.WRONG_TYPE, pathPrefix == null || pathPrefix.isEmpty() ? BODY
                    : pathPrefix, "does not have the expected shape");
        }
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    private static String decodeUtf8(byte[] body) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body))
                    .toString();
        } catch (CharacterCodingException e) {
            throw ProblemException.of(ProblemType.INVALID_ENCODING, "the request body is not valid UTF-8");
        }
    }

    private static String path(String prefix, JsonMappingException e) {
        StringBuilder path = new StringBuilder(prefix == null ? "" : prefix);
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.isEmpty() ? BODY : path.toString();
    }

    private static String expected(MismatchedInputException e) {
        Class<?> target = e.getTargetType();
        if (target == null) {
            return "";
        }
        if (target == String.class) {
            return ": expected a string";
        }
        if (target.isRecord()) {
            return ": expected an object";
        }
        return "";
    }

    /**
     * What is wrong with a body, in words written for clients: Jackson's own messages name its classes and
     * features ({@code DeserializationFeature...}), which say nothing to a client and too much about the server.
     */
    private static String describe(JsonProcessingException e) {
        String original = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        String message;
        if (e instanceof StreamConstraintsException) {
            message = original.contains("nesting depth") ? "the JSON is nested more than " + MAX_NESTING_DEPTH
                    + " levels deep"
                    : original.contains("Number value length") ? "a number has more than " + MAX_NUMBER_LENGTH
                    + " characters"
                    : original.contains("String value length") ? "a string is longer than " + MAX_STRING_LENGTH
                    + " characters" : "the JSON exceeds a size limit";
        } else if (original.startsWith("Duplicate field")) {
            message = "a member name appears twice in one object";
        } else if (original.startsWith("Trailing token")) {
            message = "there is data after the JSON value";
        } else if (original.contains("end-of-input") || original.contains("End-of-input")) {
            message = "the JSON ends too early";
        } else if (original.contains("Non-standard token") || original.contains("NaN")
                || original.contains("Infinity")) {
            message = "NaN and Infinity are not JSON numbers";
        } else if (original.contains("control character") || original.contains("CTRL-CHAR")) {
            message = "a string holds an unescaped control character";
        } else {
            message = "the JSON is not well-formed";
        }
        if (e.getLocation() != null && e.getLocation().getLineNr() > 0) {
            message += " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
        }
        return message;
    }

    private static void rejectNul(JsonNode node, String path) {
        if (node.isTextual()) {
            if (node.textValue().indexOf('\0') >= 0) {
                throw ProblemException.ofField(ProblemType.VALIDATION_FAILED, path.isEmpty() ? BODY : path,
                        "must not contain U+0000");
            }
        } else if (node.isObject()) {
            for (Map.Entry<String, JsonNode> member : node.properties()) {
                String at = path.isEmpty() ? member.getKey() : path + "." + member.getKey();
                if (member.getKey().indexOf('\0') >= 0) {
                    throw ProblemException.ofField(ProblemType.VALIDATION_FAILED, path.isEmpty() ? BODY : path,
                            "a member name must not contain U+0000");
                }
                rejectNul(member.getValue(), at);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                rejectNul(node.get(i), path + "[" + i + "]");
            }
        }
    }
}
