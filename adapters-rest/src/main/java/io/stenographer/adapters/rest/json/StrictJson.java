package io.stenographer.adapters.rest.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
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

/**
 * Strict JSON reading for request bodies: valid UTF-8 only, no duplicate keys, no trailing data, no
 * unknown fields, and no silent type coercion. An audit record must say exactly what the client sent.
 */
public final class StrictJson {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
            .build();

    static {
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(200)
                .maxStringLength(1 << 20)
                .maxNumberLength(400)
                .build());
        MAPPER.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        MAPPER.coercionConfigDefaults()
                .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
    }

    private StrictJson() {
    }

    /** Decodes and parses a body, refusing anything above {@code maxBytes}. */
    public static JsonNode readTree(byte[] body, int maxBytes) {
        if (body == null || body.length == 0) {
            throw ProblemException.of(ProblemType.MALFORMED_JSON, "the request body is empty");
        }
        if (body.length > maxBytes) {
            throw ProblemException.of(ProblemType.PAYLOAD_TOO_LARGE,
                    "the body is " + body.length + " bytes; the limit is " + maxBytes);
        }
        String text = decodeUtf8(body);
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw ProblemException.of(ProblemType.MALFORMED_JSON, describe(e));
        }
    }

    /** Binds a tree to a record type; {@code pathPrefix} names where the tree sits, e.g. {@code events[2]}. */
    public static <T> T bind(JsonNode node, Class<T> type, String pathPrefix) {
        try {
            return MAPPER.treeToValue(node, type);
        } catch (UnrecognizedPropertyException e) {
            throw ProblemException.ofField(ProblemType.UNKNOWN_FIELD, path(pathPrefix, e),
                    "is not a known field (unknown fields are rejected, not dropped)");
        } catch (MismatchedInputException e) {
            throw ProblemException.ofField(ProblemType.WRONG_TYPE, path(pathPrefix, e),
                    "has the wrong JSON type" + expected(e));
        } catch (JsonProcessingException e) {
            throw ProblemException.of(ProblemType.MALFORMED_JSON, describe(e));
        } catch (IllegalArgumentException e) {
            throw ProblemException.of(ProblemType.WRONG_TYPE, e.getMessage());
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
        return path.isEmpty() ? "(body)" : path.toString();
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

    private static String describe(JsonProcessingException e) {
        String message = e.getOriginalMessage();
        if (e.getLocation() != null) {
            message += " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
        }
        return message;
    }
}
