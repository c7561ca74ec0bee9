package io.stenographer.domain.json;

import java.math.BigDecimal;

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

    /**
     * The number exactly as written, or an {@link IllegalArgumentException} when its canonical form (RFC 8785)
     * would say a different number: {@code 9007199254740993.0} would be kept as 9007199254740992 and
     * {@code 1e-400} as 0. An audit record must say exactly what was sent, so such numbers are refused, not rounded.
     */
    public static JsonNumber exactly(BigDecimal written) {
        double value = written.doubleValue();
        if (Double.isInfinite(value)) {
            throw new IllegalArgumentException("is out of the IEEE 754 double range");
        }
        if (new BigDecimal(CanonicalJson.formatNumber(value)).compareTo(written) != 0) {
            throw new IllegalArgumentException("cannot be kept exactly: a double holds it as "
                    + CanonicalJson.formatNumber(value) + "; send it as a string to keep every digit");
        }
        return new JsonNumber(value);
    }

    @Override
    public int depth() {
        return 0;
    }
}
