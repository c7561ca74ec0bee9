package io.stenographer.application.service;

import java.time.Duration;
import java.util.Objects;

/**
 * How much one sequencer round may take on: at most {@code maxLeavesPerRound} leaves per tenant, and no new tenant
 * is started once {@code roundBudget} has passed. A round cut short by either reports a backlog, and the trigger then
 * starts the next round at once instead of waiting for its period. {@code workers} tenants are integrated at once,
 * each in its own transaction under its own lock.
 */
public record SequencerLimits(int maxLeavesPerRound, Duration roundBudget, int workers) {

    /** One tenant at a time. */
    public SequencerLimits(int maxLeavesPerRound, Duration roundBudget) {
        this(maxLeavesPerRound, roundBudget, 1);
    }

    public SequencerLimits {
        if (workers < 1 || workers > 64) {
            throw new IllegalArgumentException("sequencer workers must be 1..64, is " + workers);
        }
        if (maxLeavesPerRound < 2) {
            throw new IllegalArgumentException("a round must take at least 2 leaves (one may be a rotation's event)");
        }
        Objects.requireNonNull(roundBudget, "roundBudget");
        if (roundBudget.isNegative() || roundBudget.isZero()) {
            throw new IllegalArgumentException("the round budget must be positive, is " + roundBudget);
        }
    }
}
