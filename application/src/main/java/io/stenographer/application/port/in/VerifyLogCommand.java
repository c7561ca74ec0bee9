package io.stenographer.application.port.in;

import io.stenographer.domain.access.Caller;
import io.stenographer.domain.event.TenantId;
import java.util.List;
import java.util.Objects;

/**
 * Verify a tenant's log now.
 *
 * @param trustedCheckpoints signed notes the caller kept from earlier (e.g. from a witness); the log must still
 *     be consistent with each of them
 * @param full               recompute every leaf and check every stored checkpoint; otherwise continue from the
 *     newest checkpoint the tenant's last run accepted with no findings, when there is one: only the leaves and
 *     checkpoints above it are checked, and the tree below is held to that checkpoint's signed root
 */
public record VerifyLogCommand(Caller caller, TenantId tenant, List<String> trustedCheckpoints, boolean full) {

    public VerifyLogCommand {
        Objects.requireNonNull(caller, "caller");
        Objects.requireNonNull(tenant, "tenant");
        trustedCheckpoints = List.copyOf(trustedCheckpoints);
    }
}
