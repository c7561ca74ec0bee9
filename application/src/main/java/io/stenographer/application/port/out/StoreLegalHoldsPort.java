package io.stenographer.application.port.out;

import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.retention.HoldAlreadyReleased;
import io.stenographer.domain.retention.HoldId;
import io.stenographer.domain.retention.LegalHold;
import java.util.List;
import java.util.Optional;

/**
 * Stored legal holds. Append-only: placing a hold adds a row, releasing it adds a release row (at most one
 * per hold); nothing is updated or deleted. Every call runs inside the caller's transaction.
 */
public interface StoreLegalHoldsPort {

    /** Stores a newly placed, active hold. */
    void appendHold(LegalHold hold);

    /**
     * Records the release of a stored hold ({@code released} carries the release fields).
     *
     * @throws HoldAlreadyReleased if the hold has a release already (a concurrent release won)
     */
    void appendRelease(LegalHold released);

    /** The hold with its release applied, whatever its tenant; the caller checks access. */
    Optional<LegalHold> find(HoldId id);

    /** Every hold of the tenant, active and released, oldest first. */
    List<LegalHold> all(TenantId tenant);

    /** The tenant's active holds, oldest first: what archive and purge must respect. */
    List<LegalHold> active(TenantId tenant);
}
