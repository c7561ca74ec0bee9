package io.stenographer.client;

/** Everything the client reports to the application; each failure mode has its own subclass. */
public class AuditClientException extends RuntimeException {

    public AuditClientException(String message) {
        super(message);
    }

    public AuditClientException(String message, Throwable cause) {
        super(message, cause);
    }
}
