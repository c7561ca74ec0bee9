package io.stenographer.domain.retention;

import io.stenographer.domain.event.FieldViolation;

/** Shared checks for the free-text fields of policies and holds. */
final class RetentionTexts {

    static final int MAX_NAME_LENGTH = 256;

    private RetentionTexts() {
    }

    static String required(String field, String value, int maxLength) {
        if (value == null || value.isBlank()) {
            throw new FieldViolation(field, "is required");
        }
        return checked(field, value, maxLength);
    }

    /** Optional text: null stays null, blank is rejected because it carries no meaning. */
    static String optional(String field, String value, int maxLength) {
        if (value == null) {
            return null;
        }
        if (value.isBlank()) {
            throw new FieldViolation(field, "must not be blank when present");
        }
        return checked(field, value, maxLength);
    }

    private static String checked(String field, String value, int maxLength) {
        if (value.length() > maxLength) {
            throw new FieldViolation(field, "must be at most " + maxLength + " characters");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c) && c != '\t' && c != '\n') {
                throw new FieldViolation(field, "must not contain control characters");
            }
            if (Character.isSurrogate(c)) {
                boolean paired = Character.isHighSurrogate(c) && i + 1 < value.length()
                        && Character.isLowSurrogate(value.charAt(i + 1));
                if (!paired) {
                    throw new FieldViolation(field, "must not contain unpaired surrogates");
                }
                i++;
            }
        }
        return value;
    }
}
