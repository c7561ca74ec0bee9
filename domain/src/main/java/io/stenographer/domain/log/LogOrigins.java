package io.stenographer.domain.log;

import io.stenographer.domain.event.TenantId;

/** Each tenant's log has its own origin line: the configured prefix plus the tenant id. */
public record LogOrigins(String prefix) {

    public LogOrigins {
        if (prefix == null || prefix.isBlank() || prefix.contains("\n") || prefix.contains("+")
                || prefix.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("origin prefix must be non-blank with no whitespace or '+'");
        }
    }

    public String originOf(TenantId tenant) {
        return prefix + "/" + tenant.value();
    }
}
