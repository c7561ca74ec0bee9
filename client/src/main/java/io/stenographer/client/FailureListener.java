package io.stenographer.client;

/**
 * Told of every logged event that ends without a receipt (refused, undeliverable, invalid), whether or not anyone
 * waits on its future, so a fire-and-forget {@code logEvent(...)} is never lost silently. The default writes one
 * ERROR line through {@code System.Logger} naming the idempotency key and the kind of failure (exception, field or
 * HTTP status), never the event's content or the messages that could quote it.
 */
@FunctionalInterface
public interface FailureListener {

    void onFailure(String clientEventId, AuditClientException reason);

    FailureListener LOG = (clientEventId, reason) -> System.getLogger(AuditClient.class.getName()).log(
            System.Logger.Level.ERROR, "audit event " + clientEventId + " was not recorded: "
                    + reason.getClass().getSimpleName() + (reason instanceof InvalidEventException invalid
                    ? " (field " + invalid.field() + ")" : reason instanceof EventRejectedException refused
                    ? " (HTTP " + refused.status() + ")" : ""));
}
