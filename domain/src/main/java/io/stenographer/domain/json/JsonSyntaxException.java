package io.stenographer.domain.json;

/**
 * Input that is not strict RFC 8259 / I-JSON. Carries the offset of the offending character so a
 * client can be told exactly where its payload went wrong.
 */
public final class JsonSyntaxException extends IllegalArgumentException {

    private final int offset;

    public JsonSyntaxException(String message, int offset) {
        super(message + " (at offset " + offset + ")");
        this.offset = offset;
    }

    /**
     * Zero-based offset of the problem: a UTF-16 char index into the text, or, for invalid UTF-8
     * reported by {@link JsonParser#parse(byte[], int)}, a byte index into the input.
     */
    public int offset() {
        return offset;
    }
}
