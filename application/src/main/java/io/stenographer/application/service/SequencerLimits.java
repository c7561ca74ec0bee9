package io.stenographer.application.service;

import java.time.Duration;
import java.util.Objects;

/**
 * How much one sequencer round may take on: at most {@code maxLeavesPerRound} leaves per tenant, and no new group of
 * tenants is started once {@code roundBudget} has passed. A round cut short by either reports a backlog, and the
 * trigger then starts the next round at once instead of waiting for its period. {@code workers} threads integrate at
 * once; each integrates up to {@code tenantsPerTransaction} tenants in one transaction, each under its own lock.
 */
public record SequencerLimits(int maxLeavesPerRound, Duration roundBudget, int workers, int tenantsPerTransaction) {

    /** Keeps a round over a thousand tenants to a few dozen transactions. */
    public static final int TENANTS_PER_TRANSACTION = 64;

    /** One worker. */
    public SequencerLimits(int maxLeavesPerRound, Duration roundBudget) {
        this(maxLeavesPerRound, roundBudget, 1, TENANTS_PER_TRANSACTION);
    }

    public SequencerLimits(int maxLeavesPerRound, Duration roundBudget, int workers) {
        this(maxLeavesPerRound, roundBudget, workers, TENANTS_PER_TRANSACTION);
    }

    public SequencerLimits {
        if (workers < 1 || workers > 64) {
            throw new IllegalArgumentException("sequencer workers must be 1..64, is " + workers);
        }
        if (tenantsPerTransaction < 1 || tenantsPerTransaction > 1_000) {
            throw new IllegalArgumentException("tenants per transaction must be 1..1000, is " + tenantsPerTransaction);
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
