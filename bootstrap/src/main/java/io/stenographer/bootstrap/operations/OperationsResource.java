package io.stenographer.bootstrap.operations;

import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * What the public health probes leave out: each check's data (addresses, error text). The service's, not a tenant's:
 * for operators ({@code metrics-reader}), not for a tenant's compliance admin.
 */
@Path("/api/v1/operations/health")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "operations")
@SecurityRequirement(name = "bearer")
public class OperationsResource {

    private final Instance<DetailedHealthCheck> checks;

    OperationsResource(@Any Instance<DetailedHealthCheck> checks) {
        this.checks = checks;
    }

    /** One health check's detailed answer. */
    public record CheckDetail(String name, String status, Map<String, Object> data) {
    }

    @GET
    @RolesAllowed("metrics-reader")
    @Operation(summary = "Every health check with its details",
            description = "The anonymous /q/health probes answer UP or DOWN per check only; this is where the "
                    + "reasons are (database error text, archive and identity-provider problems).")
    public List<CheckDetail> details() {
        return checks.stream()
                .map(DetailedHealthCheck::detailed)
                .map(response -> new CheckDetail(response.getName(), response.getStatus().name(),
                        new LinkedHashMap<>(response.getData().orElse(Map.of()))))
                .sorted(Comparator.comparing(CheckDetail::name))
                .toList();
    }
}
