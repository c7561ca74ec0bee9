package io.stenographer.domain.privacy;

import io.stenographer.domain.event.TenantId;
import java.time.Instant;
import java.util.UUID;

/** An erasure as recorded: the subject only by its blind index. */
public record SubjectErasure(UUID id, TenantId tenant, SubjectIndex subject, String requestedBy, Instant erasedAt,
        int keysDestroyed, long valuesDeleted) {
}
