package io.stenographer.adapters.rest.security;

import io.quarkus.security.identity.SecurityIdentity;
import io.stenographer.domain.access.Caller;
import io.stenographer.domain.access.Caller.Grant;
import io.stenographer.domain.access.Role;
import io.stenographer.domain.event.TenantId;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.JsonArray;
import jakarta.json.JsonString;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Turns a verified token into a {@link Caller}: its subject is the {@code sub} claim, and events it submits record
 * {@code sub@issuer}. Its grants come in one of two forms (docs/SECURITY.md, "Roles and tenants"):
 * <ul>
 * <li>Per-tenant grants: values {@code grant:<role>:<tenant>} in {@code stenographer.security.grant-claim}. When a
 * token carries any, they are its only grants, so a writer of one tenant who audits another cannot audit the
 * first.</li>
 * <li>Otherwise every role of the role claim applies to every tenant of {@code stenographer.security.tenant-claim}
 * (a string or an array; a configured prefix lets providers that can only emit groups carry tenants as
 * {@code tenant:acme}).</li>
 * </ul>
 * The {@code grant:} prefix cannot collide with a tenant value ({@code tenant:}) or a role name. Malformed values
 * grant nothing and never fail the request; a token with any {@code grant:} value is judged by its grants alone.
 */
@ApplicationScoped
public class CallerResolver {

    static final String GRANT_PREFIX = "grant:";

    private final String tenantClaim;
    private final String tenantValuePrefix;
    private final String grantClaim;

    CallerResolver(@ConfigProperty(name = "stenographer.security.tenant-claim", defaultValue = "tenants")
            String tenantClaim,
            @ConfigProperty(name = "stenographer.security.tenant-value-prefix") Optional<String> tenantValuePrefix,
            @ConfigProperty(name = "stenographer.security.grant-claim", defaultValue = "grants") String grantClaim) {
        this.tenantClaim = tenantClaim;
        this.tenantValuePrefix = tenantValuePrefix.orElse("");
        this.grantClaim = grantClaim;
    }

    public Caller resolve(SecurityIdentity identity) {
        if (!(identity.getPrincipal() instanceof JsonWebToken token)) {
            return new Caller(identity.getPrincipal().getName(), Set.of());
        }
        // Pinned to sub (stable; a username can be renamed or reused), qualified by the issuer in submittedBy.
        String subject = token.getSubject() != null ? token.getSubject() : identity.getPrincipal().getName();
        return resolve(subject, identity, token).issuedBy(token.getIssuer());
    }

    private Caller resolve(String subject, SecurityIdentity identity, JsonWebToken token) {
        List<String> grantValues = claimValues(token.getClaim(grantClaim)).stream()
                .filter(value -> value.startsWith(GRANT_PREFIX)).toList();
        if (!grantValues.isEmpty()) {
            // Fail closed: a token in grant form never falls back to roles x tenants, even if no grant is valid.
            return new Caller(subject, grants(grantValues));
        }
        Set<Role> roles = new HashSet<>();
        for (String role : identity.getRoles()) {
            Role.fromClaimValue(role).ifPresent(roles::add);
        }
        Set<TenantId> tenants = new HashSet<>();
        for (String value : claimValues(token.getClaim(tenantClaim))) {
            if (value.startsWith(tenantValuePrefix)) {
                tenantId(value.substring(tenantValuePrefix.length())).ifPresent(tenants::add);
            }
        }
        return Caller.withRolesOnTenants(subject, roles, tenants);
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

    private static Collection<String> claimValues(Object claim) {
        Set<String> values = new HashSet<>();
        if (claim instanceof String text) {
            values.add(text);
        } else if (claim instanceof JsonString text) {
            values.add(text.getString());
        } else if (claim instanceof JsonArray array) {
            array.forEach(item -> {
                if (item instanceof JsonString text) {
                    values.add(text.getString());
                }
            });
        } else if (claim instanceof Collection<?> collection) {
            collection.forEach(item -> values.add(String.valueOf(item)));
        }
        return values;
    }
}
