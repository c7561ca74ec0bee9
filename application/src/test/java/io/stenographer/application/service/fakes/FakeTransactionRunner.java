package io.stenographer.application.service.fakes;

import io.stenographer.application.port.out.TransactionRunner;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Counts transactions and tells enlisted fakes when one commits or rolls back. Services must not
 * nest transactions, so a nested call fails loudly instead of silently joining.
 */
public final class FakeTransactionRunner implements TransactionRunner {

    /** A fake port that buffers its writes until the transaction ends. */
    public interface Participant {
        void commit();

        void rollback();
    }

    private final List<Participant> participants = new ArrayList<>();
    private int started;
    private int committed;
    private int rolledBack;
    private int current;
    private Clock timeoutClock;
    private Duration timeout;

    /** Like PostgreSQL's transaction timeout: a transaction longer than {@code limit} on {@code clock} fails. */
    public void timeoutAfter(Clock clock, Duration limit) {
        this.timeoutClock = clock;
        this.timeout = limit;
    }

    public void enlist(Participant participant) {
        participants.add(participant);
    }

    @Override
    public <T> T inTransaction(Supplier<T> work) {
        if (current != 0) {
            throw new IllegalStateException("nested transaction: a use case must run in exactly one");
        }
        started++;
        current = started;
        Instant began = timeoutClock == null ? null : timeoutClock.instant();
        try {
            T result = work.get();
            if (began != null && Duration.between(began, timeoutClock.instant()).compareTo(timeout) > 0) {
                throw new IllegalStateException("transaction timeout: it ran longer than " + timeout);
            }
            participants.forEach(Participant::commit);
            committed++;
            return result;
        } catch (RuntimeException e) {
            participants.forEach(Participant::rollback);
            rolledBack++;
            throw e;
        } finally {
            current = 0;
        }
    }

    /** The number of the running transaction (1, 2, ...), or 0 outside any transaction. */
    public int current() {
        return current;
    }

    public int started() {
        return started;
    }

    public int committed() {
        return committed;
    }

    public int rolledBack() {
        return rolledBack;
    }
}
