package io.stenographer.adapters.rest.security;

import io.quarkus.security.identity.SecurityIdentity;
import io.stenographer.domain.access.Caller;
import io.stenographer.domain.access.Role;
import io.stenographer.domain.event.TenantId;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Turns a verified token into a {@link Caller}. Roles come from the role claim that quarkus-oidc is
 * configured with; tenants come from {@code stenographer.security.tenant-claim}, a string or an array.
 * A configured prefix lets providers that can only emit groups carry tenants as e.g. {@code tenant:acme}.
 */
@ApplicationScoped
public class CallerResolver {

    private final String tenantClaim;
    private final String tenantValuePrefix;

    CallerResolver(@ConfigProperty(name = "stenographer.security.tenant-claim", defaultValue = "tenants")
            String tenantClaim,
            @ConfigProperty(name = "stenographer.security.tenant-value-prefix") Optional<String> tenantValuePrefix) {
        this.tenantClaim = tenantClaim;
        this.tenantValuePrefix = tenantValuePrefix.orElse("");
    }

    public Caller resolve(SecurityIdentity identity) {
        Set<Role> roles = new HashSet<>();
        for (String role : identity.getRoles()) {
            Role.fromClaimValue(role).ifPresent(roles::add);
        }
        Set<TenantId> tenants = new HashSet<>();
        if (identity.getPrincipal() instanceof JsonWebToken token) {
            for (String value : claimValues(token.getClaim(tenantClaim))) {
                if (value.startsWith(tenantValuePrefix)) {
                    try {
                        tenants.add(new TenantId(value.substring(tenantValuePrefix.length())));
                    } catch (IllegalArgumentException malformed) {
                        // A malformed tenant value grants nothing; it must not fail the request.
                    }
                }
            }
        }
        return new Caller(identity.getPrincipal().getName(), roles, tenants);
    }

    /** The tenant a request names, or the caller's only tenant when it names none. */
    public static TenantId requestedTenant(String tenant, Caller caller) {
        if (tenant != null) {
            return new TenantId(tenant);
        }
        if (caller.tenants().size() == 1) {
            return caller.tenants().iterator().next();
        }
        throw new io.stenographer.domain.event.FieldViolation("tenant",
                "is required when the token grants more than one tenant");
    }

    private static Collection<String> claimValues(Object claim) {
        Set<String> values = new HashSet<>();
        if (claim instanceof String text) {
            values.add(text);
        } else if (claim instanceof jakarta.json.JsonString text) {
            values.add(text.getString());
        } else if (claim instanceof jakarta.json.JsonArray array) {
            array.forEach(item -> {
                if (item instanceof jakarta.json.JsonString text) {
                    values.add(text.getString());
                }
            });
        } else if (claim instanceof Collection<?> collection) {
            collection.forEach(item -> values.add(String.valueOf(item)));
        }
        return values;
    }
}
