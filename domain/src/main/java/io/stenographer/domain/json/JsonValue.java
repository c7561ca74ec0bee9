package io.stenographer.domain.json;

/**
 * A JSON value as the domain sees it. The domain owns its own tiny JSON model so that the canonical
 * form of an event (RFC 8785) can be computed without any library, here and in the offline verifier.
 */
public sealed interface JsonValue permits JsonObject, JsonArray, JsonString, JsonNumber, JsonBoolean, JsonNull {

    /** Nesting depth: scalars are 0, an empty object or array is 1. */
    int depth();
}
