package io.stenographer.domain.event;

/** The record that was acted on. */
public record ResourceRef(String type, String id) {

    public static final int MAX_TYPE_LENGTH = 128;
    public static final int MAX_ID_LENGTH = 256;

    public ResourceRef {
        type = Text.required("resource.type", type, MAX_TYPE_LENGTH);
        id = Text.required("resource.id", id, MAX_ID_LENGTH);
    }
}
