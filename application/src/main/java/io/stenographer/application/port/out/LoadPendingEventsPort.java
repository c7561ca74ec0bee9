package io.stenographer.application.port.out;

import io.stenographer.domain.event.EventId;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.merkle.Hash;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Events recorded but not yet given a leaf index, and the per-tenant sequencer lock. */
public interface LoadPendingEventsPort {

    /**
     * Up to {@code max} tenants with queued events in tenant order, starting after {@code after} (from the first when
     * empty) and wrapping around to the first: a sequencer that passes the last tenant it served reaches every tenant
     * however many there are.
     */
    List<TenantId> tenantsWithPendingEvents(Optional<TenantId> after, int max);

    /**
     * Takes the sequencer lock of each of {@code tenants} that no other transaction holds, for the rest of the
     * current transaction, and returns the tenants it locked. This is what makes one sequencer per tenant safe
     * across workers and instances.
     */
    Set<TenantId> tryLockSequencers(Collection<TenantId> tenants);

    /**
     * Each tenant's oldest pending events that are committed and visible now, at most {@code limitEach} per tenant,
     * in arrival order; a tenant with none is absent.
     */
    Map<TenantId, List<PendingLeaf>> pendingLeaves(Collection<TenantId> tenants, int limitEach);

    record PendingLeaf(EventId eventId, Hash leafHash, Instant receivedAt) {
    }
}
