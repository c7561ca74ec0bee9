package io.stenographer.adapters.rest.problem;

/** Stable RFC 9457 problem types; clients may switch on {@link #uri()}. */
public enum ProblemType {
    VALIDATION_FAILED("validation-failed", 400, "The request is invalid"),
    MALFORMED_JSON("malformed-json", 400, "The request body is not well-formed JSON"),
    INVALID_ENCODING("invalid-encoding", 400, "The request body is not valid UTF-8"),
    UNKNOWN_FIELD("unknown-field", 400, "The request contains a field Stenographer does not know"),
    WRONG_TYPE("wrong-type", 400, "A field has the wrong JSON type"),
    INVALID_CURSOR("invalid-cursor", 400, "The paging cursor is not valid"),
    PAYLOAD_TOO_LARGE("payload-too-large", 413, "The request body is too large"),
    BATCH_TOO_LARGE("batch-too-large", 413, "The batch holds too many events"),
    URI_TOO_LONG("uri-too-long", 414, "The request URI is too long"),
    UNSUPPORTED_MEDIA_TYPE("unsupported-media-type", 415, "Send application/json"),
    IDEMPOTENCY_CONFLICT("idempotency-conflict", 409,
            "This idempotency key was already used for different content"),
    UNAUTHENTICATED("unauthenticated", 401, "A valid bearer token is required"),
    FORBIDDEN("forbidden", 403, "The token does not grant this action"),
    TENANT_ACCESS_DENIED("tenant-access-denied", 403, "The token does not grant access to this tenant"),
    NOT_FOUND("not-found", 404, "Not found"),
    METHOD_NOT_ALLOWED("method-not-allowed", 405, "Method not allowed"),
    NOT_ACCEPTABLE("not-acceptable", 406, "None of the requested media types can be produced"),
    LOG_INTEGRITY("log-integrity-violation", 500, "The log failed an integrity check"),
    INTERNAL("internal", 500, "Internal error"),
    UNAVAILABLE("unavailable", 503, "Temporarily unavailable"),
    EVENT_PAST_RETENTION("event-past-retention", 410,
            "The event's retention ended and its archived copy was deleted; its leaf hash remains in the log"),
    // Retention policies and legal holds
    POLICY_CONFLICT("policy-conflict", 409, "The retention policy cannot be changed this way"),
    FOUR_EYES_REQUIRED("four-eyes-required", 403, "A different compliance admin must approve this change"),
    LEGAL_HOLD_CONFLICT("legal-hold-conflict", 409, "The legal hold cannot be changed this way"),
    // --- Reports (issue 5) ---
    REPORT_NOT_READY("report-not-ready", 409, "The report has not been generated"),
    REPORT_FILE_GONE("report-file-gone", 410,
            "The report's file was purged at the end of its retention; its record and digest remain"),
    REPORT_FILE_INTEGRITY("report-file-integrity-violation", 500,
            "The report's stored file does not match the digest recorded when it was generated"),
    RANGE_NOT_SATISFIABLE("range-not-satisfiable", 416, "The requested range lies outside the file"),
    PRECONDITION_FAILED("precondition-failed", 412, "A precondition of the request does not hold"),
    TOO_MANY_REPORTS("too-many-reports", 429, "Too many reports are queued or running for this tenant"),
    VERIFICATION_RUNNING("verification-running", 429, "A verification of this log is already running"),
    // --- Streams (issue 16) ---
    SINK_CONFLICT("sink-conflict", 409, "The sink cannot be changed this way"),
    // --- Personal data (issue 18) ---
    SUBJECT_UNDER_LEGAL_HOLD("subject-under-legal-hold", 409,
            "A legal hold covers this data subject; its personal data cannot be erased");

    private final String slug;
    private final int status;
    private final String title;

    ProblemType(String slug, int status, String title) {
        this.slug = slug;
        this.status = status;
        this.title = title;
    }

    public String uri() {
        return "urn:stenographer:problem:" + slug;
    }

    public String slug() {
        return slug;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }
}
