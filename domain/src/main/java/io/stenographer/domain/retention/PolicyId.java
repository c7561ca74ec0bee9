package io.stenographer.domain.retention;

import io.stenographer.domain.event.FieldViolation;
import java.util.regex.Pattern;

/** Names a retention policy within its tenant; every version of a policy shares the id. */
public record PolicyId(String value) {

    private static final Pattern FORMAT = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

    public PolicyId {
        if (value == null || value.isBlank()) {
            throw new FieldViolation("id", "is required");
        }
        if (!FORMAT.matcher(value).matches()) {
            throw new FieldViolation("id",
                    "must be 1-64 characters of lower-case letters, digits, '.', '_' and '-', starting with a letter or digit");
        }
    }

    public static PolicyId of(String value) {
        return new PolicyId(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
