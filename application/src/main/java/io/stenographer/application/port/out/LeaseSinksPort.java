package io.stenographer.application.port.out;

import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.sink.Sink;
import io.stenographer.domain.sink.SinkId;
import io.stenographer.domain.sink.SinkProgress;
import io.stenographer.domain.sink.SinkState;
import io.stenographer.domain.sink.WebhookSecret;
import java.time.Duration;
import java.util.List;

/**
 * Delivery leases: a sink is delivered by one instance at a time, and moves to another when its holder stops
 * renewing. Lease times are counted by the database's clock, so instances with skewed clocks still agree. Every
 * write is fenced by the lease's owner and the sink's generation: a holder that lost its lease (it expired and
 * another instance took it, or an admin changed the sink) saves nothing. Each call is its own short transaction
 * inside the caller's {@code TransactionRunner}.
 */
public interface LeaseSinksPort {

    /**
     * Leases up to {@code max} active sinks whose lease is free or expired and whose next attempt is due, to
     * {@code owner} for {@code lease}; least recently delivered first.
     */
    List<SinkLease> claim(String owner, Duration lease, int max);

    /** Extends the lease; false when it was lost. */
    boolean renew(SinkLease lease, Duration duration);

    /**
     * Saves the progress (and, when {@code newState} is not null, moves an active sink to it: dead or disabled);
     * false, saving nothing, when the lease was lost.
     */
    boolean save(SinkLease lease, SinkProgress progress, SinkState newState);

    /** Gives the lease up, so the sink's next attempt may be taken at once by any instance. */
    void release(SinkLease lease);

    /**
     * A held lease, with what the holder needs to deliver: the sink, its progress and its secrets as of the claim.
     */
    record SinkLease(SinkId id, TenantId tenant, String owner, long generation, Sink sink, SinkProgress progress,
            List<WebhookSecret> secrets) {

        public SinkLease {
            secrets = List.copyOf(secrets);
        }

        public SinkLease with(SinkProgress newProgress) {
            return new SinkLease(id, tenant, owner, generation, sink, newProgress, secrets);
        }
    }
}
