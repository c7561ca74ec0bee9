package io.stenographer.application.port.in;

import io.stenographer.domain.access.Caller;
import io.stenographer.domain.event.TenantId;
import java.util.List;
import java.util.Objects;

/**
 * Verify a tenant's whole log now.
 *
 * @param trustedCheckpoints signed notes the caller kept from earlier (e.g. from a witness); the log must still
 *     be consistent with each of them
 * @param allCheckpoints      check every stored checkpoint, not only those above the newest one an earlier run
 *     with no findings accepted
 */
public record VerifyLogCommand(Caller caller, TenantId tenant, List<String> trustedCheckpoints,
        boolean allCheckpoints) {

    public VerifyLogCommand {
        Objects.requireNonNull(caller, "caller");
        Objects.requireNonNull(tenant, "tenant");
        trustedCheckpoints = List.copyOf(trustedCheckpoints);
    }
}
