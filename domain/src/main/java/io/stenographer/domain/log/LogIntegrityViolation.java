package io.stenographer.domain.log;

/** Stored log data contradicts itself: evidence of tampering or corruption. Never retried silently. */
public class LogIntegrityViolation extends RuntimeException {

    public LogIntegrityViolation(String message) {
        super(message);
    }
}
