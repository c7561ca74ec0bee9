package io.stenographer.domain.event;

import java.util.regex.Pattern;

/** What was done, as a dotted lower-case name such as {@code case.export}. */
public record Action(String value) {

    public static final int MAX_LENGTH = 128;
    private static final Pattern FORMAT = Pattern.compile("[a-z][a-z0-9_-]*(\\.[a-z][a-z0-9_-]*)+");

    public Action {
        if (value == null || value.isBlank()) {
            throw new FieldViolation("action", "is required");
        }
        if (value.length() > MAX_LENGTH) {
            throw new FieldViolation("action", "must be at most " + MAX_LENGTH + " characters");
        }
        if (!FORMAT.matcher(value).matches()) {
            throw new FieldViolation("action",
                    "must be dotted lower-case segments such as 'case.export' (letters, digits, '_' and '-')");
        }
    }

    public static Action of(String value) {
        return new Action(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
