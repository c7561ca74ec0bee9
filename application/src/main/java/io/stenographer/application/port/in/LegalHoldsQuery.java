package io.stenographer.application.port.in;

import io.stenographer.domain.access.Caller;
import io.stenographer.domain.event.FieldViolation;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.retention.LegalHold;
import java.util.Objects;

public record LegalHoldsQuery(Caller caller, TenantId tenant, Status status) {

    /** Which holds to list. */
    public enum Status {
        ACTIVE, RELEASED, ALL;

        /** The {@code status} parameter: absent is {@link #ACTIVE}; anything but active, released or all names it. */
        public static Status parse(String status) {
            if (status == null) {
                return ACTIVE;
            }
            return switch (status) {
                case "active" -> ACTIVE;
                case "released" -> RELEASED;
                case "all" -> ALL;
                default -> throw new FieldViolation("status", "must be active, released or all");
            };
        }

        public boolean includes(LegalHold hold) {
            return this == ALL || (this == ACTIVE) == hold.isActive();
        }
    }

    public LegalHoldsQuery {
        Objects.requireNonNull(caller, "caller");
        Objects.requireNonNull(tenant, "tenant");
        status = status == null ? Status.ACTIVE : status;
    }
}
