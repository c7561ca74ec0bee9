package io.stenographer.client;

/**
 * Outcomes of events an earlier run of the application spooled and this run delivered: their callers are gone, so
 * this is where their receipts and refusals are reported. Runs on the sender thread; keep it short.
 */
public interface SpoolListener {

    void delivered(Receipt receipt);

    void failed(String clientEventId, AuditClientException reason);

    /** The default: a refusal is one ERROR line (the key and the kind of refusal, never content); receipts pass. */
    SpoolListener LOG = new SpoolListener() {
        @Override
        public void delivered(Receipt receipt) {
        }

        @Override
        public void failed(String clientEventId, AuditClientException reason) {
            System.getLogger(AuditClient.class.getName()).log(System.Logger.Level.ERROR, "spooled audit event "
                    + clientEventId + " of an earlier run was not recorded: " + reason.getClass().getSimpleName());
        }
    };
}
