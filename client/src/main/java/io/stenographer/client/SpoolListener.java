package io.stenographer.client;

/**
 * Outcomes of events an earlier run of the application spooled and this run delivered: their callers are gone, so
 * this is where their receipts and refusals are reported. Runs on the sender thread; keep it short.
 */
public interface SpoolListener {

    void delivered(Receipt receipt);

    void failed(String clientEventId, AuditClientException reason);

    /** Logs nothing; the default. Refusals of recovered events are still counted in the client's metrics. */
    SpoolListener NONE = new SpoolListener() {
        @Override
        public void delivered(Receipt receipt) {
        }

        @Override
        public void failed(String clientEventId, AuditClientException reason) {
        }
    };
}
