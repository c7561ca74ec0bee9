package io.stenographer.application.port.out;

import io.stenographer.domain.event.EventId;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.merkle.Hash;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Events recorded but not yet given a leaf index, and the per-tenant sequencer lock. */
public interface LoadPendingEventsPort {

    /**
     * Up to {@code max} tenants with queued events in tenant order, starting after {@code after} (from the first when
     * empty) and wrapping around to the first: a sequencer that passes the last tenant it served reaches every tenant
     * however many there are.
     */
    List<TenantId> tenantsWithPendingEvents(Optional<TenantId> after, int max);

    /**
     * Takes the tenant's sequencer lock for the rest of the current transaction; false when another
     * instance holds it. This is what makes one sequencer per tenant safe across instances.
     */
    boolean tryLockSequencer(TenantId tenant);

    /** The oldest pending events of the tenant that are committed and visible now, in arrival order. */
    List<PendingLeaf> pendingLeaves(TenantId tenant, int limit);

    record PendingLeaf(EventId eventId, Hash leafHash, Instant receivedAt) {
    }
}
