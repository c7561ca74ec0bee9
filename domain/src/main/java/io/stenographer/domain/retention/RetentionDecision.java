package io.stenographer.domain.retention;

/** The answer of a retention rule, with the reason, so a dry run can explain every decision. */
public record RetentionDecision(boolean allowed, String reason) {

    public RetentionDecision {
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("a decision always says why");
        }
    }

    public static RetentionDecision allow(String reason) {
        return new RetentionDecision(true, reason);
    }

    public static RetentionDecision deny(String reason) {
        return new RetentionDecision(false, reason);
    }
}
