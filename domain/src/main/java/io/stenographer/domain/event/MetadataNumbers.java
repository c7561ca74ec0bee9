package io.stenographer.domain.event;

import io.stenographer.domain.json.JsonNumber;
import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * How a number in an event's metadata is kept: exactly as written, or refused with its path. The service's request
 * mapper and the in-app client both go through here, so they refuse the same numbers with the same words.
 */
public final class MetadataNumbers {

    private static final BigInteger MAX_EXACT_INTEGER = BigInteger.ONE.shiftLeft(53);

    private MetadataNumbers() {
    }

    /**
     * @param integral the number was written as an integer (no fraction, no exponent)
     * @throws FieldViolation naming {@code path} when the value cannot be kept exactly
     */
    public static JsonNumber exact(String path, BigDecimal value, boolean integral) {
        if (integral && value.toBigInteger().abs().compareTo(MAX_EXACT_INTEGER) > 0) {
            throw new FieldViolation(path,
                    "integers beyond +/-2^53 cannot be represented exactly (RFC 7493); send them as strings");
        }
        try {
            return JsonNumber.exactly(value);
        } catch (IllegalArgumentException e) {
            throw new FieldViolation(path, e.getMessage());
        }
    }
}
