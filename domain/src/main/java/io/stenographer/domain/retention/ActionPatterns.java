package io.stenographer.domain.retention;

import io.stenographer.domain.event.FieldViolation;
import io.stenographer.domain.query.ActionFilter;

/**
 * Action patterns of policies and holds, with exactly the semantics of the query filter
 * {@link ActionFilter}: {@code case.view} matches that action only, {@code case.*} every action whose
 * name starts with {@code case.}.
 */
final class ActionPatterns {

    private ActionPatterns() {
    }

    /** The pattern in its canonical text, or null for "any action"; a violation names {@code field}. */
    static String canonical(String field, String pattern) {
        if (pattern == null) {
            return null;
        }
        try {
            return ActionFilter.parse(pattern).toString();
        } catch (FieldViolation e) {
            throw new FieldViolation(field, e.detail());
        }
    }

    static boolean matches(String canonicalPattern, String action) {
        if (canonicalPattern == null) {
            return true;
        }
        return filter(canonicalPattern).matches(action);
    }

    static boolean isPrefix(String canonicalPattern) {
        return canonicalPattern != null && canonicalPattern.endsWith(".*");
    }

    /** Segments of a prefix pattern's stem: {@code case.*} has 1, {@code case.view.*} has 2. */
    static int prefixSegments(String canonicalPattern) {
        String stem = canonicalPattern.substring(0, canonicalPattern.length() - 2);
        return (int) stem.chars().filter(c -> c == '.').count() + 1;
    }

    private static ActionFilter filter(String canonicalPattern) {
        return isPrefix(canonicalPattern)
                ? new ActionFilter(canonicalPattern.substring(0, canonicalPattern.length() - 1), true)
                : new ActionFilter(canonicalPattern, false);
    }
}
