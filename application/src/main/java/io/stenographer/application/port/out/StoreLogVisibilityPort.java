package io.stenographer.application.port.out;

import io.stenographer.application.port.in.ManageLogVisibilityUseCase.LogVisibility;
import io.stenographer.domain.event.TenantId;

/** What of a tenant's log anyone may read, with the history of every change. */
public interface StoreLogVisibilityPort {

    /** The latest setting; private when it was never changed. */
    LogVisibility visibility(TenantId tenant);

    void record(LogVisibility change);
}
