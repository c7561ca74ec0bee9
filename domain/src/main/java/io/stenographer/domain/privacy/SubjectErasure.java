package io.stenographer.domain.privacy;

import io.stenographer.domain.event.TenantId;
import java.time.Instant;
import java.util.UUID;

/**
 * An erasure as recorded: the subject only by its blind index. Its keys are destroyed by the erasure itself, so
 * every value under them is unreadable from then on; {@code eventsCleared} were deleted in the same transaction, and
 * when {@code valuesPending} the rest are deleted by the sweep that follows within seconds. {@code reportKeysDestroyed}
 * counts the stored reports with the subject's personal values whose own keys were destroyed with it.
 */
public record SubjectErasure(UUID id, TenantId tenant, SubjectIndex subject, String requestedBy, Instant erasedAt,
        int keysDestroyed, long eventsCleared, boolean valuesPending, int reportKeysDestroyed) {
}
