package io.stenographer.application.port.in;

import io.stenographer.domain.event.FieldViolation;
import io.stenographer.domain.event.TenantId;
import java.util.UUID;

/**
 * The one parser of query parameters, so every endpoint refuses the same inputs the same way. Which parameters an
 * endpoint knows, and that each is given at most once, is checked before the resource runs ({@link RequestRules}).
 */
public final class RequestParameters {

    private RequestParameters() {
    }

    /** An absent flag is false; anything but {@code true} or {@code false} is a 400 naming the parameter. */
    public static boolean flag(String name, String value) {
        if (value == null || value.equals("false")) {
            return false;
        }
        if (value.equals("true")) {
            return true;
        }
        throw new FieldViolation(name, "must be true or false");
    }

    /** An optional integer from {@code min} to {@code max}; absent gives {@code absent}. */
    public static int integer(String name, String value, int absent, int min, int max) {
        if (value == null) {
            return absent;
        }
        try {
            int parsed = Integer.parseInt(value);
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // answered below, with the range
        }
        throw new FieldViolation(name, "must be an integer from " + min + " to " + max);
    }

    /** An optional non-negative 64-bit integer (an index or a tree size); absent gives null. */
    public static Long nonNegativeLong(String name, String value) {
        if (value == null) {
            return null;
        }
        long parsed;
        try {
            parsed = Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new FieldViolation(name, "must be a non-negative integer");
        }
        if (parsed < 0) {
            throw new FieldViolation(name, "must not be negative");
        }
        return parsed;
    }

    /**
     * A tenant that must be named. Retention requests never default it from the token: they decide what is kept
     * and for how long.
     */
    public static TenantId requiredTenant(String tenant) {
        if (tenant == null) {
            throw new FieldViolation("tenant", "is required");
        }
        return new TenantId(tenant);
    }

    /** A UUID in its canonical lower-case form; anything else names the parameter. */
    public static UUID uuid(String name, String value) {
        try {
            UUID parsed = UUID.fromString(value);
            if (parsed.toString().equals(value)) {
                return parsed;
            }
        } catch (IllegalArgumentException e) {
            // answered below
        }
        throw new FieldViolation(name, "must be a UUID");
    }

    /**
     * The {@code id} of a job or verification run in a path. Any form {@link UUID#fromString} reads is taken (upper
     * case too), as these paths always have; {@link #uuid} is the strict form.
     */
    public static UUID runId(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new FieldViolation("id", "must be a UUID");
        }
    }
}
