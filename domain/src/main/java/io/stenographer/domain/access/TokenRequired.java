package io.stenographer.domain.access;

/** A request without a token asked for something only a tenant's own callers may read. */
public class TokenRequired extends RuntimeException {

    public TokenRequired(String what) {
        super(what + " is not public: send a bearer token with a role on the tenant");
    }
}
