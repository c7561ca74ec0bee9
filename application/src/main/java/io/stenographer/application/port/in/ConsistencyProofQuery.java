package io.stenographer.application.port.in;

import io.stenographer.domain.access.Caller;
import io.stenographer.domain.event.TenantId;
import java.util.Objects;

/** @param toSize the later tree; null for the latest checkpoint */
public record ConsistencyProofQuery(Caller caller, TenantId tenant, long fromSize, Long toSize) {

    public ConsistencyProofQuery {
        Objects.requireNonNull(caller, "caller");
        Objects.requireNonNull(tenant, "tenant");
    }
}
