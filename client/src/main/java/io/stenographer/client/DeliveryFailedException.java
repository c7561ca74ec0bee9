package io.stenographer.client;

/**
 * The event could not be delivered: the service stayed unreachable or busy past the delivery timeout, or the client
 * was closed first. The event may still have been recorded (an answer can be lost); logging {@link #eventAsSent()}
 * again is safe: the service records it at most once.
 */
public final class DeliveryFailedException extends AuditClientException {

    private final boolean keptInSpool;
    private final transient Event eventAsSent;

    public DeliveryFailedException(String message, Throwable cause) {
        this(message, cause, false);
    }

    DeliveryFailedException(String message, Throwable cause, boolean keptInSpool) {
        this(message, cause, keptInSpool, null);
    }

    private DeliveryFailedException(String message, Throwable cause, boolean keptInSpool, Event eventAsSent) {
        super(message, cause);
        this.keptInSpool = keptInSpool;
        this.eventAsSent = eventAsSent;
    }

    /** This failure as one event's: one failure may end a whole batch, and each event is named apart. */
    DeliveryFailedException of(Event sent) {
        DeliveryFailedException own = new DeliveryFailedException(getMessage(), getCause(), keptInSpool, sent);
        own.setStackTrace(getStackTrace());
        return own;
    }

    /** SPOOL mode: the event is safe on disk and the next run of the application delivers it. */
    public boolean keptInSpool() {
        return keptInSpool;
    }

    /**
     * The event exactly as it was sent: with the idempotency key and {@code occurredAt} the client gave it when the
     * application left them unset. Log this, not the original, to retry: the original would get a new key (and a new
     * time), so an event whose answer was lost would be recorded twice. Its metadata is the map the application
     * logged: changed after {@code log()}, the retry is another event (refused as a conflict). Null when the failure
     * names no event.
     */
    public Event eventAsSent() {
        return eventAsSent;
    }

    /** The idempotency key the event was sent with; null when the failure names no event. */
    public String clientEventId() {
        return eventAsSent == null ? null : eventAsSent.clientEventId();
    }
}
