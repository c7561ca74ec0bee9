package io.stenographer.domain.stream;

/** A stream line that is not a record of the format it was read as; the message names what is wrong. */
public final class StreamFormatException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public StreamFormatException(String message) {
        super(message);
    }
}
