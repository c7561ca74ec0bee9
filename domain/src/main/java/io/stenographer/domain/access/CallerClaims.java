package io.stenographer.domain.access;

import io.stenographer.domain.access.Caller.Grant;
import io.stenographer.domain.event.TenantId;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Turns the claims of a verified token into a {@link Caller}, the same for the API's bearer tokens and the console's
 * login (docs/SECURITY.md, "Roles and tenants"). Grants come in one of two forms:
 * <ul>
 * <li>Per-tenant grants: values {@code grant:<role>:<tenant>}. When a token carries any, they are its only grants,
 * so a writer of one tenant who audits another cannot audit the first.</li>
 * <li>Otherwise every role applies to every tenant of the tenant claim (a configured prefix lets providers that can
 * only emit groups carry tenants as {@code tenant:acme}).</li>
 * </ul>
 * The {@code grant:} prefix cannot collide with a tenant value ({@code tenant:}) or a role name. Malformed values
 * grant nothing and never fail the request.
 */
public final class CallerClaims {

    public static final String GRANT_PREFIX = "grant:";

    private final String tenantValuePrefix;

    public CallerClaims(String tenantValuePrefix) {
        this.tenantValuePrefix = tenantValuePrefix == null ? "" : tenantValuePrefix;
    }

    /**
     * @param subject the token's {@code sub} (stable; a username can be renamed or reused)
     * @param issuer the token's {@code iss}, or null
     * @param roleValues the token's roles, as the provider named them
     * @param grantValues the values of the grant claim
     * @param tenantValues the values of the tenant claim
     */
    public Caller resolve(String subject, String issuer, Collection<String> roleValues, Collection<String> grantValues,
            Collection<String> tenantValues) {
        List<String> grants = grantValues.stream().filter(value -> value.startsWith(GRANT_PREFIX)).toList();
        if (!grants.isEmpty()) {
            // Fail closed: a token in grant form never falls back to roles x tenants, even if no grant is valid.
            return new Caller(subject, issuer, grants(grants));
        }
        Set<Role> roles = new HashSet<>();
        roleValues.forEach(role -> Role.fromClaimValue(role).ifPresent(roles::add));
        Set<TenantId> tenants = new HashSet<>();
        for (String value : tenantValues) {
            if (value.startsWith(tenantValuePrefix)) {
                tenantId(value.substring(tenantValuePrefix.length())).ifPresent(tenants::add);
            }
        }
        return Caller.withRolesOnTenants(subject, roles, tenants).issuedBy(issuer);
    }

    private static Set<Grant> grants(List<String> values) {
        Set<Grant> grants = new HashSet<>();
        for (String value : values) {
            String[] parts = value.substring(GRANT_PREFIX.length()).split(":", -1);
            if (parts.length == 2) {
                Optional<Role> role = Role.fromClaimValue(parts[0]);
                Optional<TenantId> tenant = tenantId(parts[1]);
                if (role.isPresent() && tenant.isPresent()) {
                    grants.add(new Grant(role.get(), tenant.get()));
                }
            }
        }
        return grants;
    }

    private static Optional<TenantId> tenantId(String value) {
        try {
            return Optional.of(new TenantId(value));
        } catch (IllegalArgumentException malformed) {
            return Optional.empty();
        }
    }
}
