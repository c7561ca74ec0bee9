package io.stenographer.domain.retention;

import io.stenographer.domain.event.Text;

/** The free-text rules of policies and holds: those of events, except that reasons may span lines. */
final class RetentionTexts {

    static final int MAX_NAME_LENGTH = 256;

    private RetentionTexts() {
    }

    static String required(String field, String value, int maxLength) {
        return Text.required(field, value, maxLength, true);
    }

    static String optional(String field, String value, int maxLength) {
        return Text.optional(field, value, maxLength, true);
    }
}
