package io.stenographer.client;

/** {@code verify()} gave up waiting: the event was not in a signed checkpoint before the timeout. */
public final class NotYetIntegratedException extends AuditClientException {

    public NotYetIntegratedException(String message) {
        super(message);
    }
}
