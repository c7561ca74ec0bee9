package io.stenographer.adapters.web;

import io.quarkus.security.identity.SecurityIdentity;
import io.stenographer.domain.access.Caller;
import io.stenographer.domain.access.CallerClaims;
import io.stenographer.domain.event.TenantId;
import jakarta.enterprise.context.RequestScoped;
import jakarta.json.JsonArray;
import jakarta.json.JsonString;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * The signed-in user of the current console request, as the same {@link Caller} the API would build from the same
 * claims ({@link CallerClaims}): roles and tenants apply exactly as in the API.
 */
@RequestScoped
public class ConsoleSession {

    private final SecurityIdentity identity;
    private final String tenantClaim;
    private final String grantClaim;
    private final CallerClaims claims;
    private Caller caller;

    ConsoleSession(SecurityIdentity identity,
            @ConfigProperty(name = "stenographer.security.tenant-claim", defaultValue = "tenants") String tenantClaim,
            @ConfigProperty(name = "stenographer.security.tenant-value-prefix") Optional<String> tenantValuePrefix,
            @ConfigProperty(name = "stenographer.security.grant-claim", defaultValue = "grants") String grantClaim) {
        this.identity = identity;
        this.tenantClaim = tenantClaim;
        this.grantClaim = grantClaim;
        this.claims = new CallerClaims(tenantValuePrefix.orElse(""));
    }

    public Caller caller() {
        if (caller == null) {
            if (!(identity.getPrincipal() instanceof JsonWebToken token)) {
                caller = new Caller(identity.getPrincipal().getName(), Set.of());
            } else {
                String subject = token.getSubject() != null ? token.getSubject() : token.getName();
                caller = claims.resolve(subject, token.getIssuer(), identity.getRoles(),
                        values(token.getClaim(grantClaim)), values(token.getClaim(tenantClaim)));
            }
        }
        return caller;
    }

    /** Who is signed in, for the page header: the login name where the token has one. */
    public String userName() {
        if (identity.getPrincipal() instanceof JsonWebToken token) {
            Object name = token.getClaim("preferred_username");
            if (name != null) {
                return values(name).stream().findFirst().orElse(caller().subject());
            }
        }
        return caller().subject();
    }

    /** The tenants of the token, sorted: the tenant switcher shows these and no others. */
    public List<TenantId> tenants() {
        return caller().tenants().stream().sorted(Comparator.comparing(TenantId::value)).toList();
    }

    /**
     * The tenant a page is for: the one the URL names, else the first of the token's. A tenant outside the token is
     * passed on as named, so that the use case refuses it (403) rather than the page quietly showing another.
     */
    public Optional<TenantId> tenant(String requested) {
        if (requested != null && !requested.isEmpty()) {
            return Optional.of(new TenantId(requested));
        }
        return tenants().stream().findFirst();
    }

    private static Collection<String> values(Object claim) {
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
