package io.stenographer.domain.json;

/**
 * A JSON number. RFC 8785 canonicalises numbers as IEEE 754 doubles, so that is what is kept;
 * NaN and infinities have no JSON form and are rejected.
 */
public record JsonNumber(double value) implements JsonValue {

    public JsonNumber {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            throw new IllegalArgumentException("JSON numbers must be finite");
        }
    }

    @Override
    public int depth() {
        return 0;
    }
}
