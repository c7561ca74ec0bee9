package io.stenographer.domain.json;

import java.util.Objects;

/** A JSON string. Lone surrogates are rejected: they cannot be encoded as UTF-8. */
public record JsonString(String value) implements JsonValue {

    public JsonString {
        Objects.requireNonNull(value, "value");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= value.length() || !Character.isLowSurrogate(value.charAt(i + 1))) {
                    throw new IllegalArgumentException("string contains a lone surrogate at position " + i);
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                throw new IllegalArgumentException("string contains a lone surrogate at position " + i);
            }
        }
    }

    @Override
    public int depth() {
        return 0;
    }
}
