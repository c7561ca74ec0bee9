package io.stenographer.client;

/**
 * The service refused the event and retrying would not help (400, 401, 403, 409, 413 and any other answer that is
 * not a transient one). Carries the service's RFC 9457 problem.
 */
public class EventRejectedException extends AuditClientException {

    private final int status;
    private final String problemType;
    private final String field;
    private final String detail;

    public EventRejectedException(int status, String problemType, String field, String detail) {
        super("rejected with " + status + (problemType == null ? "" : " " + problemType)
                + (field == null ? "" : " on " + field) + (detail == null ? "" : ": " + detail));
        this.status = status;
        this.problemType = problemType;
        this.field = field;
        this.detail = detail;
    }

    /** The HTTP status of the answer (400 for an item a batch rejected). */
    public int status() {
        return status;
    }

    /** The problem's {@code type}, e.g. {@code urn:stenographer:problem:validation-failed}; may be null. */
    public String problemType() {
        return problemType;
    }

    /** The field the problem names, when it names one. */
    public String field() {
        return field;
    }

    public String detail() {
        return detail;
    }
}
