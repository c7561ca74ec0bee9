package io.stenographer.client;

/**
 * The event breaks a rule of the event model; found before anything is sent, with the field and message the server
 * would have answered (both come from the same domain validation).
 */
public final class InvalidEventException extends AuditClientException {

    private final String field;
    private final String detail;

    public InvalidEventException(String field, String detail) {
        super(field + ": " + detail);
        this.field = field;
        this.detail = detail;
    }

    public String field() {
        return field;
    }

    public String detail() {
        return detail;
    }
}
