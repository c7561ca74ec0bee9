package io.stenographer.domain.query;

import io.stenographer.domain.event.Action;
import io.stenographer.domain.event.FieldViolation;

/** An exact action ({@code case.export}) or every action under a prefix ({@code case.*}). */
public record ActionFilter(String value, boolean prefix) {

    public ActionFilter {
        if (value == null || value.isBlank()) {
            throw new FieldViolation("action", "must not be blank");
        }
    }

    public static ActionFilter parse(String text) {
        if (text == null || text.isBlank()) {
            throw new FieldViolation("action", "must not be blank");
        }
        if (text.endsWith(".*")) {
            String stem = text.substring(0, text.length() - 2);
            if (!stem.matches("[a-z][a-z0-9_-]*(\\.[a-z][a-z0-9_-]*)*")) {
                throw new FieldViolation("action", "a prefix filter looks like 'case.*'");
            }
            return new ActionFilter(stem + ".", true);
        }
        return new ActionFilter(Action.of(text).value(), false);
    }

    public boolean matches(String action) {
        return prefix ? action.startsWith(value) : action.equals(value);
    }

    @Override
    public String toString() {
        return prefix ? value + "*" : value;
    }
}
