package io.stenographer.domain.query;

import io.stenographer.domain.event.FieldViolation;

/** One page of a keyset scan; {@code after} is null for the first page. */
public record PageRequest(EventCursor after, int limit) {

    public static final int MAX_LIMIT = 1000;
    public static final int DEFAULT_LIMIT = 100;

    public PageRequest {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new FieldViolation("limit", "must be between 1 and " + MAX_LIMIT);
        }
    }

    public static PageRequest first(int limit) {
        return new PageRequest(null, limit);
    }
}
