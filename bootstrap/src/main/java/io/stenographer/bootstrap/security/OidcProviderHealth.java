package io.stenographer.bootstrap.security;

import io.quarkus.oidc.runtime.TenantConfigBean;
import io.quarkus.oidc.runtime.TenantConfigContext;
import io.stenographer.bootstrap.operations.DetailedHealthCheck;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness is DOWN until the OIDC provider has been reached once (discovery and signing keys fetched), and UP from
 * then on. While DOWN every probe retries the connection, so the service becomes ready by itself once the provider
 * is reachable, with no restart and without waiting for a request.
 *
 * <p>Quarkus' own OIDC health check ({@code quarkus.oidc.health.enabled}) is not used: it asks the provider on every
 * probe, so a provider outage would take every instance out of rotation although the keys already fetched still
 * verify tokens. The tenant's state is read through {@link TenantConfigBean}, Quarkus OIDC's runtime bean, because
 * no public API tells whether the default tenant has connected.
 */
@Readiness
@ApplicationScoped
public class OidcProviderHealth extends DetailedHealthCheck {

    static final String NAME = "oidc-provider";

    private final TenantConfigBean tenants;
    private final Duration connectTimeout;

    OidcProviderHealth(TenantConfigBean tenants,
            @ConfigProperty(name = "stenographer.security.oidc-health-timeout", defaultValue = "3S")
            Duration connectTimeout) {
        this.tenants = tenants;
        this.connectTimeout = connectTimeout;
    }

    @Override
    public HealthCheckResponse detailed() {
        TenantConfigContext tenant = tenants.getDefaultTenant();
        if (tenant.oidcConfig() == null || !tenant.oidcConfig().tenantEnabled()) {
            return HealthCheckResponse.named(NAME).up().withData("provider", "disabled").build();
        }
        String url = tenant.oidcConfig().authServerUrl().orElse("(public key)");
        if (tenant.ready()) {
            return connected(url);
        }
        try {
            if (tenant.initialize().await().atMost(connectTimeout).ready()) {
                return connected(url);
            }
            return unreachable(url, "not connected yet");
        } catch (RuntimeException e) {
            return unreachable(url, String.valueOf(e.getMessage()));
        }
    }

    private static HealthCheckResponse connected(String url) {
        return HealthCheckResponse.named(NAME).up().withData("url", url).withData("state", "connected").build();
    }

    private static HealthCheckResponse unreachable(String url, String reason) {
        return HealthCheckResponse.named(NAME).down().withData("url", url).withData("state", "unreachable")
                .withData("reason", reason).build();
    }
}
