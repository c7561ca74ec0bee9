package io.stenographer.domain.event;

/** The person or service that performed the action. {@code displayName} may be null. */
public record Actor(String id, ActorType type, String displayName) {

    public static final int MAX_ID_LENGTH = 256;
    public static final int MAX_DISPLAY_NAME_LENGTH = 256;

    public Actor {
        id = Text.required("actor.id", id, MAX_ID_LENGTH);
        if (type == null) {
            throw new FieldViolation("actor.type", "is required");
        }
        displayName = Text.optional("actor.displayName", displayName, MAX_DISPLAY_NAME_LENGTH);
    }
}
