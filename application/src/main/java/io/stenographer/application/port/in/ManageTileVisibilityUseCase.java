package io.stenographer.application.port.in;

import io.stenographer.domain.access.Caller;
import io.stenographer.domain.event.TenantId;
import java.time.Instant;
import java.util.Objects;

/**
 * Whether anyone may read a tenant's hash tiles, or only its auditors (the default). Entry bundles hold whole events
 * and are never public.
 */
public interface ManageTileVisibilityUseCase {

    TileVisibility visibility(Caller caller, TenantId tenant);

    TileVisibility change(ChangeTileVisibilityCommand command);

    /** @param changedBy null, with {@code changedAt}, while the default was never changed */
    record TileVisibility(TenantId tenant, boolean publicHashTiles, String changedBy, Instant changedAt) {

        public TileVisibility {
            Objects.requireNonNull(tenant, "tenant");
        }

        public static TileVisibility defaultFor(TenantId tenant) {
            return new TileVisibility(tenant, false, null, null);
        }
    }

    record ChangeTileVisibilityCommand(Caller caller, TenantId tenant, boolean publicHashTiles) {

        public ChangeTileVisibilityCommand {
            Objects.requireNonNull(caller, "caller");
            Objects.requireNonNull(tenant, "tenant");
        }
    }
}
