package io.stenographer.domain.event;

import java.util.Locale;

/** How the action ended. */
public enum Outcome {
    SUCCESS, FAILURE, DENIED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Outcome fromWireName(String field, String text) {
        if (text == null) {
            throw new FieldViolation(field, "is required");
        }
        return switch (text) {
            case "success" -> SUCCESS;
            case "failure" -> FAILURE;
            case "denied" -> DENIED;
            default -> throw new FieldViolation(field, "must be one of: success, failure, denied");
        };
    }
}
