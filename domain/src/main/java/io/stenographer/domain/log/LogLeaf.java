package io.stenographer.domain.log;

import io.stenographer.domain.event.EventId;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.merkle.Hash;
import java.util.Objects;

/** An event's place in its tenant's log. */
public record LogLeaf(TenantId tenant, long index, EventId eventId, Hash leafHash) {

    public LogLeaf {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(leafHash, "leafHash");
        if (index < 0) {
            throw new IllegalArgumentException("leaf index must be >= 0, was " + index);
        }
    }
}
