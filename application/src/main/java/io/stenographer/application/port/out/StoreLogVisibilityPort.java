package io.stenographer.application.port.out;

import io.stenographer.application.port.in.ManageLogVisibilityUseCase.LogVisibility;
import io.stenographer.domain.event.TenantId;

/** What of a tenant's log anyone may read, with the history of every change. */
public interface StoreLogVisibilityPort {

    /** The latest setting; private when it was never changed. */
    LogVisibility visibility(TenantId tenant);

    /**
     * The latest setting, read for a change: the tenant's other changes wait until this transaction ends, so each
     * is judged against, and stamped after, the one before it.
     */
    LogVisibility visibilityForChange(TenantId tenant);

    /** Stores the change as the latest setting; returns it as stored (its time may be later than asked). */
    LogVisibility record(LogVisibility change);
}
