package io.stenographer.application.port.in;

/**
 * Delivers sinks: leases due sinks and sends their next batches until each is caught up, fails, or its time slice
 * ends. Called by the stream workers of every instance; the leases keep two instances off the same sink.
 */
public interface DeliverStreamsUseCase {

    /** One pass by {@code owner} (an instance's worker id) over at most {@code maxSinks} sinks. */
    DeliveryPass deliver(String owner, int maxSinks);

    /** What a pass did: sinks leased, batches acknowledged, event records acknowledged, attempts that failed. */
    record DeliveryPass(int sinks, int batches, long records, int failures) {
        public static final DeliveryPass NONE = new DeliveryPass(0, 0, 0, 0);
    }
}
