package io.stenographer.application.port.out;

import io.stenographer.application.port.in.ManageTileVisibilityUseCase.TileVisibility;
import io.stenographer.domain.event.TenantId;

/** Who may read a tenant's hash tiles, with the history of every change. */
public interface StoreTileVisibilityPort {

    /** The latest setting; private when it was never changed. */
    TileVisibility visibility(TenantId tenant);

    void record(TileVisibility change);
}
