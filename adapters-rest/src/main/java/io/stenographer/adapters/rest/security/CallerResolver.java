package io.stenographer.adapters.rest.security;

import io.quarkus.security.identity.SecurityIdentity;
import io.stenographer.domain.access.Caller;
import io.stenographer.domain.access.CallerClaims;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.JsonArray;
import jakarta.json.JsonString;
import java.util.Collection;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Turns a verified bearer token into a {@link Caller}: its subject is the {@code sub} claim, and events it submits
 * record {@code sub@issuer}. Which grants the claims carry is {@link CallerClaims}' rule, shared with the console.
 */
@ApplicationScoped
public class CallerResolver {

    private final String tenantClaim;
    private final String grantClaim;
    private final CallerClaims claims;

    CallerResolver(@ConfigProperty(name = "stenographer.security.tenant-claim", defaultValue = "tenants")
            String tenantClaim,
            @ConfigProperty(name = "stenographer.security.tenant-value-prefix") Optional<String> tenantValuePrefix,
            @ConfigProperty(name = "stenographer.security.grant-claim", defaultValue = "grants") String grantClaim) {
        this.tenantClaim = tenantClaim;
        this.grantClaim = grantClaim;
        this.claims = new CallerClaims(tenantValuePrefix.orElse(""));
    }

    public Caller resolve(SecurityIdentity identity) {
        if (!(identity.getPrincipal() instanceof JsonWebToken token)) {
            return new Caller(identity.getPrincipal().getName(), Set.of());
        }
        String subject = token.getSubject() != null ? token.getSubject() : identity.getPrincipal().getName();
        return claims.resolve(subject, token.getIssuer(), identity.getRoles(), claimValues(token.getClaim(grantClaim)),
                claimValues(token.getClaim(tenantClaim)));
    }

    /** A claim's string values, whether the token carries a string or an array. */
    public static Collection<String> claimValues(Object claim) {
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
