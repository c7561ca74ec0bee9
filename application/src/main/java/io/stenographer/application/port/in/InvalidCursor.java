package io.stenographer.application.port.in;

import io.stenographer.domain.event.FieldViolation;

/** A paging cursor this server did not issue (or one altered since). */
public final class InvalidCursor extends FieldViolation {

    public InvalidCursor() {
        super("cursor", "is not a cursor this server issued; start again without it");
    }
}
