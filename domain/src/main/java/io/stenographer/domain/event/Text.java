package io.stenographer.domain.event;

/**
 * Shared checks for free-text fields (of events, policies, holds): a length limit, no control characters
 * but tab (and newline where a field may span lines), no unpaired surrogates.
 */
public final class Text {

    private Text() {
    }

    static String required(String field, String value, int maxLength) {
        return required(field, value, maxLength, false);
    }

    static String optional(String field, String value, int maxLength) {
        return optional(field, value, maxLength, false);
    }

    public static String required(String field, String value, int maxLength, boolean multiline) {
        if (value == null || value.isBlank()) {
            throw new FieldViolation(field, "is required");
        }
        return checked(field, value, maxLength, multiline);
    }

    /** Optional text: null stays null, blank is rejected because it carries no meaning. */
    public static String optional(String field, String value, int maxLength, boolean multiline) {
        if (value == null) {
            return null;
        }
        if (value.isBlank()) {
            throw new FieldViolation(field, "must not be blank when present");
        }
        return checked(field, value, maxLength, multiline);
    }

    private static String checked(String field, String value, int maxLength, boolean multiline) {
        if (value.length() > maxLength) {
            throw new FieldViolation(field, "must be at most " + maxLength + " characters");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c) && c != '\t' && !(multiline && c == '\n')) {
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
