package io.stenographer.adapters.rest.security;

import io.quarkus.security.identity.SecurityIdentity;
import io.stenographer.domain.access.Caller;
import io.stenographer.domain.event.TenantId;
import jakarta.enterprise.context.RequestScoped;
import java.util.Optional;

/**
 * The caller of the current request, resolved once from its verified token. Resources inject this instead of
 * resolving the security identity themselves. (A request-scoped bean needs a client proxy, which a record such as
 * {@link Caller} cannot have; hence this holder rather than a {@code Caller} producer.)
 */
@RequestScoped
public class CurrentCaller {

    private final CallerResolver resolver;
    private final SecurityIdentity identity;
    private Caller caller;

    CurrentCaller(CallerResolver resolver, SecurityIdentity identity) {
        this.resolver = resolver;
        this.identity = identity;
    }

    public Caller get() {
        if (caller == null) {
            caller = resolver.resolve(identity);
        }
        return caller;
    }

    /** The caller, or empty for a request without a token (on an endpoint that admits such requests). */
    public Optional<Caller> ifAuthenticated() {
        return identity.isAnonymous() ? Optional.empty() : Optional.of(get());
    }

    /** The tenant a request names, or the caller's only tenant when it names none. */
    public TenantId tenantOrOnlyOne(String tenant) {
        return get().namedOrOnlyTenant(tenant);
    }
}
