package io.stenographer.bootstrap.operations;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;

/**
 * A health check whose public answer (the anonymous {@code /q/health} probes) is its name and UP or DOWN only;
 * the addresses and error text that explain it are for operators, at {@code GET /api/v1/operations/health}.
 */
public abstract class DetailedHealthCheck implements HealthCheck {

    /** The full answer, with its data: for the authenticated details endpoint only. */
    public abstract HealthCheckResponse detailed();

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponse detailed = detailed();
        return HealthCheckResponse.named(detailed.getName())
                .status(detailed.getStatus() == HealthCheckResponse.Status.UP).build();
    }
}
