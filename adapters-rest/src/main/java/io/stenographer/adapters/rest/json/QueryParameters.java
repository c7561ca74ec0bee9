package io.stenographer.adapters.rest.json;

import io.stenographer.domain.event.FieldViolation;

/** Query-parameter parsing shared by the resources, so every endpoint refuses the same inputs the same way. */
public final class QueryParameters {

    private QueryParameters() {
    }

    /** An absent flag is false; anything but {@code true} or {@code false} is a 400 naming the parameter. */
    public static boolean flag(String field, String value) {
        if (value == null || value.equals("false")) {
            return false;
        }
        if (value.equals("true")) {
            return true;
        }
        throw new FieldViolation(field, "must be true or false");
    }
}
