package io.stenographer.application.port.in;

import io.stenographer.domain.access.Caller;
import io.stenographer.domain.event.FieldViolation;
import io.stenographer.domain.event.TenantId;
import java.util.Objects;

/**
 * @param before only checkpoints smaller than this tree size (the previous page's last); null for the newest
 * @param limit checkpoints per page, 1 to {@value #MAX_LIMIT}
 */
public record CheckpointHistoryQuery(Caller caller, TenantId tenant, Long before, int limit) {

    public static final int DEFAULT_LIMIT = 25;
    public static final int MAX_LIMIT = 500;

    public CheckpointHistoryQuery {
        Objects.requireNonNull(caller, "caller");
        Objects.requireNonNull(tenant, "tenant");
        if (before != null && before < 1) {
            throw new FieldViolation("before", "must be at least 1");
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new FieldViolation("limit", "must be between 1 and " + MAX_LIMIT);
        }
    }
}
