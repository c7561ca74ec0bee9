package io.stenographer.application.port.in;

import io.stenographer.domain.retention.PolicyId;

/** A policy change that cannot be made as asked: a configured policy's id, or a concurrent change won. */
public class RetentionPolicyConflict extends RuntimeException {

    private final PolicyId id;

    public RetentionPolicyConflict(PolicyId id, String message) {
        super(message);
        this.id = id;
    }

    public PolicyId id() {
        return id;
    }
}
