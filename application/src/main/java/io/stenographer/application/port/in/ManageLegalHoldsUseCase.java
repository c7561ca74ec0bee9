package io.stenographer.application.port.in;

import io.stenographer.domain.retention.HoldAlreadyReleased;
import io.stenographer.domain.retention.LegalHold;
import java.util.List;

/**
 * Legal holds of a tenant. Placing and releasing need compliance-admin for the tenant, reading auditor or
 * compliance-admin. Every change is recorded in the tenant's own log ({@code legal-hold.placed},
 * {@code legal-hold.released}) in the same transaction. A hold of a tenant the caller may not read is
 * reported as not found, so hold ids cannot be used to probe.
 *
 * <p>Jobs read active holds inside their own transaction through {@code StoreLegalHoldsPort.active(tenant)}.
 */
public interface ManageLegalHoldsUseCase {

    LegalHoldChange place(PlaceLegalHoldCommand command);

    /**
     * @throws LegalHoldNotFound if there is no such hold visible to the caller
     * @throws HoldAlreadyReleased if it was released before
     */
    LegalHoldChange release(ReleaseLegalHoldCommand command);

    /** The tenant's holds in the given status, oldest first. */
    List<LegalHold> list(LegalHoldsQuery query);

    /** @throws LegalHoldNotFound if there is no such hold visible to the caller */
    LegalHold get(LegalHoldQuery query);
}
