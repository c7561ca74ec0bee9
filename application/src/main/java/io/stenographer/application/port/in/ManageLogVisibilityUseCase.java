package io.stenographer.application.port.in;

import io.stenographer.domain.access.Caller;
import io.stenographer.domain.event.FieldViolation;
import io.stenographer.domain.event.TenantId;
import java.time.Instant;
import java.util.Objects;

/**
 * What of a tenant's log anyone may read without a token. By default nothing: its checkpoint and hash tiles are for
 * the tenant's own callers, since a public checkpoint tells anyone that the tenant exists, how many events it holds
 * and, from when its size moves, when its auditors search. Entry bundles hold whole events and are never public.
 */
public interface ManageLogVisibilityUseCase {

    LogVisibility visibility(Caller caller, TenantId tenant);

    LogVisibility change(ChangeLogVisibilityCommand command);

    /**
     * @param publicCheckpoint anyone may read the latest checkpoint and the key set
     * @param publicHashTiles anyone may read the hash tiles; only with a public checkpoint, since the tiles that
     *        exist tell the tree's size anyway
     * @param changedBy null, with {@code changedAt}, while the default was never changed
     */
    record LogVisibility(TenantId tenant, boolean publicCheckpoint, boolean publicHashTiles, String changedBy,
            Instant changedAt) {

        public LogVisibility {
            Objects.requireNonNull(tenant, "tenant");
            requireCheckpointWithTiles(publicCheckpoint, publicHashTiles);
        }

        public static LogVisibility defaultFor(TenantId tenant) {
            return new LogVisibility(tenant, false, false, null, null);
        }
    }

    record ChangeLogVisibilityCommand(Caller caller, TenantId tenant, boolean publicCheckpoint,
            boolean publicHashTiles) {

        public ChangeLogVisibilityCommand {
            Objects.requireNonNull(caller, "caller");
            Objects.requireNonNull(tenant, "tenant");
            requireCheckpointWithTiles(publicCheckpoint, publicHashTiles);
        }
    }

    private static void requireCheckpointWithTiles(boolean publicCheckpoint, boolean publicHashTiles) {
        if (publicHashTiles && !publicCheckpoint) {
            throw new FieldViolation("publicHashTiles",
                    "can be true only with publicCheckpoint true: public tiles reveal the tree's size anyway");
        }
    }
}
