package io.stenographer.client;

/**
 * The log, or the service speaking for it, told something provably false. Each kind has its own subclass; every one
 * also reaches the {@link IntegrityListener}, so an application can alert on it wherever it surfaced.
 */
public abstract sealed class LogIntegrityException extends AuditClientException
        permits LogIntegrityException.ReceiptMismatch, LogIntegrityException.InclusionFailed,
        LogIntegrityException.UntrustedCheckpoint, LogIntegrityException.LogForked,
        LogIntegrityException.LogRolledBack {

    LogIntegrityException(String message) {
        super(message);
    }

    /** The receipt's leaf hash is not the hash of the event the client sent with the fields the server sealed. */
    public static final class ReceiptMismatch extends LogIntegrityException {
        public ReceiptMismatch(String message) {
            super(message);
        }
    }

    /** The inclusion proof does not lead from the event's leaf hash to the signed root. */
    public static final class InclusionFailed extends LogIntegrityException {
        public InclusionFailed(String message) {
            super(message);
        }
    }

    /** The checkpoint is not signed by the pinned key, or is for another log (origin). */
    public static final class UntrustedCheckpoint extends LogIntegrityException {
        public UntrustedCheckpoint(String message) {
            super(message);
        }
    }

    /** A newer checkpoint does not extend the last one this client verified: the log was forked or rewritten. */
    public static final class LogForked extends LogIntegrityException {
        public LogForked(String message) {
            super(message);
        }
    }

    /** The service's latest checkpoint is smaller than one this client already verified: the log was rolled back. */
    public static final class LogRolledBack extends LogIntegrityException {
        public LogRolledBack(String message) {
            super(message);
        }
    }
}
