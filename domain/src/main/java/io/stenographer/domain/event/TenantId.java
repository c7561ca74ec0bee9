package io.stenographer.domain.event;

import java.util.regex.Pattern;

/** A tenant: each tenant has its own, separate log. */
public record TenantId(String value) {

    private static final Pattern FORMAT = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    public TenantId {
        if (value == null || value.isBlank()) {
            throw new FieldViolation("tenant", "is required");
        }
        if (!FORMAT.matcher(value).matches()) {
            throw new FieldViolation("tenant",
                    "must be 1-63 characters of lower-case letters, digits and '-', starting with a letter or digit");
        }
    }

    public static TenantId of(String value) {
        return new TenantId(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
