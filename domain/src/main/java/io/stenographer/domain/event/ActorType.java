package io.stenographer.domain.event;

import java.util.Locale;

/** Who acted: a person or a machine. */
public enum ActorType {
    USER, SERVICE;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ActorType fromWireName(String field, String text) {
        if (text == null) {
            throw new FieldViolation(field, "is required");
        }
        return switch (text) {
            case "user" -> USER;
            case "service" -> SERVICE;
            default -> throw new FieldViolation(field, "must be one of: user, service");
        };
    }
}
